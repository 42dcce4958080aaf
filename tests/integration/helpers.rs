use leptos::config::get_configuration;
use porchlight::server::config::{Cli, Config};
use porchlight::server::db::Db;
use porchlight::server::startup;
use reqwest::header::{ACCEPT, COOKIE, HeaderMap, LOCATION, SET_COOKIE};
use reqwest::redirect::Policy;
use serde_json::Value;

pub const OWNER_EMAIL: &str = "Olive.Owner@Example.com";
pub const OWNER_PASSWORD: &str = "a long owner password";

/// A running server with its own database.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: Db,
    _data_dir: tempfile::TempDir,
}

/// A server function's answer.
pub struct FnResponse {
    pub status: reqwest::StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl FnResponse {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    /// The `name=value` part of the session cookie this response sets.
    pub fn session_cookie(&self) -> Option<String> {
        session_set_cookie(&self.headers).map(|c| c.split(';').next().unwrap().to_owned())
    }
}

pub fn session_set_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("porchlight_session="))
        .map(str::to_owned)
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts a server after `adjust` has had its say on the configuration.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let data_dir = tempfile::tempdir().expect("temporary directory");
    let database_url = match std::env::var("PORCHLIGHT_TEST_POSTGRES_URL") {
        Ok(admin_url) if !admin_url.is_empty() => fresh_postgres_database(&admin_url).await,
        _ => format!(
            "sqlite://{}?mode=rwc",
            data_dir.path().join("test.db").display()
        ),
    };
    let mut config = Cli {
        database_url: Some(database_url),
        site_addr: "127.0.0.1:0".parse().unwrap(),
        public_url: None,
        smtp_url: None,
        secret: Some("test-secret-".repeat(4)),
        data_dir: data_dir.path().to_owned(),
    }
    .into_config()
    .expect("valid test configuration");
    adjust(&mut config);

    let leptos_options = get_configuration(Some("Cargo.toml"))
        .unwrap()
        .leptos_options;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let (router, state) = startup::build(config, leptos_options)
        .await
        .expect("app builds");
    let db = state.db.clone();
    tokio::spawn(async move { axum_serve(listener, router).await });

    TestApp {
        address,
        client: reqwest::Client::builder()
            .redirect(Policy::none())
            .build()
            .unwrap(),
        db,
        _data_dir: data_dir,
    }
}

async fn axum_serve(listener: tokio::net::TcpListener, router: axum::Router) {
    axum::serve(listener, router).await.expect("server runs");
}

/// Creates an empty database next to the one `admin_url` names and returns its URL.
async fn fresh_postgres_database(admin_url: &str) -> String {
    use sqlx::Connection;
    let name = format!(
        "porchlight_test_{}",
        porchlight::server::auth::token::random_token()
            .to_lowercase()
            .replace(['-', '_'], "")
    );
    let name = &name[..40];
    let mut conn = sqlx::PgConnection::connect(admin_url)
        .await
        .expect("PostgreSQL reachable");
    sqlx::query(&format!("CREATE DATABASE \"{name}\""))
        .execute(&mut conn)
        .await
        .expect("create test database");
    let (base, _) = admin_url.rsplit_once('/').expect("URL names a database");
    format!("{base}/{name}")
}

impl TestApp {
    /// Calls a server function the way the hydrated page does.
    pub async fn call(
        &self,
        endpoint: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> FnResponse {
        let mut req = self
            .client
            .post(format!("{}/api/{endpoint}", self.address))
            .header(ACCEPT, "application/json")
            .form(form);
        if let Some(c) = cookie {
            req = req.header(COOKIE, c);
        }
        let resp = req.send().await.expect("request sent");
        FnResponse {
            status: resp.status(),
            headers: resp.headers().clone(),
            body: resp.text().await.unwrap(),
        }
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> reqwest::Response {
        let mut req = self.client.get(format!("{}{path}", self.address));
        if let Some(c) = cookie {
            req = req.header(COOKIE, c);
        }
        req.send().await.expect("request sent")
    }

    /// Runs first-run setup with the standard owner; returns the session cookie.
    pub async fn setup_owner(&self) -> String {
        let resp = self
            .call(
                "setup",
                &[
                    ("organization_name", "North Tutors"),
                    ("organization_slug", "north-tutors"),
                    ("owner_name", "Olive Owner"),
                    ("owner_email", OWNER_EMAIL),
                    ("owner_password", OWNER_PASSWORD),
                ],
                None,
            )
            .await;
        assert!(
            resp.status.is_success() || resp.status.is_redirection(),
            "setup failed: {} {}",
            resp.status,
            resp.body
        );
        resp.session_cookie().expect("setup signs the owner in")
    }

    pub async fn login(&self, email: &str, password: &str) -> FnResponse {
        self.call("login", &[("email", email), ("password", password)], None)
            .await
    }
}

pub fn location(resp: &reqwest::Response) -> Option<&str> {
    resp.headers().get(LOCATION).and_then(|v| v.to_str().ok())
}
