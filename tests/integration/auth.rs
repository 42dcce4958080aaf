use serde_json::json;

use porchlight::model::{AppError, Problem};

use crate::helpers::*;

#[tokio::test]
async fn setup_works_once_and_only_once() {
    let app = spawn_app().await;
    let cookie = app.setup_owner().await;
    assert!(cookie.len() > "porchlight_session=".len());

    let again = app
        .call(
            "setup",
            &[
                ("organization_name", "Second"),
                ("organization_slug", "second"),
                ("owner_name", "Mallory"),
                ("owner_email", "mallory@example.com"),
                ("owner_password", "another long password"),
            ],
            None,
        )
        .await;
    assert_eq!(again.status, 409);
    assert_eq!(again.error(), AppError::Conflict(Problem::AlreadySetUp));
    assert_eq!(
        again.says(),
        "Porchlight is already set up. Sign in instead."
    );
    assert!(again.session_cookie().is_none());

    let orgs = app.scalar("SELECT COUNT(*) FROM organizations").await;
    assert_eq!(orgs, 1);
    let users = app.scalar("SELECT COUNT(*) FROM users").await;
    assert_eq!(users, 1);
}

#[tokio::test]
async fn setup_reports_every_bad_field_and_writes_nothing() {
    let app = spawn_app().await;
    let resp = app
        .call(
            "setup",
            &[
                ("organization_name", "  "),
                ("organization_slug", "Bad Slug"),
                ("owner_name", "Olive"),
                ("owner_email", "not-an-email"),
                ("owner_password", "short"),
            ],
            None,
        )
        .await;
    assert_eq!(resp.status, 422);
    let fields: Vec<String> = resp.json()["Invalid"]
        .as_array()
        .expect("field errors")
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        fields,
        [
            "organization_name",
            "organization_slug",
            "owner_email",
            "owner_password"
        ]
    );
    let n = app.scalar("SELECT COUNT(*) FROM organizations").await;
    assert_eq!(n, 0);
    // Setup is still open.
    assert_eq!(app.get("/setup", None).await.status(), 200);
}

#[tokio::test]
async fn login_succeeds_with_the_right_password_in_any_email_case() {
    let app = spawn_app().await;
    app.setup_owner().await;
    let resp = app.login("olive.owner@example.COM", OWNER_PASSWORD).await;
    assert!(
        resp.status.is_success() || resp.status.is_redirection(),
        "{}",
        resp.body
    );
    let cookie = resp.session_cookie().expect("a session cookie");
    let page = app.get("/clients", Some(&cookie)).await;
    assert_eq!(page.status(), 200);
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_answer() {
    let app = spawn_app().await;
    app.setup_owner().await;
    let wrong = app.login(OWNER_EMAIL, "not the password at all").await;
    let unknown = app.login("nobody@example.com", OWNER_PASSWORD).await;
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.json(), json!("InvalidCredentials"));
    assert_eq!((wrong.status, &wrong.body), (unknown.status, &unknown.body));
    assert!(wrong.session_cookie().is_none() && unknown.session_cookie().is_none());
}

#[tokio::test]
async fn session_cookie_is_httponly_lax_and_not_secure_over_http() {
    let app = spawn_app().await;
    app.setup_owner().await;
    let resp = app.login(OWNER_EMAIL, OWNER_PASSWORD).await;
    let set_cookie = session_set_cookie(&resp.headers).unwrap();
    let attrs: Vec<&str> = set_cookie.split(';').map(str::trim).collect();
    assert!(attrs.contains(&"HttpOnly"), "{set_cookie}");
    assert!(attrs.contains(&"SameSite=Lax"), "{set_cookie}");
    assert!(attrs.contains(&"Path=/"), "{set_cookie}");
    assert!(!attrs.contains(&"Secure"), "{set_cookie}");
}

#[tokio::test]
async fn session_cookie_is_secure_when_the_public_url_is_https() {
    let app = spawn_app_with(|c| c.public_url = "https://portal.example/".parse().unwrap()).await;
    let cookie = app.setup_owner().await;
    assert!(!cookie.is_empty());
    let resp = app.login(OWNER_EMAIL, OWNER_PASSWORD).await;
    let set_cookie = session_set_cookie(&resp.headers).unwrap();
    assert!(
        set_cookie.split(';').any(|a| a.trim() == "Secure"),
        "{set_cookie}"
    );
}

#[tokio::test]
async fn login_rotates_the_session_id_and_ends_the_old_one() {
    let app = spawn_app().await;
    let first = app.setup_owner().await;
    let resp = app
        .call(
            "login",
            &[("email", OWNER_EMAIL), ("password", OWNER_PASSWORD)],
            Some(&first),
        )
        .await;
    let second = resp.session_cookie().unwrap();
    assert_ne!(first, second);
    assert_eq!(app.get("/clients", Some(&first)).await.status(), 303);
    assert_eq!(app.get("/clients", Some(&second)).await.status(), 200);
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = spawn_app().await;
    let cookie = app.setup_owner().await;
    let resp = app.call("logout", &[], Some(&cookie)).await;
    let cleared = session_set_cookie(&resp.headers).unwrap();
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    let page = app.get("/clients", Some(&cookie)).await;
    assert_eq!(location(&page), Some("/login?next=%2Fclients"));
}

#[tokio::test]
async fn the_database_stores_no_session_token_and_no_password() {
    let app = spawn_app().await;
    let cookie = app.setup_owner().await;
    let token = cookie.split_once('=').unwrap().1;
    let (hash,): (String,) = sqlx::query_as("SELECT token_hash FROM sessions")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_ne!(hash, token);
    let (pw,): (String,) = sqlx::query_as("SELECT password_hash FROM users")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(pw.starts_with("$argon2id$"));
    assert!(!pw.contains(OWNER_PASSWORD));
}
