//! The site's files (the wasm bundle and its JavaScript, the CSS, what
//! `public/` holds) served from memory. They are read once at start-up from
//! the site root that cargo-leptos fills (`target/site`, or
//! `LEPTOS_SITE_ROOT`) and never change while the server runs: a release is
//! a new start. Serving them from memory saves the file system round trips
//! (open, metadata, read, each on a blocking thread) that a per-request
//! `ServeDir` pays, which made a static file cost twice a health check.
//! Text and wasm are also gzipped, once, the first time a browser that
//! accepts gzip asks for them (on a blocking thread; not at start-up, where a
//! debug build's site would cost seconds), and sent gzipped from then on: the
//! wasm a phone downloads is about a third of its size.

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
    /// Whether its type compresses (text, JavaScript, JSON, SVG, wasm).
    compressible: bool,
    /// The body gzipped (level 9) and its own validator, made on the first
    /// request that takes gzip; None when that is not smaller.
    gzip: tokio::sync::OnceCell<Option<(axum::body::Bytes, HeaderValue)>>,
}

/// Whether a file of this type is worth gzipping.
fn compresses(mime: &mime_guess::Mime) -> bool {
    mime.type_() == mime_guess::mime::TEXT
        || matches!(
            mime.essence_str(),
            "application/javascript" | "application/json" | "application/wasm" | "image/svg+xml"
        )
}

fn gzip(body: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(body)?;
    encoder.finish()
}

/// Whether the request's `Accept-Encoding` takes gzip (and does not refuse
/// it with `q=0`).
fn accepts_gzip(request: &HeaderMap) -> bool {
    request
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
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
                    compressible: compresses(&mime),
                    gzip: tokio::sync::OnceCell::new(),
                },
            );
        }
        Ok(())
    }

    /// The response for `path`: 200 with the file (gzipped when the file
    /// compresses and the request's `Accept-Encoding` takes gzip), or 304
    /// when the request's `If-None-Match` names the ETag of what would be
    /// sent; None when no such file.
    pub async fn response(&self, path: &str, request: &HeaderMap) -> Option<Response> {
        let file = self.files.get(path)?;
        let packed = if file.compressible && accepts_gzip(request) {
            file.gzipped().await
        } else {
            None
        };
        let (body, etag, gzipped) = match packed {
            Some((packed, etag)) => (packed, etag, true),
            None => (&file.body, &file.etag, false),
        };
        let unchanged = request
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|tags| {
                tags.split(',')
                    .map(str::trim)
                    .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == *etag)
            });
        let mut response = if unchanged {
            let mut r = Response::new(Body::empty());
            *r.status_mut() = StatusCode::NOT_MODIFIED;
            r
        } else {
            let mut r = Response::new(Body::from(body.clone()));
            r.headers_mut()
                .insert(header::CONTENT_TYPE, file.content_type.clone());
            if gzipped {
                r.headers_mut()
                    .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            }
            r
        };
        let headers = response.headers_mut();
        headers.insert(header::ETAG, etag.clone());
        if file.compressible {
            headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
        Some(response)
    }
}

impl SiteFile {
    /// The gzipped body and its validator, made the first time it is asked
    /// for; None when gzip is not smaller (or failed, which is logged).
    async fn gzipped(&self) -> Option<&(axum::body::Bytes, HeaderValue)> {
        self.gzip
            .get_or_init(|| async {
                let body = self.body.clone();
                let packed = tokio::task::spawn_blocking(move || gzip(&body))
                    .await
                    .unwrap_or_else(|e| Err(std::io::Error::other(e)));
                match packed {
                    Ok(packed) if packed.len() < self.body.len() => {
                        let tag = self.etag.to_str().unwrap_or_default().trim_matches('"');
                        let etag = HeaderValue::from_str(&format!("\"{tag}-gzip\""))
                            .expect("an ETag with a suffix is a valid header value");
                        Some((axum::body::Bytes::from(packed), etag))
                    }
                    Ok(_) => None,
                    Err(e) => {
                        tracing::warn!(error = %e, "could not gzip a site file");
                        None
                    }
                }
            })
            .await
            .as_ref()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn files_are_served_by_url_path_with_their_type_and_a_validator() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("pkg")).unwrap();
        std::fs::write(root.path().join("pkg/app.css"), "body{}").unwrap();
        std::fs::write(root.path().join("favicon.svg"), "<svg/>").unwrap();
        let site = SiteFiles::load(root.path()).unwrap();

        let css = site
            .response("/pkg/app.css", &HeaderMap::new())
            .await
            .unwrap();
        assert_eq!(css.status(), StatusCode::OK);
        assert_eq!(css.headers()[header::CONTENT_TYPE], "text/css");
        let etag = css.headers()[header::ETAG].clone();
        assert_eq!(
            site.response("/favicon.svg", &HeaderMap::new())
                .await
                .unwrap()
                .headers()[header::CONTENT_TYPE],
            "image/svg+xml"
        );

        let mut again = HeaderMap::new();
        again.insert(header::IF_NONE_MATCH, etag);
        assert_eq!(
            site.response("/pkg/app.css", &again)
                .await
                .unwrap()
                .status(),
            StatusCode::NOT_MODIFIED
        );
        assert!(
            site.response("/pkg/other.css", &HeaderMap::new())
                .await
                .is_none()
        );
        assert!(site.response("/pkg", &HeaderMap::new()).await.is_none());
    }

    #[tokio::test]
    async fn what_compresses_goes_gzipped_to_browsers_that_take_it() {
        use std::io::Read;
        let root = tempfile::tempdir().unwrap();
        let script = "function hello() { return 'hello'; }\n".repeat(200);
        std::fs::write(root.path().join("app.js"), &script).unwrap();
        let site = SiteFiles::load(root.path()).unwrap();

        let mut gzip_ok = HeaderMap::new();
        gzip_ok.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("gzip, br"),
        );
        let packed = site.response("/app.js", &gzip_ok).await.unwrap();
        assert_eq!(packed.headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(packed.headers()[header::VARY], "accept-encoding");
        let bytes =
            futures::executor::block_on(axum::body::to_bytes(packed.into_body(), usize::MAX))
                .unwrap();
        assert!(bytes.len() < script.len() / 10, "{} bytes", bytes.len());
        let mut unpacked = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut unpacked)
            .unwrap();
        assert_eq!(unpacked, script);

        let plain = site.response("/app.js", &HeaderMap::new()).await.unwrap();
        assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
        let mut refused = HeaderMap::new();
        refused.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("gzip;q=0"),
        );
        let plain_too = site.response("/app.js", &refused).await.unwrap();
        assert!(plain_too.headers().get(header::CONTENT_ENCODING).is_none());
        assert_ne!(
            plain.headers()[header::ETAG],
            site.response("/app.js", &gzip_ok).await.unwrap().headers()[header::ETAG],
            "each representation has its own validator"
        );
    }

    #[tokio::test]
    async fn a_missing_site_root_serves_nothing() {
        let site = SiteFiles::load(Path::new("/nonexistent/site")).unwrap();
        assert!(
            site.response("/favicon.svg", &HeaderMap::new())
                .await
                .is_none()
        );
    }
}
