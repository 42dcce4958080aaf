//! The audit trail admins read: security events, filtered, their own
//! organization's only.

use serde_json::Value;

use crate::helpers::*;

async fn trail(app: &TestApp, cookie: &str, filter: &str) -> Vec<Value> {
    let resp = app
        .call("audit_trail", &[("filter", filter)], Some(cookie))
        .await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    resp.json().as_array().unwrap().clone()
}

fn events(lines: &[Value]) -> Vec<String> {
    lines
        .iter()
        .map(|l| l["event"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn security_events_are_recorded_and_filtered() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let id = app
        .create_client_id(&owner, "Ann", "Lee", "ann@example.com")
        .await;
    let token = app.wait_for_mail(1).await.remove(0).token();
    app.activate(&token, "a brand new password").await;
    assert_eq!(
        app.login("ann@example.com", "a wrong password")
            .await
            .status,
        401
    );
    app.set_access(&owner, id, false).await;
    app.call("forgot_password", &[("email", OWNER_EMAIL)], None)
        .await;
    save_settings(
        &app,
        &owner,
        "invitations",
        &[("invitation_lifetime_days", "9")],
    )
    .await;

    let all = events(&trail(&app, &owner, "").await);
    for expected in [
        "Signed in",
        "Invitation accepted",
        "Sign-in failed",
        "Access disabled",
        "Password reset requested",
        "Settings changed",
    ] {
        assert!(all.contains(&expected.to_owned()), "{expected} in {all:?}");
    }
    assert_eq!(all[0], "Settings changed", "newest first");
    let failed = trail(&app, &owner, "failed-sign-ins").await;
    assert_eq!(events(&failed), ["Sign-in failed"]);
    assert_eq!(failed[0]["about"], "Ann Lee");
    let access = trail(&app, &owner, "access").await;
    assert_eq!(access[0]["by"], "Olive Owner");
    let bad = app
        .call("audit_trail", &[("filter", "everything")], Some(&owner))
        .await;
    assert_eq!(bad.status, 422);

    // Another organization's admin sees none of it.
    let south = app.create_organization(&owner, "South Swim", "south").await;
    let theirs = events(&trail(&app, &south, "").await);
    assert!(!theirs.contains(&"Sign-in failed".to_owned()), "{theirs:?}");
}

#[tokio::test]
async fn only_owners_and_admins_read_the_trail() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let created = app
        .call(
            "create_client",
            &[
                ("request_key", request_key().as_str()),
                ("first_name", "Sam"),
                ("last_name", "Staff"),
                ("email", "sam@example.com"),
                ("role", "staff"),
            ],
            Some(&owner),
        )
        .await;
    assert_eq!(created.status, 200);
    let token = app.wait_for_mail(1).await.remove(0).token();
    let staff = app
        .activate(&token, "a brand new password")
        .await
        .session_cookie()
        .unwrap();
    assert_eq!(app.call("audit_trail", &[], Some(&staff)).await.status, 403);
}
