use crate::helpers::*;

#[tokio::test]
async fn a_fresh_install_sends_every_page_to_setup() {
    let app = spawn_app().await;
    for path in ["/", "/login", "/clients"] {
        let resp = app.get(path, None).await;
        assert_eq!(location(&resp), Some("/setup"), "{path}");
    }
    let setup = app.get("/setup", None).await;
    assert_eq!(setup.status(), 200);
    let html = setup.text().await.unwrap();
    assert!(html.contains("Welcome to Porchlight"));
    assert!(html.contains(r#"<label for="field-owner_email">"#));
}

#[tokio::test]
async fn setup_is_gone_once_an_organization_exists() {
    let app = spawn_app().await;
    app.setup_owner().await;
    let resp = app.get("/setup", None).await;
    assert_eq!(resp.status(), 303);
    assert_eq!(location(&resp), Some("/login"));
}

#[tokio::test]
async fn protected_pages_redirect_to_login_when_signed_out() {
    let app = spawn_app().await;
    app.setup_owner().await;
    let resp = app.get("/clients?page=2", None).await;
    assert_eq!(resp.status(), 303);
    assert_eq!(location(&resp), Some("/login?next=%2Fclients%3Fpage%3D2"));
    let bogus = app.get("/clients", Some("porchlight_session=forged")).await;
    assert_eq!(bogus.status(), 303);
    let data = app.call("list_clients", &[("page", "1")], None).await;
    assert_eq!(data.status, 401);
    assert_eq!(data.json(), serde_json::json!("Unauthenticated"));
}

#[tokio::test]
async fn signed_in_owner_sees_the_shell_and_an_empty_client_list() {
    let app = spawn_app().await;
    let cookie = app.setup_owner().await;
    let resp = app.get("/clients", Some(&cookie)).await;
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("North Tutors"),
        "organization name in the shell"
    );
    assert!(html.contains("No clients yet"));
    assert!(html.contains("Sign out"));
    // Signed in, the start page and the login page lead to the portal.
    assert_eq!(
        location(&app.get("/", Some(&cookie)).await),
        Some("/clients")
    );
    assert_eq!(
        location(&app.get("/login", Some(&cookie)).await),
        Some("/clients")
    );
}

#[tokio::test]
async fn unknown_pages_answer_404() {
    let app = spawn_app().await;
    app.setup_owner().await;
    let resp = app.get("/no-such-page", None).await;
    assert_eq!(resp.status(), 404);
    assert!(resp.text().await.unwrap().contains("Page not found"));
}

#[tokio::test]
async fn healthz_checks_the_database() {
    let app = spawn_app().await;
    let ok = app.get("/healthz", None).await;
    assert_eq!(ok.status(), 200);
    app.db.pool.close().await;
    let down = app.get("/healthz", None).await;
    assert_eq!(down.status(), 503);
}
