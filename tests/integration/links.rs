//! A link's life is its own: renewing an invitation issues a new link and
//! never revives an old one; disabling a person (or changing their email)
//! ends every link they hold; a link is read against the person's state now.

use crate::helpers::*;

const PASSWORD: &str = "a brand new password";

/// What the link's page would show: "Activate", "Join", "Expired" or "Closed".
async fn page_kind(app: &TestApp, token: &str) -> String {
    let page = app
        .call("invitation_page", &[("token", token)], None)
        .await
        .json();
    match &page {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Object(o) => o.keys().next().unwrap().clone(),
        other => panic!("unexpected page {other}"),
    }
}

#[tokio::test]
async fn a_resend_issues_a_new_link_and_never_revives_an_expired_one() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let id = app
        .create_client_id(&owner, "Ann", "Lee", "ann@example.com")
        .await;
    let old = app.wait_for_mail(1).await.remove(0).token();
    app.pass_invitation_lifetime();
    let owner = app.owner_session().await;
    assert_eq!(page_kind(&app, &old).await, "Expired");

    let resend = app.send_invitation(&owner, id).await;
    assert_eq!(resend.status, 200, "{}", resend.body);
    let fresh = app.wait_for_mail(2).await.remove(1).token();
    assert_eq!(page_kind(&app, &fresh).await, "Activate");
    assert_eq!(
        page_kind(&app, &old).await,
        "Expired",
        "the old link stays dead"
    );
    assert_eq!(app.activate(&old, PASSWORD).await.status, 409);
    assert_eq!(app.activate(&fresh, PASSWORD).await.status, 200);
}

#[tokio::test]
async fn email_me_a_new_link_never_revives_the_old_one() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    app.create_client(&owner, "Ann", "Lee", "ann@example.com")
        .await;
    let old = app.wait_for_mail(1).await.remove(0).token();
    app.pass_invitation_lifetime();
    app.call("request_new_link", &[("token", &old)], None).await;
    let fresh = app.wait_for_mail(2).await.remove(1).token();
    assert_eq!(page_kind(&app, &fresh).await, "Activate");
    assert_eq!(page_kind(&app, &old).await, "Expired");
    assert_eq!(app.activate(&old, PASSWORD).await.status, 409);
}

#[tokio::test]
async fn forgot_password_never_revives_an_expired_invitation_behind_the_organizations_back() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let id = app
        .create_client_id(&owner, "Ann", "Lee", "ann@example.com")
        .await;
    let old = app.wait_for_mail(1).await.remove(0).token();
    app.pass_invitation_lifetime();
    let owner = app.owner_session().await;

    // Invitations on demand only: nothing is sent.
    turn_off_auto_invite(&app, &owner).await;
    let asked = app
        .call("forgot_password", &[("email", "ann@example.com")], None)
        .await;
    assert_eq!(asked.status, 200);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let queued = app.scalar("SELECT COUNT(*) FROM email_outbox").await;
    assert_eq!(queued, 1, "nothing sent for an on-demand organization");

    // Inviting by itself: a new link, shown in the timeline; the old one stays dead.
    let settings = save_settings(
        &app,
        &owner,
        "invitations",
        &[("auto_invite", "on"), ("invitation_lifetime_days", "30")],
    )
    .await;
    assert_eq!(settings.status, 200, "{}", settings.body);
    app.call("forgot_password", &[("email", "ann@example.com")], None)
        .await;
    let fresh = app.wait_for_mail(2).await.remove(1).token();
    assert_eq!(page_kind(&app, &fresh).await, "Activate");
    assert_eq!(page_kind(&app, &old).await, "Expired");
    assert!(
        app.timeline(&owner, id)
            .await
            .iter()
            .any(|t| t == "The client asked for a new link (the old one had expired)"),
        "the renewal shows in the timeline"
    );
}

#[tokio::test]
async fn disabling_ends_a_reset_link_for_good() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let id = app
        .create_client_id(&owner, "Ann", "Lee", "ann@example.com")
        .await;
    let token = app.wait_for_mail(1).await.remove(0).token();
    assert_eq!(app.activate(&token, PASSWORD).await.status, 200);
    app.call("forgot_password", &[("email", "ann@example.com")], None)
        .await;
    let reset = app.wait_for_mail(2).await.remove(1).reset_token();
    assert_eq!(
        app.call("reset_link", &[("token", &reset)], None)
            .await
            .json(),
        true
    );

    for enabled in [false, true] {
        let changed = app.set_access(&owner, id, enabled).await;
        assert_eq!(changed.status, 200, "{}", changed.body);
        assert_eq!(
            app.call("reset_link", &[("token", &reset)], None)
                .await
                .json(),
            false,
            "after enabled={enabled}"
        );
        let used = app
            .call(
                "reset_password",
                &[("token", &reset), ("password", "another long password")],
                None,
            )
            .await;
        assert_eq!(used.status, 409, "after enabled={enabled}: {}", used.body);
    }
    assert_eq!(app.login("ann@example.com", PASSWORD).await.status, 200);
}

#[tokio::test]
async fn disabling_and_enabling_ends_a_pending_invitation_link() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let id = app
        .create_client_id(&owner, "Ann", "Lee", "ann@example.com")
        .await;
    let old = app.wait_for_mail(1).await.remove(0).token();
    for enabled in [false, true] {
        app.set_access(&owner, id, enabled).await;
    }
    let fresh = app.wait_for_mail(2).await.remove(1).token();
    assert_eq!(page_kind(&app, &old).await, "Closed");
    assert_eq!(app.activate(&old, PASSWORD).await.status, 409);
    assert_eq!(app.activate(&fresh, PASSWORD).await.status, 200);
}

#[tokio::test]
async fn an_activation_link_becomes_a_join_once_the_address_has_an_account() {
    let app = spawn_app().await;
    let north = app.setup_owner().await;
    let in_north = app
        .create_client_id(&north, "Ann", "Lee", "ann@example.com")
        .await;
    let north_link = app.wait_for_mail(1).await.remove(0).token();
    assert_eq!(page_kind(&app, &north_link).await, "Activate");

    // Before clicking it, Ann gets an account through another organization.
    let south = app.create_organization(&north, "South Swim", "south").await;
    app.create_client(&south, "Ann", "Lee", "ann@example.com")
        .await;
    let south_link = app.wait_for_mail(2).await.remove(1).token();
    assert_eq!(app.activate(&south_link, PASSWORD).await.status, 200);

    assert_eq!(page_kind(&app, &north_link).await, "Join");
    let north = app
        .login(OWNER_EMAIL, OWNER_PASSWORD)
        .await
        .session_cookie()
        .unwrap();
    let row = app
        .client_rows(&north)
        .await
        .into_iter()
        .find(|r| r["id"] == in_north)
        .unwrap();
    assert_eq!(row["status"], "WaitingToJoin");
    assert_eq!(app.activate(&north_link, PASSWORD).await.status, 409);
    let ann = app
        .login("ann@example.com", PASSWORD)
        .await
        .session_cookie()
        .unwrap();
    let joined = app
        .call("join", &[("token", &north_link)], Some(&ann))
        .await;
    assert_eq!(joined.status, 200, "{}", joined.body);
}

#[tokio::test]
async fn enabling_someone_already_enabled_changes_nothing() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let id = app
        .create_client_id(&owner, "Ann", "Lee", "ann@example.com")
        .await;
    let link = app.wait_for_mail(1).await.remove(0).token();
    for _ in 0..3 {
        let again = app.set_access(&owner, id, true).await;
        assert_eq!(again.status, 200, "{}", again.body);
    }
    let queued = app.scalar("SELECT COUNT(*) FROM email_outbox").await;
    assert_eq!(queued, 1, "no invitation went out again");
    assert_eq!(
        page_kind(&app, &link).await,
        "Activate",
        "the link still works"
    );
}
