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
