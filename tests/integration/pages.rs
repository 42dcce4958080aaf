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
    // Signed in, the start page is the overview and the login page leads there.
    assert_eq!(app.get("/", Some(&cookie)).await.status(), 200);
    assert_eq!(location(&app.get("/login", Some(&cookie)).await), Some("/"));
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

/// A form posted without JavaScript, as a browser posts it.
async fn plain_post(
    app: &TestApp,
    endpoint: &str,
    from: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    app.client
        .post(format!("{}/api/{endpoint}", app.address))
        .header("accept", "text/html,application/xhtml+xml")
        .header("origin", &app.address)
        .header("referer", format!("{}{from}", app.address))
        .form(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_form_posted_without_javascript_is_answered_with_the_next_page() {
    let app = spawn_app().await;
    app.setup_owner().await;
    // A refusal goes back to the form, the error in the query for the page
    // to show at its field: a redirect, whatever the error's status would be
    // (a browser follows Location only on a 3xx).
    let wrong = plain_post(
        &app,
        "login",
        "/login",
        &[("email", OWNER_EMAIL), ("password", "not the password")],
    )
    .await;
    assert_eq!(wrong.status(), 302);
    let back = location(&wrong).unwrap();
    assert!(
        back.starts_with(&format!("{}/login?", app.address)) && back.contains("__err="),
        "{back}"
    );
    assert!(session_set_cookie(wrong.headers()).is_none());

    let right = plain_post(
        &app,
        "login",
        "/login",
        &[("email", OWNER_EMAIL), ("password", OWNER_PASSWORD)],
    )
    .await;
    assert_eq!(right.status(), 302);
    assert_eq!(location(&right), Some("/"));
    assert!(session_set_cookie(right.headers()).is_some());

    // "Forgot your password?" says what happened on the page it lands on.
    let forgot = plain_post(
        &app,
        "forgot_password",
        "/forgot",
        &[("email", "x@example.com")],
    )
    .await;
    assert_eq!(location(&forgot), Some("/forgot?sent"));
    let page = app.get("/forgot?sent", None).await.text().await.unwrap();
    assert!(
        page.contains("If an account uses this address, we have sent it an email"),
        "{page}"
    );
}

#[tokio::test]
async fn unknown_addresses_get_the_not_found_page_and_other_methods_are_refused() {
    let app = spawn_app().await;
    app.setup_owner().await;
    for address in ["/no-such-page", "/no/such/page"] {
        let missing = app.get(address, None).await;
        assert_eq!(missing.status(), 404, "{address}");
        assert!(
            missing.text().await.unwrap().contains("Page not found"),
            "{address}"
        );
    }
    let post = app
        .client
        .post(format!("{}/no/such/page", app.address))
        .header("origin", &app.address)
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 405);
    // HEAD is guarded as GET is: a signed-out visitor is sent to sign in.
    let head = app
        .client
        .head(format!("{}/clients", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&head), Some("/login?next=%2Fclients"));
}
