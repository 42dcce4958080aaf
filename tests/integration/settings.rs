use serde_json::json;

use porchlight::i18n::Locale;
use porchlight::server::domain::settings::SettingsRecord;

use crate::helpers::*;

#[tokio::test]
async fn settings_change_invitations_and_are_audited() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let got = app
        .call("organization_settings", &[], Some(&owner))
        .await
        .json();
    assert_eq!(got["auto_invite"], true);
    assert_eq!(got["invitation_lifetime_days"], 30);

    // Each section is its own form: a bad field is refused at its field and
    // nothing of that section is written.
    let bad = save_settings(
        &app,
        &owner,
        "invitations",
        &[("invitation_lifetime_days", "400")],
    )
    .await;
    assert_eq!(bad.status, 422);
    assert_eq!(
        bad.json()["Invalid"][0]["field"],
        "invitation_lifetime_days"
    );
    let bad = save_settings(&app, &owner, "branding", &[("accent_color", "red")]).await;
    assert_eq!(bad.json()["Invalid"][0]["field"], "accent_color");
    let nowhere = save_settings(&app, &owner, "everything", &[("accent_color", "#123abc")]).await;
    assert_eq!(nowhere.status, 422);
    assert_eq!(nowhere.json()["Invalid"][0]["field"], "section");
    let unchanged = app
        .call("organization_settings", &[], Some(&owner))
        .await
        .json();
    assert_eq!(
        (
            &unchanged["invitation_lifetime_days"],
            &unchanged["accent_color"]
        ),
        (&json!(30), &json!("#b44d12")),
        "refused forms save nothing"
    );

    // Auto-invite off (the checkbox left out), links for 7 days; then the
    // branding section on its own keeps them.
    let ok = save_settings(
        &app,
        &owner,
        "invitations",
        &[("invitation_lifetime_days", "7")],
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let ok = save_settings(&app, &owner, "branding", &[("accent_color", "#123ABC")]).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let saved = app
        .call("organization_settings", &[], Some(&owner))
        .await
        .json();
    assert_eq!(
        (
            &saved["auto_invite"],
            &saved["invitation_lifetime_days"],
            &saved["accent_color"]
        ),
        (&json!(false), &json!(7), &json!("#123abc")),
        "each section saved its own fields and kept the other's"
    );
    let id = app
        .create_client_id(&owner, "Ann", "Lee", "ann@example.com")
        .await;
    assert_eq!(
        app.client_rows(&owner).await[0]["status_text"],
        "Not invited"
    );
    app.send_invitation(&owner, id).await;
    let mail = app.wait_for_mail(1).await.remove(0);
    assert!(
        mail.html.contains("#123abc"),
        "the accent colour brands the email"
    );
    let token = mail.token();
    let link = [("token", token.as_str())];
    app.advance(std::time::Duration::from_secs(7 * 24 * 3600 - 60));
    let page = app.call("invitation_page", &link, None).await;
    assert!(
        page.body.contains("Activate"),
        "open for 7 days: {}",
        page.body
    );
    app.advance(std::time::Duration::from_secs(120));
    let page = app.call("invitation_page", &link, None).await;
    assert!(
        page.body.contains("Expired"),
        "and no longer: {}",
        page.body
    );

    let (kind, detail): (String, String) = sqlx::query_as(
        "SELECT kind, detail FROM audit_events WHERE kind = 'settings_changed' ORDER BY id DESC LIMIT 1",
    )
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(kind, "settings_changed");
    // Recorded as the values saved; the audit trail words them.
    let record: SettingsRecord = serde_json::from_str(&detail).unwrap();
    assert!(!record.auto_invite);
    assert_eq!(record.invitation_lifetime_days, 7);
    assert_eq!(record.accent_color, "#123abc");
    assert_eq!(
        SettingsRecord::text(&detail, Locale::en).unwrap(),
        "Invite at once: no · invitation links (days): 7 · accent colour: #123abc · logo: none · \
         sign-up: closed · approval: automatic · approvers: 0 · collaborator seats: no limit · \
         reset links (hours): 6 · language: English · time zone: UTC · client portal on: yes · \
         portal address: north-tutors · client permissions: Profile, Documents, Invoices, Payments"
    );
    // A record made before the portal switch reads as on, with no address…
    let before: serde_json::Value = serde_json::from_str(&detail).unwrap();
    let mut before = before.as_object().unwrap().clone();
    before.remove("portal_enabled");
    before.remove("slug");
    before.remove("permissions");
    let before = serde_json::Value::Object(before).to_string();
    // …and with the permissions every organization had before they could
    // change.
    assert!(
        SettingsRecord::text(&before, Locale::en)
            .unwrap()
            .ends_with(
                "client portal on: yes · portal address: none · \
             client permissions: Profile, Documents, Invoices, Payments"
            ),
    );
    let trail = app
        .call("audit_trail", &[("filter", "settings")], Some(&owner))
        .await
        .json();
    assert_eq!(
        trail[0]["detail"],
        SettingsRecord::text(&detail, Locale::en).unwrap(),
        "the trail shows the record in words"
    );
    assert_eq!(
        app.call("organization_settings", &[], Some(&owner))
            .await
            .json()["auto_invite"],
        json!(false)
    );
}

#[tokio::test]
async fn a_logo_heads_the_emails_once_set() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let save = |logo: &'static str| {
        let app = &app;
        let owner = owner.clone();
        async move {
            save_settings(
                app,
                &owner,
                "branding",
                &[("accent_color", "#b44d12"), ("logo_url", logo)],
            )
            .await
        }
    };
    let bad = save("http://insecure.example/logo.png").await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["Invalid"][0]["field"], "logo_url");
    assert_eq!(
        app.call("organization_settings", &[], Some(&owner))
            .await
            .json()["logo_url"],
        "",
        "a refused form saves nothing"
    );

    app.create_client(&owner, "Ann", "Lee", "ann@example.com")
        .await;
    let plain = app.wait_for_mail(1).await.remove(0);
    assert!(!plain.html.contains("<img"), "no logo set, no image");

    assert_eq!(save("https://north.example/logo.png").await.status, 200);
    app.create_client(&owner, "Bo", "Park", "bo@example.com")
        .await;
    let branded = app.wait_for_mail(2).await.remove(1);
    assert!(
        branded
            .html
            .contains(r#"<img src="https://north.example/logo.png""#),
        "{}",
        branded.html
    );
}

#[tokio::test]
async fn two_sections_saved_at_once_both_keep_their_values() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    for round in 1..=5 {
        let days = (10 + round).to_string();
        let colour = format!("#12345{round}");
        let invitations = [("invitation_lifetime_days", days.as_str())];
        let branding = [("accent_color", colour.as_str())];
        let (a, b) = tokio::join!(
            save_settings(&app, &owner, "invitations", &invitations),
            save_settings(&app, &owner, "branding", &branding),
        );
        assert_eq!(
            (a.status.as_u16(), b.status.as_u16()),
            (200, 200),
            "{} {}",
            a.body,
            b.body
        );
        let saved = app
            .call("organization_settings", &[], Some(&owner))
            .await
            .json();
        assert_eq!(
            (&saved["invitation_lifetime_days"], &saved["accent_color"]),
            (&json!(10 + round), &json!(colour)),
            "neither save undid the other"
        );
    }
}
