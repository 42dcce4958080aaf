//! Request-level protections: origin checks and security headers.

use reqwest::header::{ACCEPT, HeaderMap};

use crate::helpers::*;

async fn post_login(app: &TestApp, extra: &[(&'static str, &str)]) -> (u16, HeaderMap) {
    let mut req = app
        .client
        .post(format!("{}/api/login", app.address))
        .header(ACCEPT, "application/json")
        .form(&[("email", OWNER_EMAIL), ("password", OWNER_PASSWORD)]);
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    let resp = req.send().await.unwrap();
    (resp.status().as_u16(), resp.headers().clone())
}

#[tokio::test]
async fn a_post_from_another_site_is_refused() {
    let app = spawn_app().await;
    app.setup_owner().await;
    let own = app.address.clone();
    let (status, headers) = post_login(&app, &[("origin", "http://evil.example")]).await;
    assert_eq!(status, 403);
    assert!(session_set_cookie(&headers).is_none(), "nobody signed in");
    let (status, _) = post_login(&app, &[("sec-fetch-site", "cross-site")]).await;
    assert_eq!(status, 403);
    let (status, _) = post_login(&app, &[("referer", "http://evil.example/form")]).await;
    assert_eq!(status, 403);

    // The portal's own pages pass, also when Chromium sends `Origin: null`.
    let (status, headers) = post_login(&app, &[("origin", &own)]).await;
    assert!(status < 400, "{status}");
    assert!(session_set_cookie(&headers).is_some());
    let (status, _) = post_login(
        &app,
        &[("origin", "null"), ("sec-fetch-site", "same-origin")],
    )
    .await;
    assert!(status < 400, "{status}");
}

#[tokio::test]
async fn every_route_carries_the_security_headers() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    for path in [
        "/",
        "/login",
        "/setup",
        "/clients",
        "/settings",
        "/o/north-tutors/signup",
        "/activate/unknown-token",
        "/healthz",
        "/no/such/page",
    ] {
        for cookie in [None, Some(owner.as_str())] {
            let resp = app.get(path, cookie).await;
            let h = resp.headers();
            assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
            assert_eq!(h["referrer-policy"], "same-origin", "{path}");
            let csp = h["content-security-policy"].to_str().unwrap();
            assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        }
    }
    let (_, headers) = post_login(&app, &[]).await;
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'none'")
    );
}

#[tokio::test]
async fn a_page_allows_only_its_own_scripts_by_nonce() {
    let app = spawn_app().await;
    app.setup_owner().await;
    let mut nonces = Vec::new();
    for _ in 0..2 {
        let resp = app.get("/login", None).await;
        let csp = resp.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        let html = resp.text().await.unwrap();
        let start = csp.find("'nonce-").expect("a nonce in the policy") + "'nonce-".len();
        let nonce = csp[start..].split('\'').next().unwrap().to_owned();
        assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
        assert!(
            html.contains(&format!("nonce=\"{nonce}\"")),
            "the hydration script carries it"
        );
        nonces.push(nonce);
    }
    assert_ne!(nonces[0], nonces[1], "a fresh nonce per response");
}

/// Signs in with `next` and returns where the answer sends the browser, with
/// JavaScript (a server-function call) or without (a plain form post).
async fn after_login(app: &TestApp, next: &str, javascript: bool) -> String {
    let mut req = app
        .client
        .post(format!("{}/api/login", app.address))
        .form(&[
            ("email", OWNER_EMAIL),
            ("password", OWNER_PASSWORD),
            ("next", next),
        ]);
    if javascript {
        req = req.header(ACCEPT, "application/json");
    }
    let resp = req.send().await.unwrap();
    assert!(resp.status().as_u16() < 400, "{next:?}: {}", resp.status());
    resp.headers()
        .get("location")
        .unwrap_or_else(|| panic!("{next:?}: no redirect"))
        .to_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn after_sign_in_only_pages_of_this_site_are_followed() {
    let app = spawn_app().await;
    app.setup_owner().await;
    for javascript in [false, true] {
        for hostile in [
            "/\t/example.org",
            "/\n/example.org",
            "/\r\n/example.org",
            "\t//example.org",
            "//example.org",
            "///example.org",
            "/\\example.org",
            "\\\\example.org",
            "/\\/example.org",
            "https://example.org",
            "http://example.org/clients",
            "javascript:alert(1)",
        ] {
            assert_eq!(
                after_login(&app, hostile, javascript).await,
                "/",
                "{hostile:?} (javascript: {javascript})"
            );
        }
        assert_eq!(
            after_login(&app, "/clients?page=2", javascript).await,
            "/clients?page=2"
        );
        assert_eq!(
            after_login(&app, "/settings", javascript).await,
            "/settings"
        );
        // A line break cannot add a header: it is dropped, and what is left
        // is a page of this site.
        assert_eq!(
            after_login(&app, "/\r\nSet-Cookie: a=b", javascript).await,
            "/Set-Cookie:%20a=b"
        );
        assert_eq!(
            after_login(&app, "/\u{0}/example.org", javascript).await,
            "/%00/example.org"
        );
    }
}

#[tokio::test]
async fn the_development_mailbox_is_for_owners_only() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let (_, admin) = app.add_member(&owner, "ada@example.com", "admin").await;
    assert_eq!(app.call("mailbox", &[], Some(&admin)).await.status, 403);
    let own = app.call("mailbox", &[], Some(&owner)).await;
    assert_eq!(own.status, 200, "{}", own.body);
    let shell = app.call("current_shell", &[], Some(&admin)).await.json();
    assert_eq!(shell["sees_mailbox"], false, "no link for an admin");
    let shell = app.call("current_shell", &[], Some(&owner)).await.json();
    assert_eq!(shell["sees_mailbox"], true);
}

#[tokio::test]
async fn an_oversized_request_body_is_refused() {
    let app = spawn_app().await;
    app.setup_owner().await;
    let huge = "x".repeat(porchlight::server::startup::MAX_REQUEST_BODY + 1);
    let resp = app
        .client
        .post(format!("{}/api/login", app.address))
        .form(&[("email", huge.as_str()), ("password", "p")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 413);
}

#[tokio::test]
async fn with_the_development_mailbox_only_owners_create_organizations() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let (_, staff) = app.add_member(&owner, "sam@example.com", "staff").await;
    let own = app
        .call(
            "create_organization",
            &[
                ("request_key", request_key().as_str()),
                ("organization_name", "Sam's Own"),
                ("organization_slug", "sams-own"),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(own.status, 403, "{}", own.body);
}
