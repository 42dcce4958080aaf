//! Throttling: repeated failures and requests are refused for a while, with
//! the same answer whether the account exists or not.

use crate::helpers::*;

/// Lets the throttling window pass.
async fn later(app: &TestApp) {
    sqlx::query("UPDATE rate_events SET at = at - 3600000")
        .execute(&app.db.pool)
        .await
        .unwrap();
}

#[tokio::test]
async fn failed_sign_ins_lock_an_account_for_a_while_the_same_way_for_unknown_ones() {
    let app = spawn_app().await;
    app.setup_owner().await;
    for email in [OWNER_EMAIL, "nobody@example.com"] {
        for _ in 0..5 {
            assert_eq!(app.login(email, "not the password").await.status, 401);
        }
        let refused = app.login(email, "not the password").await;
        assert_eq!(refused.status, 429, "{email}");
        assert_eq!(
            refused.json(),
            serde_json::json!("TooManyAttempts"),
            "the same answer for {email}"
        );
    }
    let right_but_locked = app.login(OWNER_EMAIL, OWNER_PASSWORD).await;
    assert_eq!(
        right_but_locked.status, 429,
        "even the right password waits"
    );
    later(&app).await;
    assert_eq!(
        app.login(OWNER_EMAIL, OWNER_PASSWORD).await.status,
        200,
        "released"
    );
}

#[tokio::test]
async fn failed_sign_ins_from_one_address_are_limited_across_accounts() {
    let app = spawn_app().await;
    app.setup_owner().await;
    for n in 0..20 {
        let email = format!("guess{n}@example.com");
        assert_eq!(app.login(&email, "not the password").await.status, 401);
    }
    assert_eq!(
        app.login("fresh@example.com", "whatever it is")
            .await
            .status,
        429
    );
}

#[tokio::test]
async fn reset_and_sign_up_requests_are_rate_limited() {
    let app = spawn_app().await;
    app.setup_owner().await;
    for _ in 0..5 {
        let ok = app
            .call("forgot_password", &[("email", "someone@example.com")], None)
            .await;
        assert_eq!(ok.status, 200);
    }
    let refused = app
        .call("forgot_password", &[("email", "someone@example.com")], None)
        .await;
    assert_eq!(refused.status, 429);
    let other = app
        .call("forgot_password", &[("email", "other@example.com")], None)
        .await;
    assert_eq!(other.status, 200, "another address has its own count");
    later(&app).await;
    let again = app
        .call("forgot_password", &[("email", "someone@example.com")], None)
        .await;
    assert_eq!(again.status, 200, "released after the window");
}
