//! Throttling: repeated failures and requests are refused for a while, with
//! the same answer whether the account exists or not.

use crate::helpers::*;

/// Lets the throttling window pass.
fn later(app: &TestApp) {
    app.advance(std::time::Duration::from_secs(3600));
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
    later(&app);
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
    later(&app);
    let again = app
        .call("forgot_password", &[("email", "someone@example.com")], None)
        .await;
    assert_eq!(again.status, 200, "released after the window");
}

#[tokio::test]
async fn a_hundred_parallel_wrong_passwords_get_at_most_the_limit_through() {
    let app = spawn_app().await;
    app.setup_owner().await;
    let tries = (0..100).map(|_| app.login(OWNER_EMAIL, "not the password"));
    let answers = futures::future::join_all(tries).await;
    let checked = answers.iter().filter(|a| a.status == 401).count();
    let refused = answers.iter().filter(|a| a.status == 429).count();
    // A burst may be refused more than strictly needed, never less.
    assert!(
        checked <= 5,
        "{checked} passwords were checked, the limit is 5"
    );
    // The rest were refused at once: throttled, or the hashing queue was full.
    let busy = answers.iter().filter(|a| a.status == 503).count();
    assert_eq!(checked + refused + busy, 100);
    // Exactly the checked ones still count: one by one, the limit's rest.
    let mut more = 0;
    loop {
        let tried = app.login(OWNER_EMAIL, "not the password").await;
        if tried.status != 401 {
            assert_eq!(tried.status, 429, "{}", tried.body);
            break;
        }
        more += 1;
        assert!(more <= 5, "the limit is not enforced");
    }
    assert_eq!(checked + more, 5, "{checked} in the burst, {more} after");
}

#[tokio::test]
async fn parallel_reset_requests_get_at_most_the_limit_through() {
    let app = spawn_app().await;
    app.setup_owner().await;
    let asks = (0..40).map(|_| app.call("forgot_password", &[("email", OWNER_EMAIL)], None));
    let answers = futures::future::join_all(asks).await;
    let statuses: Vec<u16> = answers.iter().map(|a| a.status.as_u16()).collect();
    assert!(
        statuses.iter().all(|s| [200, 429].contains(s)),
        "{statuses:?}\n{}",
        captured_logs()
            .lines()
            .filter(|l| l.contains("internal error"))
            .take(5)
            .collect::<Vec<_>>()
            .join("\n")
    );
    let through = answers.iter().filter(|a| a.status == 200).count();
    assert!(
        through <= 5,
        "{through} got through, the per-email limit is 5"
    );
    let mut more = 0;
    loop {
        let asked = app
            .call("forgot_password", &[("email", OWNER_EMAIL)], None)
            .await;
        if asked.status != 200 {
            assert_eq!(asked.status, 429, "{}", asked.body);
            break;
        }
        more += 1;
        assert!(more <= 5, "the limit is not enforced");
    }
    assert_eq!(through + more, 5, "{through} in the burst, {more} after");
    let resets = app.scalar("SELECT COUNT(*) FROM password_resets").await;
    assert_eq!(resets, 5);
}

#[tokio::test]
async fn one_organization_cannot_spend_anothers_resend_allowance() {
    let app = spawn_app().await;
    let north = app.setup_owner().await;
    let id = app
        .create_client_id(&north, "Ann", "Lee", "ann@example.com")
        .await;
    let south = app.create_organization(&north, "South Swim", "south").await;
    for _ in 0..10 {
        let probe = app.send_invitation(&south, id).await;
        assert_eq!(probe.status, 404, "{}", probe.body);
    }
    let north = app
        .login(OWNER_EMAIL, OWNER_PASSWORD)
        .await
        .session_cookie()
        .unwrap();
    let resend = app.send_invitation(&north, id).await;
    assert_eq!(resend.status, 200, "{}", resend.body);
}

#[tokio::test]
async fn an_admin_sent_reset_is_rate_limited_too() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let id = app
        .create_client_id(&owner, "Ann", "Lee", "ann@example.com")
        .await;
    let token = app.wait_for_mail(1).await.remove(0).token();
    assert_eq!(
        app.activate(&token, "a brand new password").await.status,
        200
    );
    let mut statuses = Vec::new();
    for _ in 0..7 {
        statuses.push(
            app.call(
                "send_password_reset",
                &[("client_id", &id.to_string())],
                Some(&owner),
            )
            .await
            .status
            .as_u16(),
        );
    }
    assert_eq!(statuses, [200, 200, 200, 200, 200, 429, 429]);
}
