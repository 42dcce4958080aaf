//! What clients may use in the portal: the organization's switches and each
//! account's own choices over them decide whether a section shows and
//! whether its server functions answer; and the Profile section itself
//! (contact details, a new sign-in address confirmed from that address).

use reqwest::StatusCode;

use crate::helpers::*;

/// The client's contact details as their dashboard has them (null when the
/// Profile section is not theirs).
async fn contact(app: &TestApp, cookie: &str) -> serde_json::Value {
    let resp = app.call("dashboard", &[], Some(cookie)).await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    resp.json()["contact"].clone()
}

async fn save_contact(app: &TestApp, cookie: &str, phone: &str, address: &str) -> FnResponse {
    app.call(
        "save_contact",
        &[("phone", phone), ("postal_address", address)],
        Some(cookie),
    )
    .await
}

/// Sets an account's own choices: (section, default | on | off).
async fn set_account(
    app: &TestApp,
    cookie: &str,
    account: i64,
    choices: &[(&str, &str)],
) -> FnResponse {
    let account = account.to_string();
    let mut form = vec![("account_id", account.as_str())];
    form.extend_from_slice(choices);
    app.call("save_account_permissions", &form, Some(cookie))
        .await
}

#[tokio::test]
async fn the_organization_s_switches_and_an_account_s_own_choices_decide_the_profile_section() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let (ana, ana_cookie) = app.active_client(&owner, "Ana", "ana@example.com").await;
    let (_, bo_cookie) = app.active_client(&owner, "Bo", "bo@example.com").await;

    // By default clients keep their own contact details.
    assert_eq!(contact(&app, &ana_cookie).await["phone"], "");
    let saved = save_contact(
        &app,
        &ana_cookie,
        "+1 (514) 555-0199",
        " 12 Main St \n\n Montréal QC ",
    )
    .await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let mine = contact(&app, &ana_cookie).await;
    assert_eq!(mine["phone"], "+1 (514) 555-0199");
    assert_eq!(mine["postal_address"], "12 Main St\nMontréal QC");
    // Staff read them on the client's page.
    let page = app
        .call(
            "get_client",
            &[("client_id", &ana.to_string())],
            Some(&owner),
        )
        .await;
    assert_eq!(page.json()["phone"], "+1 (514) 555-0199", "{}", page.body);
    // Bad values are refused together, at their fields, and nothing changes.
    let bad = save_contact(&app, &ana_cookie, "call me", &"line\n".repeat(7)).await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(
        bad.body.contains("phone") && bad.body.contains("postal_address"),
        "{}",
        bad.body
    );
    assert_eq!(
        contact(&app, &ana_cookie).await["phone"],
        "+1 (514) 555-0199"
    );

    // The organization turns Profile off (keeping documents and invoices):
    // the section is gone and its server functions answer 403.
    let off = save_settings(
        &app,
        &owner,
        "permissions",
        &[("allow_documents", "on"), ("allow_invoices", "on")],
    )
    .await;
    assert_eq!(off.status, 200, "{}", off.body);
    let settings = app.call("organization_settings", &[], Some(&owner)).await;
    assert_eq!(
        settings.json()["permissions"]["on"],
        serde_json::json!([false, true, false, true, false])
    );
    for cookie in [&ana_cookie, &bo_cookie] {
        assert!(contact(&app, cookie).await.is_null());
        assert_eq!(
            save_contact(&app, cookie, "514 555 0100", "").await.status,
            StatusCode::FORBIDDEN
        );
        let change = app
            .call(
                "request_email_change",
                &[("email", "new@example.com"), ("password", FIXTURE_PASSWORD)],
                Some(cookie),
            )
            .await;
        assert_eq!(change.status, StatusCode::FORBIDDEN, "{}", change.body);
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM email_changes").await, 0);

    // Ana's account chooses Profile on for itself: Ana has it, Bo not.
    let account = app.account_of(ana).await;
    let own = set_account(&app, &owner, account, &[("profile", "on")]).await;
    assert_eq!(own.status, 200, "{}", own.body);
    assert_eq!(
        contact(&app, &ana_cookie).await["phone"],
        "+1 (514) 555-0199"
    );
    assert!(contact(&app, &bo_cookie).await.is_null());
    let detail = app
        .call(
            "get_account",
            &[("account_id", &account.to_string())],
            Some(&owner),
        )
        .await;
    assert_eq!(
        detail.json()["overrides"]["chosen"],
        serde_json::json!([true, null, null, null, null])
    );

    // And back to the organization's choice.
    let back = set_account(&app, &owner, account, &[("profile", "default")]).await;
    assert_eq!(back.status, 200, "{}", back.body);
    assert!(contact(&app, &ana_cookie).await.is_null());

    // Each change is in the audit trail, in words.
    let trail = app
        .call("audit_trail", &[("filter", "settings")], Some(&owner))
        .await;
    assert!(
        trail.body.contains("Ana Client: Profile on"),
        "{}",
        trail.body
    );
    assert!(
        trail
            .body
            .contains("client permissions: Documents, Invoices"),
        "{}",
        trail.body
    );

    // A choice the form does not offer is refused at its field.
    let odd = set_account(&app, &owner, account, &[("uploads", "maybe")]).await;
    assert_eq!(odd.status, 422, "{}", odd.body);
    assert!(odd.body.contains("uploads"), "{}", odd.body);
    // Clients choose nothing; another organization's account is not found.
    assert_eq!(
        set_account(&app, &ana_cookie, account, &[("profile", "on")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let other = app
        .create_organization(&owner, "South Tutors", "south-tutors")
        .await;
    assert_eq!(
        set_account(&app, &other, account, &[("profile", "on")])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_new_sign_in_address_moves_only_once_confirmed_from_it() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let (ana, ana_cookie) = app.active_client(&owner, "Ana", "ana@example.com").await;
    let ask = |email: &'static str, password: &'static str| {
        let cookie = ana_cookie.clone();
        let app = &app;
        async move {
            app.call(
                "request_email_change",
                &[("email", email), ("password", password)],
                Some(&cookie),
            )
            .await
        }
    };

    // The current password is needed, and a new address.
    let wrong = ask("ana.new@example.com", "not her password").await;
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    assert!(wrong.body.contains("password"), "{}", wrong.body);
    let same = ask("ANA@example.com", FIXTURE_PASSWORD).await;
    assert_eq!(same.status, 422, "{}", same.body);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM email_changes").await, 0);

    // A first request is replaced by a second: only the newest link works.
    assert_eq!(
        ask("ana.old@example.com", FIXTURE_PASSWORD).await.status,
        200
    );
    let first = app
        .wait_for_mail_about("ana.old@example.com", "Confirm your new address")
        .await;
    let first = first.link_token("/email/confirm/");
    let asked = ask("ana.new@example.com", FIXTURE_PASSWORD).await;
    assert_eq!(asked.status, 200, "{}", asked.body);
    let mail = app
        .wait_for_mail_about("ana.new@example.com", "Confirm your new address")
        .await;
    assert!(
        mail.subject.contains("Confirm your new address"),
        "{}",
        mail.subject
    );
    let token = mail.link_token("/email/confirm/");
    let stale = app
        .call("confirm_email_change", &[("token", &first)], None)
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);

    // Until the link is used nothing moves; the dashboard says it waits.
    assert_eq!(
        contact(&app, &ana_cookie).await["pending_email"],
        "ana.new@example.com"
    );
    let page = app
        .call("email_change_link", &[("token", &token)], None)
        .await;
    assert_eq!(
        page.json()["new_email"],
        "ana.new@example.com",
        "{}",
        page.body
    );
    assert_eq!(
        app.login("ana@example.com", FIXTURE_PASSWORD).await.status,
        200
    );
    // The link's page is a plain GET that changes nothing either.
    let shown = app.get(&format!("/email/confirm/{token}"), None).await;
    assert_eq!(shown.status(), 200);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM users WHERE email = 'ana.new@example.com'")
            .await,
        0
    );

    // Confirmed: she signs in with the new address only; her client row
    // follows; the old address is told; the link is spent.
    let confirmed = app
        .call("confirm_email_change", &[("token", &token)], None)
        .await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    assert_eq!(
        app.login("ana.new@example.com", FIXTURE_PASSWORD)
            .await
            .status,
        200
    );
    assert_ne!(
        app.login("ana@example.com", FIXTURE_PASSWORD).await.status,
        200
    );
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM clients WHERE id = {ana} AND email = 'ana.new@example.com'"
        ))
        .await,
        1
    );
    let notice = app
        .wait_for_mail_about("ana@example.com", "Your sign-in address was changed")
        .await;
    assert!(
        notice.text.contains("ana.new@example.com"),
        "{}",
        notice.text
    );
    let again = app
        .call("confirm_email_change", &[("token", &token)], None)
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    let timeline = app.timeline(&owner, ana).await.join("\n");
    assert!(
        timeline.contains("Asked to sign in with ana.new@example.com"),
        "{timeline}"
    );
    assert!(
        timeline.contains("Email changed to ana.new@example.com"),
        "{timeline}"
    );
}

#[tokio::test]
async fn an_address_another_account_has_is_answered_alike_and_never_taken() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let (_, ana_cookie) = app.active_client(&owner, "Ana", "ana@example.com").await;
    let (_, _bo) = app.active_client(&owner, "Bo", "bo@example.com").await;

    // The answer is the one any free address gets: nothing tells Ana that
    // Bo's address has an account.
    let asked = app
        .call(
            "request_email_change",
            &[("email", "Bo@Example.com"), ("password", FIXTURE_PASSWORD)],
            Some(&ana_cookie),
        )
        .await;
    assert_eq!(asked.status, 200, "{}", asked.body);
    let token = app
        .wait_for_mail_about("bo@example.com", "Confirm your new address")
        .await
        .link_token("/email/confirm/");
    let refused = app
        .call("confirm_email_change", &[("token", &token)], None)
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(
        refused.says().contains("Another account"),
        "{}",
        refused.says()
    );
    // Nothing moved: both still sign in with their own address.
    assert_eq!(
        app.login("ana@example.com", FIXTURE_PASSWORD).await.status,
        200
    );
    assert_eq!(
        app.login("bo@example.com", FIXTURE_PASSWORD).await.status,
        200
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM clients WHERE email_lower = 'bo@example.com'")
            .await,
        1
    );
}

#[tokio::test]
async fn a_person_in_two_organizations_moves_between_their_portals() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let (_, ana) = app.active_client(&owner, "Ana", "ana@example.com").await;
    let south = app
        .create_organization(&owner, "South Tutors", "south-tutors")
        .await;
    // South invites Ana too; she joins with her account.
    app.create_client_id(&south, "Ana", "South", "ana@example.com")
        .await;
    let token = app
        .wait_for_mail_about("ana@example.com", "South Tutors")
        .await
        .token();
    let joined = app.call("join", &[("token", &token)], Some(&ana)).await;
    let ana = joined.session_cookie().unwrap_or(ana);
    let home = app.call("dashboard", &[], Some(&ana)).await.json();
    assert_eq!(home["current_organization"], "South Tutors");
    let north = home["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "North Tutors")
        .unwrap_or_else(|| panic!("{home}"))["id"]
        .as_i64()
        .unwrap();
    let moved = app
        .call(
            "switch_portal",
            &[("organization_id", &north.to_string())],
            Some(&ana),
        )
        .await;
    assert!(
        moved.status.is_success() || moved.status.is_redirection(),
        "{}",
        moved.body
    );
    let ana = moved.session_cookie().unwrap_or(ana);
    let home = app.call("dashboard", &[], Some(&ana)).await.json();
    assert_eq!(home["current_organization"], "North Tutors");
    // An organization she is not in is not found.
    let other = app
        .call("switch_portal", &[("organization_id", "999")], Some(&ana))
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
}
