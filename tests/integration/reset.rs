//! Forgotten passwords: the same answer for everyone, links that work once,
//! expire, and give way to newer ones; other sessions end.

use crate::helpers::*;

const PASSWORD: &str = "a brand new password";
const NEW_PASSWORD: &str = "another long password";

async fn forgot(app: &TestApp, email: &str) -> FnResponse {
    app.call("forgot_password", &[("email", email)], None).await
}

/// The owner asks for a reset; returns the token from the email.
async fn owner_reset_link(app: &TestApp, nth: usize) -> String {
    assert_eq!(forgot(app, OWNER_EMAIL).await.status, 200);
    let mail = app.wait_for_mail(nth).await.remove(nth - 1);
    assert_eq!(mail.subject, "Reset your password for North Tutors");
    mail.reset_token()
}

#[tokio::test]
async fn the_answer_is_the_same_for_known_invited_and_unknown_emails() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    app.create_client(&owner, "Ivy", "Invited", "ivy@example.com")
        .await;
    app.wait_for_mail(1).await;
    let known = forgot(&app, OWNER_EMAIL).await;
    let invited = forgot(&app, "ivy@example.com").await;
    let unknown = forgot(&app, "nobody@example.com").await;
    for other in [&invited, &unknown] {
        assert_eq!(known.status, other.status);
        assert_eq!(known.body, other.body);
    }
    let mails = app.wait_for_mail(3).await;
    assert!(
        mails.iter().all(|m| m.to != "nobody@example.com"),
        "nothing to unknown"
    );
    let to_ivy: Vec<_> = mails.iter().filter(|m| m.to == "ivy@example.com").collect();
    assert_eq!(to_ivy.len(), 2, "the invited one gets a fresh invitation");
    assert!(to_ivy[1].text.contains("/activate/"));
    assert!(
        mails
            .iter()
            .any(|m| m.subject == "Reset your password for North Tutors")
    );
}

#[tokio::test]
async fn a_reset_sets_the_password_once_and_ends_every_other_session() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let other_session = app
        .login(OWNER_EMAIL, OWNER_PASSWORD)
        .await
        .session_cookie()
        .unwrap();
    let token = owner_reset_link(&app, 1).await;
    let stored: Vec<(Option<String>,)> = sqlx::query_as("SELECT token_hash FROM password_resets")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    assert!(
        stored
            .iter()
            .all(|(h,)| h.as_deref() != Some(token.as_str()))
    );

    // Looking at the link does not use it.
    for _ in 0..2 {
        assert_eq!(
            app.call("reset_link", &[("token", &token)], None)
                .await
                .json(),
            true
        );
    }
    let weak = app
        .call(
            "reset_password",
            &[("token", &token), ("password", "short")],
            None,
        )
        .await;
    assert_eq!(weak.status, 422);
    let done = app
        .call(
            "reset_password",
            &[("token", &token), ("password", NEW_PASSWORD)],
            None,
        )
        .await;
    assert!(
        done.status.is_success() || done.status.is_redirection(),
        "{}",
        done.body
    );
    assert!(done.session_cookie().is_some(), "signed in");
    for old in [&owner, &other_session] {
        let resp = app.get("/clients", Some(old)).await;
        assert_eq!(
            location(&resp),
            Some("/login?next=%2Fclients"),
            "other sessions ended"
        );
    }
    assert_eq!(app.login(OWNER_EMAIL, OWNER_PASSWORD).await.status, 401);
    assert_eq!(app.login(OWNER_EMAIL, NEW_PASSWORD).await.status, 200);
    let mails = app.wait_for_mail(2).await;
    assert_eq!(mails[1].subject, "Your password was changed");

    let again = app
        .call(
            "reset_password",
            &[("token", &token), ("password", "yet another password")],
            None,
        )
        .await;
    assert_eq!(again.status, 409, "a link works once");
    assert_eq!(
        app.call("reset_link", &[("token", &token)], None)
            .await
            .json(),
        false
    );
}

#[tokio::test]
async fn expired_and_superseded_links_are_refused() {
    let app = spawn_app().await;
    app.setup_owner().await;
    let first = owner_reset_link(&app, 1).await;
    let second = owner_reset_link(&app, 2).await;
    let superseded = app
        .call(
            "reset_password",
            &[("token", &first), ("password", NEW_PASSWORD)],
            None,
        )
        .await;
    assert_eq!(superseded.status, 409, "a newer link replaces the older");
    // The organization's reset links last 6 hours.
    app.advance(std::time::Duration::from_secs(6 * 3600 + 60));
    let expired = app
        .call(
            "reset_password",
            &[("token", &second), ("password", NEW_PASSWORD)],
            None,
        )
        .await;
    assert_eq!(expired.status, 409);
    assert_eq!(
        app.login(OWNER_EMAIL, OWNER_PASSWORD).await.status,
        200,
        "password unchanged"
    );
}

#[tokio::test]
async fn the_shortest_reset_lifetime_of_the_persons_organizations_applies() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    app.create_organization(&owner, "South Swim", "south").await;
    sqlx::query("UPDATE organizations SET reset_lifetime_hours = 2 WHERE slug = 'south'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let link = owner_reset_link(&app, 1).await;
    app.advance(std::time::Duration::from_secs(2 * 3600 - 60));
    assert!(link_works(&app, &link).await, "works for South's 2 hours");
    app.advance(std::time::Duration::from_secs(120));
    assert!(!link_works(&app, &link).await, "and not a minute more");
}

/// Whether the reset page would accept this link now.
async fn link_works(app: &TestApp, token: &str) -> bool {
    let answer = app.call("reset_link", &[("token", token)], None).await;
    answer.json() == serde_json::json!(true)
}

#[tokio::test]
async fn an_admin_sends_a_reset_from_the_clients_page_and_the_timeline_shows_it() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let id = app
        .create_client_id(&owner, "Ann", "Lee", "ann@example.com")
        .await;
    let not_yet = app
        .call(
            "send_password_reset",
            &[("client_id", &id.to_string())],
            Some(&owner),
        )
        .await;
    assert_eq!(
        not_yet.status, 409,
        "not active yet: an invitation is what they need"
    );
    let token = app.wait_for_mail(1).await.remove(0).token();
    app.activate(&token, PASSWORD).await;
    let sent = app
        .call(
            "send_password_reset",
            &[("client_id", &id.to_string())],
            Some(&owner),
        )
        .await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    let mail = app.wait_for_mail(2).await.remove(1);
    assert_eq!(mail.to, "ann@example.com");
    assert!(mail.text.contains("/reset/"));
    let timeline = app.timeline(&owner, id).await;
    assert!(
        timeline
            .iter()
            .any(|t| t == "Password reset sent by Olive Owner"),
        "{timeline:?}"
    );
}
