//! Request-level protections: state-changing requests only from the portal's
//! own pages, and security headers on every response.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::server::AppState;

/// The page policy: scripts only from this site or carrying the response's
/// nonce (Leptos puts it on its hydration script), WebAssembly allowed, no
/// framing by other sites, forms posting only here.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self'; \
         frame-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; \
         object-src 'none'"
    )
}

/// For responses that are not pages (server functions, files, errors).
const OTHER_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

/// Adds the security headers to every response. Pages carry their own
/// Content-Security-Policy (with the nonce of their scripts).
pub async fn headers(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Links carry tokens: other sites never see our addresses as referrers,
    // and our own POSTs keep a real Origin.
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(OTHER_POLICY));
    response
}

/// Refuses a state-changing request that a browser says comes from another
/// site: an `Origin` that is not the portal's, or, where the Origin is
/// missing or `null`, a `Sec-Fetch-Site` other than same-origin (a `Referer`
/// from elsewhere when neither is sent). Requests with none of these come
/// from programs, not from a page a person was lured to, and pass.
pub async fn same_origin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    if is_cross_site(req.headers(), &state.config.public_url) {
        tracing::info!(method = %req.method(), "cross-site request refused");
        return crate::server::page_language::plain_answer(
            req.headers(),
            StatusCode::FORBIDDEN,
            |locale| crate::i18n::td_string!(locale, errors.cross_site),
        );
    }
    next.run(req).await
}

fn is_cross_site(headers: &HeaderMap, public_url: &url::Url) -> bool {
    let scheme = public_url.scheme();
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let ours = |origin: &str| {
        let origin = origin.trim_end_matches('/');
        let public = public_url.origin().ascii_serialization();
        let by_host = text(header::HOST).map(|h| format!("{scheme}://{h}"));
        origin == public || by_host.as_deref() == Some(origin)
    };
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    match text(header::ORIGIN) {
        Some(origin) if origin != "null" => !ours(origin),
        _ => match fetch_site {
            Some(site) => site != "same-origin",
            None => text(header::REFERER)
                .and_then(|r| url::Url::parse(r).ok())
                .is_some_and(|r| !ours(&r.origin().ascii_serialization())),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(pairs: &[(&'static str, &str)]) -> bool {
        let mut h = HeaderMap::new();
        h.insert(
            header::HOST,
            HeaderValue::from_static("portal.example:8443"),
        );
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        let public = url::Url::parse("https://portal.example:8443/").unwrap();
        is_cross_site(&h, &public)
    }

    #[test]
    fn only_other_sites_are_refused() {
        assert!(!check(&[("origin", "https://portal.example:8443")]));
        assert!(check(&[("origin", "https://evil.example")]));
        assert!(
            check(&[("origin", "http://portal.example:8443")]),
            "another scheme is another site"
        );
        assert!(!check(&[
            ("origin", "null"),
            ("sec-fetch-site", "same-origin")
        ]));
        assert!(check(&[
            ("origin", "null"),
            ("sec-fetch-site", "cross-site")
        ]));
        assert!(check(&[("sec-fetch-site", "same-site")]));
        assert!(check(&[("referer", "https://evil.example/page")]));
        assert!(!check(&[(
            "referer",
            "https://portal.example:8443/clients"
        )]));
        assert!(!check(&[]), "programs send none of these");
    }
}
