//! The site's files (the wasm bundle and its JavaScript, the CSS, what
//! `public/` holds) served from memory. They are read once at start-up from
//! the site root that cargo-leptos fills (`target/site`, or
//! `LEPTOS_SITE_ROOT`) and never change while the server runs: a release is
//! a new start. Serving them from memory saves the file system round trips
//! (open, metadata, read, each on a blocking thread) that a per-request
//! `ServeDir` pays, which made a static file cost twice a health check.

use std::collections::HashMap;
use std::path::Path;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use sha2::{Digest, Sha256};

/// Every file under the site root, by URL path (`/pkg/porchlight.wasm`).
#[derive(Debug, Default)]
pub struct SiteFiles {
    files: HashMap<String, SiteFile>,
}

#[derive(Debug)]
struct SiteFile {
    body: axum::body::Bytes,
    content_type: HeaderValue,
    /// A strong validator: the first 16 bytes of the content's SHA-256.
    etag: HeaderValue,
}

impl SiteFiles {
    /// Reads every file under `root`. A missing root gives no files (a
    /// server started without `cargo leptos build` still serves its pages,
    /// unstyled).
    ///
    /// Errors: a file or directory under `root` that cannot be read.
    pub fn load(root: &Path) -> std::io::Result<SiteFiles> {
        let mut site = SiteFiles::default();
        if root.is_dir() {
            site.add_dir(root, "")?;
        }
        Ok(site)
    }

    fn add_dir(&mut self, dir: &Path, prefix: &str) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let url = format!("{prefix}/{name}");
            if entry.file_type()?.is_dir() {
                self.add_dir(&entry.path(), &url)?;
                continue;
            }
            let body = axum::body::Bytes::from(std::fs::read(entry.path())?);
            let digest = Sha256::digest(&body);
            let etag = format!("\"{}\"", hex(&digest[..16]));
            let mime = mime_guess::from_path(&name).first_or_octet_stream();
            self.files.insert(
                url,
                SiteFile {
                    body,
                    content_type: HeaderValue::from_str(mime.as_ref())
                        .unwrap_or(HeaderValue::from_static("application/octet-stream")),
                    etag: HeaderValue::from_str(&etag).expect("hex is a valid header value"),
                },
            );
        }
        Ok(())
    }

    /// The response for `path` (200 with the file, or 304 when the
    /// request's `If-None-Match` names its ETag); None when no such file.
    pub fn response(&self, path: &str, request: &HeaderMap) -> Option<Response> {
        let file = self.files.get(path)?;
        let unchanged = request
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|tags| {
                tags.split(',')
                    .any(|t| t.trim() == "*" || t.trim() == file.etag)
            });
        let mut response = if unchanged {
            let mut r = Response::new(Body::empty());
            *r.status_mut() = StatusCode::NOT_MODIFIED;
            r
        } else {
            let mut r = Response::new(Body::from(file.body.clone()));
            r.headers_mut()
                .insert(header::CONTENT_TYPE, file.content_type.clone());
            r
        };
        response
            .headers_mut()
            .insert(header::ETAG, file.etag.clone());
        Some(response)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_served_by_url_path_with_their_type_and_a_validator() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("pkg")).unwrap();
        std::fs::write(root.path().join("pkg/app.css"), "body{}").unwrap();
        std::fs::write(root.path().join("favicon.svg"), "<svg/>").unwrap();
        let site = SiteFiles::load(root.path()).unwrap();

        let css = site.response("/pkg/app.css", &HeaderMap::new()).unwrap();
        assert_eq!(css.status(), StatusCode::OK);
        assert_eq!(css.headers()[header::CONTENT_TYPE], "text/css");
        let etag = css.headers()[header::ETAG].clone();
        assert_eq!(
            site.response("/favicon.svg", &HeaderMap::new())
                .unwrap()
                .headers()[header::CONTENT_TYPE],
            "image/svg+xml"
        );

        let mut again = HeaderMap::new();
        again.insert(header::IF_NONE_MATCH, etag);
        assert_eq!(
            site.response("/pkg/app.css", &again).unwrap().status(),
            StatusCode::NOT_MODIFIED
        );
        assert!(site.response("/pkg/other.css", &HeaderMap::new()).is_none());
        assert!(site.response("/pkg", &HeaderMap::new()).is_none());
    }

    #[test]
    fn a_missing_site_root_serves_nothing() {
        let site = SiteFiles::load(Path::new("/nonexistent/site")).unwrap();
        assert!(site.response("/favicon.svg", &HeaderMap::new()).is_none());
    }
}
