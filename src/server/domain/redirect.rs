//! Where a person goes after signing in: the page they asked for (`next`),
//! only when it is a page of this site.

use url::{Position, Url};

/// The target for `next` after signing in, or `home` when `next` is absent
/// or not a page of this site.
///
/// `next` is parsed as a URL relative to `public_url` (the portal's public
/// address), as a browser would resolve it: tabs and newlines are dropped
/// and backslashes count as slashes, so `/\t/evil.example` and
/// `/\evil.example` both name another host. It is kept only when the result
/// has the public URL's origin (scheme, host and port), and then
/// re-serialised as its path and query, percent-encoded, so the answer never
/// holds a control character or another site's address.
pub fn after_sign_in(public_url: &Url, next: Option<&str>, home: &str) -> String {
    let Some(next) = next.filter(|n| !n.is_empty()) else {
        return home.to_owned();
    };
    // Only a path: an absolute URL to this same site is not something our
    // own pages ever send, so there is no reason to accept one.
    if !next.starts_with('/') {
        return home.to_owned();
    }
    match public_url.join(next) {
        Ok(url) if url.origin() == public_url.origin() => {
            url[Position::BeforePath..Position::AfterQuery].to_owned()
        }
        _ => home.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(next: &str) -> String {
        let public = Url::parse("https://portal.example.org").unwrap();
        after_sign_in(&public, Some(next), "/home")
    }

    #[test]
    fn pages_of_this_site_are_kept() {
        assert_eq!(target("/clients?page=2"), "/clients?page=2");
        assert_eq!(target("/clients/7"), "/clients/7");
        // Kept, but percent-encoded: nothing raw reaches a header.
        assert_eq!(target("/clients?q=a b"), "/clients?q=a%20b");
        assert_eq!(target("/a#frag"), "/a");
    }

    #[test]
    fn anything_else_goes_home() {
        for hostile in [
            "//evil.example",
            "///evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "\t//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/\\/evil.example",
            "https://evil.example",
            "http://portal.example.org/clients",
            "https://portal.example.org@evil.example",
            "javascript:alert(1)",
            "data:text/html,hi",
            "clients",
            " /\t/evil.example",
            "",
        ] {
            assert_eq!(target(hostile), "/home", "{hostile:?}");
        }
        let public = Url::parse("https://portal.example.org").unwrap();
        assert_eq!(after_sign_in(&public, None, "/home"), "/home");
    }

    #[test]
    fn no_control_character_survives() {
        for next in ["/a\u{0}b", "/a\u{7f}b", "/a\u{1b}b", "/a?x=\u{0}"] {
            let t = target(next);
            assert!(!t.chars().any(char::is_control), "{next:?} gave {t:?}");
        }
    }
}
