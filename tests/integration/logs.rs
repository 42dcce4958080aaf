//! No token ever reaches a log: every kind of link and the session cookie
//! are used, then the whole log is searched for them.

use crate::helpers::*;

fn token_after(text: &str, marker: &str) -> String {
    let start = text.find(marker).expect("a link") + marker.len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

#[tokio::test]
async fn tokens_never_appear_in_logs() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let mut secrets = vec![owner.trim_start_matches("porchlight_session=").to_owned()];

    app.create_client(&owner, "Ann", "Lee", "ann@example.com")
        .await;
    let invitation = app.wait_for_mail(1).await.remove(0).token();
    assert!(
        app.activation_page(&invitation)
            .await
            .contains("Choose a password")
    );
    let client = app.activate(&invitation, "a brand new password").await;
    secrets.push(invitation);
    secrets.push(
        client
            .session_cookie()
            .unwrap()
            .trim_start_matches("porchlight_session=")
            .to_owned(),
    );

    app.call("forgot_password", &[("email", "ann@example.com")], None)
        .await;
    let reset = token_after(&app.wait_for_mail(2).await[1].text, "/reset/");
    assert_eq!(
        app.get(&format!("/reset/{reset}"), None).await.status(),
        200
    );
    app.call(
        "reset_password",
        &[("token", &reset), ("password", "another long password")],
        None,
    )
    .await;
    secrets.push(reset);
    // Sent as a page request with the token in the path, as a browser would.
    app.get(&format!("/activate/{}", secrets[2]), None).await;

    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let logs = captured_logs();
    assert!(
        logs.contains("password reset completed"),
        "the log was captured"
    );
    for secret in &secrets {
        assert!(secret.len() >= 20, "a real token: {secret}");
        assert!(!logs.contains(secret.as_str()), "a token reached the log");
    }
}
