use leptos::config::get_configuration;
pub use porchlight::server::Clock;
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
    /// The configuration it started with, to start replicas or restart it.
    config: Config,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    /// Sending (or dropping) it stops the server as SIGTERM does.
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    /// The PostgreSQL database made for this test, dropped with the app.
    postgres: Option<(String, String)>,
    _data_dir: Option<tempfile::TempDir>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
        // Its background work (mail worker, job runner, event listener) stops
        // once its pool is closed, instead of retrying a dropped database for
        // the rest of the test. Marking the pool closed needs no await.
        drop(self.db.pool.close());
        let Some((admin_url, name)) = self.postgres.take() else {
            return;
        };
        // Drop cannot await: a short-lived runtime on its own thread does the work.
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                use sqlx::Connection;
                let mut conn = sqlx::PgConnection::connect(&admin_url).await?;
                sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .execute(&mut conn)
                    .await
                    .map(|_| ())
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop a test database ({dropped:?})");
        }
    }
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

    /// The error this answer carries (panics if it carries none).
    pub fn error(&self) -> porchlight::model::AppError {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not an error ({e}): {} {}", self.status, self.body))
    }

    /// What the page shows for this answer's error, in English (with what
    /// each field is refused for).
    pub fn says(&self) -> String {
        self.error().to_string()
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

/// Everything the servers of this test run logged (debug and up), to check
/// that no secret ever reaches a log.
pub fn captured_logs() -> String {
    String::from_utf8_lossy(&LOGS.lock().unwrap()).into_owned()
}

static LOGS: std::sync::Mutex<Vec<u8>> = std::sync::Mutex::new(Vec::new());

struct Capture;

impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        LOGS.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture_logs() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(
                "debug,sqlx=info,hyper=info,h2=info,reqwest=info",
            ))
            .with_ansi(false)
            .with_writer(|| Capture)
            .try_init();
    });
}

/// Starts a server after `adjust` has had its say on the configuration.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    capture_logs();
    let data_dir = tempfile::tempdir().expect("temporary directory");
    let (database_url, postgres) = match std::env::var("PORCHLIGHT_TEST_POSTGRES_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let (url, name) = fresh_postgres_database(&admin_url).await;
            (url, Some((admin_url, name)))
        }
        _ => {
            let file = data_dir.path().join("test.db");
            (format!("sqlite://{}?mode=rwc", file.display()), None)
        }
    };
    let mut config = Cli {
        database_url: Some(database_url),
        site_addr: "127.0.0.1:0".parse().unwrap(),
        public_url: None,
        smtp_url: None,
        dev_mailbox: false,
        smtp_ca_file: None,
        mail_from: None,
        smtp_max_attempts: 6,
        login_failures_per_account: 5,
        login_failures_per_ip: 20,
        login_failure_window: 300,
        requests_per_key_per_minute: 5,
        requests_per_ip_per_minute: 20,
        smtp_connections: 10,
        secret: Some("test-secret-".repeat(4)),
        data_dir: data_dir.path().to_owned(),
        storage_url: None,
    }
    .into_config()
    .expect("valid test configuration");
    adjust(&mut config);
    let mut app = start(config).await;
    app.postgres = postgres;
    app._data_dir = Some(data_dir);
    app
}

/// True when the tests run on PostgreSQL.
pub fn on_postgres() -> bool {
    std::env::var("PORCHLIGHT_TEST_POSTGRES_URL").is_ok_and(|u| !u.is_empty())
}

async fn start(config: Config) -> TestApp {
    let leptos_options = get_configuration(Some("Cargo.toml"))
        .unwrap()
        .leptos_options;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let (router, state) = startup::build(config.clone(), leptos_options)
        .await
        .expect("app builds");
    let db = state.db.clone();
    let (shutdown, stop) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(startup::serve_until(listener, router, state, async {
        let _ = stop.await;
    }));

    TestApp {
        address,
        client: reqwest::Client::builder()
            .redirect(Policy::none())
            // A request the server never answers fails its test instead of
            // hanging the whole suite.
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .unwrap(),
        db,
        config,
        server,
        shutdown: Some(shutdown),
        postgres: None,
        _data_dir: None,
    }
}

impl TestApp {
    /// A second server process on the same database, as a replica would be.
    /// It must not outlive this one.
    pub async fn replica(&self) -> TestApp {
        start(self.config.clone()).await
    }

    /// Stops this server as a crash would (connections cut, background work
    /// abandoned mid-way) and starts a new one on the same database.
    pub async fn restart(mut self) -> TestApp {
        self.stop().await;
        let mut next = start(self.config.clone()).await;
        next.postgres = self.postgres.take();
        next._data_dir = self._data_dir.take();
        next
    }

    /// Stops the server as SIGTERM does, and waits until it has stopped.
    pub async fn stop_gracefully(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        (&mut self.server)
            .await
            .expect("server task")
            .expect("server ran");
    }

    /// Stops serving requests and closes the database pool, which ends the
    /// background workers.
    pub async fn stop(&self) {
        self.server.abort();
        self.db.pool.close().await;
    }
}

/// Creates an empty database next to the one `admin_url` names; returns its
/// URL and name.
async fn fresh_postgres_database(admin_url: &str) -> (String, String) {
    use sqlx::Connection;
    let suffix: String = porchlight::server::auth::token::random_token()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(20)
        .collect();
    let name = format!("porchlight_test_{}", suffix.to_lowercase());
    let mut conn = sqlx::PgConnection::connect(admin_url)
        .await
        .expect("PostgreSQL reachable");
    sqlx::query(&format!("CREATE DATABASE \"{name}\""))
        .execute(&mut conn)
        .await
        .expect("create test database");
    let (base, _) = admin_url.rsplit_once('/').expect("URL names a database");
    (format!("{base}/{name}"), name)
}

impl TestApp {
    /// The one integer a query without parameters returns (a `COUNT(*)`, an
    /// id), read straight from the database.
    pub async fn scalar(&self, sql: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as(sql)
            .fetch_one(&self.db.pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        n
    }

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

    /// A page's HTML, asked for by a browser whose `Accept-Language` is
    /// `accept_language`.
    pub async fn page_in(&self, path: &str, cookie: Option<&str>, accept_language: &str) -> String {
        let mut req = self
            .client
            .get(format!("{}{path}", self.address))
            .header(reqwest::header::ACCEPT_LANGUAGE, accept_language);
        if let Some(c) = cookie {
            req = req.header(COOKIE, c);
        }
        let resp = req.send().await.expect("request sent");
        assert_eq!(resp.status(), 200, "{path}");
        resp.text().await.unwrap()
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

    /// Signs the standard owner in again; returns the session cookie.
    pub async fn owner_session(&self) -> String {
        self.login(OWNER_EMAIL, OWNER_PASSWORD)
            .await
            .session_cookie()
            .expect("the owner signs in")
    }

    pub async fn login(&self, email: &str, password: &str) -> FnResponse {
        self.call("login", &[("email", email), ("password", password)], None)
            .await
    }
}

pub fn location(resp: &reqwest::Response) -> Option<&str> {
    resp.headers().get(LOCATION).and_then(|v| v.to_str().ok())
}

/// A message from the development mailbox.
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Mail {
    /// The activation token in the message's link.
    pub fn token(&self) -> String {
        self.link_token("/activate/")
    }

    /// The password reset token in the message's link.
    pub fn reset_token(&self) -> String {
        self.link_token("/reset/")
    }

    /// The token after `path` in the message's text part.
    pub fn link_token(&self, path: &str) -> String {
        let start = self.text.find(path).expect("a link in the email") + path.len();
        self.text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect()
    }
}

impl TestApp {
    /// A client's timeline as its page shows it, newest first.
    pub async fn timeline(&self, cookie: &str, client_id: i64) -> Vec<String> {
        let resp = self
            .call(
                "get_client",
                &[("client_id", &client_id.to_string())],
                Some(cookie),
            )
            .await;
        assert_eq!(resp.status, 200, "{}", resp.body);
        resp.json()["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["text"].as_str().unwrap().to_owned())
            .collect()
    }

    /// Now, by the clock the server reads (ms since the epoch).
    pub fn now(&self) -> i64 {
        self.config.clock.now_ms()
    }

    /// Moves the server's clock forward by `by`, as the passing of time
    /// would (replicas and restarts of this app share the clock).
    pub fn advance(&self, by: std::time::Duration) {
        self.config.clock.advance(by);
    }

    /// Moves the clock past an invitation's default lifetime (30 days):
    /// every invitation sent so far has expired, and so has every session
    /// (14 days): sign in again with [`TestApp::owner_session`].
    pub fn pass_invitation_lifetime(&self) {
        self.advance(std::time::Duration::from_secs(31 * 24 * 3600));
    }

    /// Recomputes every client's stored list state, as the application does in
    /// each change: for tests that set invitation or email facts directly.
    pub async fn refresh_list_states(&self) {
        let ids: Vec<(porchlight::model::ClientId,)> = sqlx::query_as("SELECT id FROM clients")
            .fetch_all(&self.db.pool)
            .await
            .unwrap();
        let mut tx = self.db.begin().await.unwrap();
        for (id,) in ids {
            porchlight::server::db::clients::refresh_state(&mut tx, id)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
    }

    /// Waits until the development mailbox holds `count` messages and their
    /// deliveries are recorded; returns them, oldest first.
    pub async fn wait_for_mail(&self, count: usize) -> Vec<Mail> {
        for _ in 0..100 {
            let rows: Vec<(String, String, String, String)> = sqlx::query_as(
                "SELECT recipient, subject, text_body, html_body FROM dev_mailbox ORDER BY id",
            )
            .fetch_all(&self.db.pool)
            .await
            .unwrap();
            // Delivered and recorded: no message is in the mailbox while
            // the claim that delivered it is still unrecorded.
            let sending = self
                .scalar(
                    "SELECT COUNT(*) FROM email_outbox e JOIN dev_mailbox m ON m.outbox_id = e.id
                 WHERE e.status = 'sending' AND m.created_at >= e.claimed_at",
                )
                .await;
            if rows.len() >= count && sending == 0 {
                return rows
                    .into_iter()
                    .map(|(to, subject, text, html)| Mail {
                        to,
                        subject,
                        text,
                        html,
                    })
                    .collect();
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("expected {count} emails in the development mailbox");
    }

    /// Waits until the development mailbox holds a message to `to` (any
    /// case) and returns the newest one.
    pub async fn wait_for_mail_to(&self, to: &str) -> Mail {
        for _ in 0..100 {
            let row: Option<(String, String, String, String)> = sqlx::query_as(
                "SELECT recipient, subject, text_body, html_body FROM dev_mailbox
                 WHERE LOWER(recipient) = $1 ORDER BY id DESC LIMIT 1",
            )
            .bind(to.to_lowercase())
            .fetch_optional(&self.db.pool)
            .await
            .unwrap();
            if let Some((to, subject, text, html)) = row {
                return Mail {
                    to,
                    subject,
                    text,
                    html,
                };
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("no email to {to} in the development mailbox");
    }

    /// Waits until the development mailbox holds a message to `to` whose
    /// subject contains `subject`, and returns the newest such one.
    pub async fn wait_for_mail_about(&self, to: &str, subject: &str) -> Mail {
        for _ in 0..100 {
            let mail = self.wait_for_mail_to(to).await;
            if mail.subject.contains(subject) {
                return mail;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("no email to {to} about {subject:?} in the development mailbox");
    }

    /// Creates another organization as the signed-in owner of `cookie`;
    /// returns the new session cookie, which is current in that organization.
    pub async fn create_organization(&self, cookie: &str, name: &str, slug: &str) -> String {
        self.call(
            "create_organization",
            &[
                ("request_key", request_key().as_str()),
                ("organization_name", name),
                ("organization_slug", slug),
            ],
            Some(cookie),
        )
        .await
        .session_cookie()
        .expect("the organization is created and becomes current")
    }

    /// Creates a client through the server function; returns its id.
    pub async fn create_client(
        &self,
        cookie: &str,
        first: &str,
        last: &str,
        email: &str,
    ) -> FnResponse {
        self.call(
            "create_client",
            &[
                ("request_key", request_key().as_str()),
                ("first_name", first),
                ("last_name", last),
                ("email", email),
                ("role", "client"),
            ],
            Some(cookie),
        )
        .await
    }

    /// Creates a client that must be accepted; returns its id.
    pub async fn create_client_id(
        &self,
        cookie: &str,
        first: &str,
        last: &str,
        email: &str,
    ) -> i64 {
        let resp = self.create_client(cookie, first, last, email).await;
        resp.json()
            .as_i64()
            .unwrap_or_else(|| panic!("client not created: {}", resp.body))
    }

    /// Adds Pat, with `email` and `role`, as `by` (an invitation goes out
    /// when the organization invites by itself).
    pub async fn create_person(&self, by: &str, email: &str, role: &str) -> FnResponse {
        self.call(
            "create_client",
            &[
                ("request_key", request_key().as_str()),
                ("first_name", "Pat"),
                ("last_name", role),
                ("email", email),
                ("role", role),
            ],
            Some(by),
        )
        .await
    }

    /// Adds a person with `role` as `by`, who activates at once; returns
    /// their client id and session cookie.
    pub async fn add_member(&self, by: &str, email: &str, role: &str) -> (i64, String) {
        let resp = self.create_person(by, email, role).await;
        assert_eq!(resp.status, 200, "{}", resp.body);
        let id = resp.json().as_i64().unwrap();
        let token = self.wait_for_mail_to(email).await.token();
        let done = self.activate(&token, "a brand new password").await;
        assert_eq!(done.status, 200, "{}", done.body);
        (id, done.session_cookie().unwrap())
    }

    /// Sends (or resends) a client's invitation as `cookie`.
    pub async fn send_invitation(&self, cookie: &str, client_id: i64) -> FnResponse {
        self.call(
            "send_invitation",
            &[("client_id", &client_id.to_string())],
            Some(cookie),
        )
        .await
    }

    /// Enables or disables a client's portal access as `cookie`.
    pub async fn set_access(&self, cookie: &str, client_id: i64, enabled: bool) -> FnResponse {
        self.call(
            "set_client_access",
            &[
                ("client_id", &client_id.to_string()),
                ("enabled", if enabled { "true" } else { "false" }),
            ],
            Some(cookie),
        )
        .await
    }

    /// Submits a new password on an activation link, signed out.
    pub async fn activate(&self, token: &str, password: &str) -> FnResponse {
        self.call(
            "activate",
            &[("token", token), ("password", password)],
            None,
        )
        .await
    }

    /// The HTML of an activation link's page, signed out.
    pub async fn activation_page(&self, token: &str) -> String {
        self.get(&format!("/activate/{token}"), None)
            .await
            .text()
            .await
            .unwrap()
    }

    /// The members of the client list's first page of accounts, as JSON,
    /// account by account.
    pub async fn client_rows(&self, cookie: &str) -> Vec<Value> {
        members_of(
            &self
                .call("list_clients", &[("page", "1")], Some(cookie))
                .await
                .json(),
        )
    }

    /// Gives each client inserted straight into the database (without an
    /// account, as fixtures of many clients are) an account of its own, as
    /// the migration did for the clients before accounts.
    pub async fn give_accounts(&self) {
        for sql in [
            "INSERT INTO client_accounts (id, organization_id, name, created_at)
             SELECT id, organization_id, first_name || ' ' || last_name, created_at FROM clients
             WHERE account_id IS NULL",
            "UPDATE clients SET account_id = id WHERE account_id IS NULL",
        ] {
            sqlx::query(sql).execute(&self.db.pool).await.unwrap();
        }
        porchlight::server::domain::client_accounts::fill_name_lower(&self.db)
            .await
            .unwrap();
        if on_postgres() {
            sqlx::query(
                "SELECT setval(pg_get_serial_sequence('client_accounts', 'id'),
                               (SELECT MAX(id) FROM client_accounts) + 1, false)",
            )
            .execute(&self.db.pool)
            .await
            .unwrap();
        }
    }
}

/// Every member of every account of a client list page (`list_clients`'s
/// answer), account by account.
pub fn members_of(page: &Value) -> Vec<Value> {
    page["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|account| account["members"].as_array().cloned().unwrap_or_default())
        .collect()
}

/// A free port on this machine, on which nobody listens yet (a server or a
/// process about to be started there).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The server binary running as its own process on a test app's database,
/// so that a test can kill it as a crash would (SIGKILL): nothing of it runs
/// on after the kill, unlike an in-process server. Killed when dropped.
pub struct ServerProcess {
    pub address: String,
    child: std::process::Child,
}

impl TestApp {
    /// Stops this in-process server as SIGTERM does and starts the server
    /// binary on the same database and secret instead, sending email to
    /// `smtp`. This app's requests (`call`, `get`) then go to the process.
    pub async fn hand_over_to_process(&mut self, smtp: &url::Url) -> ServerProcess {
        self.stop_gracefully().await;
        // Nothing of the in-process server may run on (its bulk job runner
        // would expand jobs beside the process): its pool closes, and the
        // test reads the database through a fresh one.
        self.db.pool.close().await;
        self.db = Db::connect_and_migrate(&self.config.database_url)
            .await
            .expect("the database reopens");
        let process = self.start_process(smtp).await;
        self.address = process.address.clone();
        process
    }

    /// Starts the server binary on this app's database and secret, sending
    /// email to `smtp`; waits until it answers `/healthz`.
    pub async fn start_process(&self, smtp: &url::Url) -> ServerProcess {
        let port = free_port();
        let log =
            std::fs::File::create(self.config.data_dir.join(format!("server-{port}.log"))).unwrap();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_porchlight"))
            .env("DATABASE_URL", &self.config.database_url)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("SMTP_URL", smtp.as_str())
            .env(
                "PORCHLIGHT_SECRET",
                String::from_utf8(self.config.secret.expose().to_vec()).unwrap(),
            )
            .env("PORCHLIGHT_DATA_DIR", &self.config.data_dir)
            .env("RUST_LOG", "warn")
            .env_remove("DEV_MAILBOX")
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("the server binary starts");
        let mut process = ServerProcess {
            address: format!("http://127.0.0.1:{port}"),
            child,
        };
        for _ in 0..300 {
            if let Ok(resp) = self
                .client
                .get(format!("{}/healthz", process.address))
                .send()
                .await
                && resp.status().is_success()
            {
                return process;
            }
            if let Ok(Some(status)) = process.child.try_wait() {
                panic!("the server binary exited at start: {status}");
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        process.kill();
        panic!("the server binary did not answer /healthz within 15 s");
    }
}

impl ServerProcess {
    /// Kills the process at once (SIGKILL), as a crash or the OOM killer
    /// would, and waits until it is gone.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A real SMTP server process (aiosmtpd, `tests/support/smtp_server.py`) on a
/// free port. It stops when this value is dropped.
pub struct SmtpServer {
    pub port: u16,
    pub dir: tempfile::TempDir,
    child: std::process::Child,
}

impl SmtpServer {
    pub fn start() -> SmtpServer {
        SmtpServer::spawn(None, None)
    }

    /// A server that takes `per_message` to accept each message.
    pub fn start_slow(per_message: std::time::Duration) -> SmtpServer {
        SmtpServer::spawn(None, Some(per_message))
    }

    /// A submission server: STARTTLS required (its certificate from a
    /// throwaway authority, see [`SmtpServer::ca_file`]), then AUTH as
    /// `user`/`password`.
    pub fn start_submission(user: &str, password: &str) -> SmtpServer {
        SmtpServer::spawn(Some(format!("{user}:{password}")), None)
    }

    /// A server on `port` (one that an app was told about before it
    /// listened there).
    pub fn start_on(port: u16) -> SmtpServer {
        SmtpServer::spawn_on(port, None, None)
    }

    fn spawn(credentials: Option<String>, delay: Option<std::time::Duration>) -> SmtpServer {
        SmtpServer::spawn_on(free_port(), credentials, delay)
    }

    fn spawn_on(
        port: u16,
        credentials: Option<String>,
        delay: Option<std::time::Duration>,
    ) -> SmtpServer {
        use std::io::{BufRead, BufReader};
        let dir = tempfile::tempdir().unwrap();
        let mut child = std::process::Command::new("python3")
            .arg("tests/support/smtp_server.py")
            .arg(port.to_string())
            .arg(dir.path())
            .args(credentials)
            .env(
                "SMTP_SINK_DELAY_MS",
                delay.map_or(0, |d| d.as_millis()).to_string(),
            )
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python3 runs (aiosmtpd is installed by scripts/ensure-tools.sh)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(
            line.starts_with("listening"),
            "SMTP server did not start: {line:?}"
        );
        SmtpServer { port, dir, child }
    }

    /// The authority that signed a submission server's certificate (PEM).
    pub fn ca_file(&self) -> std::path::PathBuf {
        self.dir.path().join("ca.pem")
    }

    pub fn url(&self) -> url::Url {
        format!("smtp://127.0.0.1:{}", self.port).parse().unwrap()
    }

    /// (connections opened in all, most open at once) so far.
    pub fn connections(&self) -> (u32, u32) {
        let text = std::fs::read_to_string(self.dir.path().join("connections")).unwrap();
        let mut numbers = text.split_whitespace().map(|n| n.parse().unwrap());
        (numbers.next().unwrap(), numbers.next().unwrap())
    }

    /// Puts the server out of order (every recipient refused with 421,
    /// nothing delivered) or back in order.
    pub fn set_down(&self, down: bool) {
        let flag = self.dir.path().join("down");
        if down {
            std::fs::write(flag, "").unwrap();
        } else {
            std::fs::remove_file(flag).unwrap();
        }
    }

    /// The `To:` of every message accepted so far, one per message.
    pub fn recipients(&self) -> Vec<String> {
        self.message_files()
            .iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .filter_map(|m| {
                m.lines()
                    .find_map(|l| l.strip_prefix("To: "))
                    .map(str::to_owned)
            })
            .collect()
    }

    /// How many messages it has accepted so far.
    pub fn accepted(&self) -> usize {
        self.message_files().len()
    }

    /// The files of the messages accepted so far, in no particular order.
    fn message_files(&self) -> Vec<std::path::PathBuf> {
        std::fs::read_dir(self.dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect()
    }

    /// Waits (up to 30 s) for `count` messages and returns them raw, in
    /// arrival order.
    pub async fn wait_for(&self, count: usize) -> Vec<String> {
        for _ in 0..600 {
            let mut files = self.message_files();
            if files.len() >= count {
                files.sort_by_key(|p| {
                    p.file_stem()
                        .unwrap()
                        .to_string_lossy()
                        .parse::<u32>()
                        .unwrap()
                });
                return files
                    .iter()
                    .map(|p| std::fs::read_to_string(p).unwrap())
                    .collect();
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("expected {count} messages at the SMTP server");
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Undoes quoted-printable encoding (soft line breaks and =XX escapes).
pub fn decode_quoted_printable(s: &str) -> String {
    let joined = s.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A fresh request key, as a form that creates is shown with: each call
/// gives another.
pub fn request_key() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!("test-key-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// Saves one settings section (`section`) with `fields` as `cookie`.
pub async fn save_settings(
    app: &TestApp,
    cookie: &str,
    section: &str,
    fields: &[(&str, &str)],
) -> FnResponse {
    let mut form = vec![("section", section)];
    form.extend_from_slice(fields);
    app.call("save_organization_settings", &form, Some(cookie))
        .await
}

/// The password the fixtures' clients activate with.
pub const FIXTURE_PASSWORD: &str = "a brand new password";
const DAY_SECS: u64 = 24 * 3600;

/// Invitations on demand only: a new client is not invited at once.
pub async fn turn_off_auto_invite(app: &TestApp, owner: &str) {
    let resp = save_settings(
        app,
        owner,
        "invitations",
        &[("invitation_lifetime_days", "30")],
    )
    .await;
    assert_eq!(resp.status, 200, "{}", resp.body);
}

/// One client in every situation a bulk invitation and the client list meet:
/// active elsewhere (a join), active, invited today, expired, failed, waiting
/// for 10 days, without email, not invited, disabled. Returns the owner.
pub async fn every_kind_of_client(app: &TestApp) -> String {
    let owner = app.setup_owner().await;
    // Someone with an account in another organization.
    let south = app
        .create_organization(&owner, "South Tutors", "south-tutors")
        .await;
    app.create_client(&south, "Sam", "Elsewhere", "sam@example.com")
        .await;
    let token = app.wait_for_mail(1).await.remove(0).token();
    assert_eq!(app.activate(&token, FIXTURE_PASSWORD).await.status, 200);
    let owner = app
        .login(OWNER_EMAIL, OWNER_PASSWORD)
        .await
        .session_cookie()
        .unwrap();

    // Invited while North still invites automatically. Eli's invitation,
    // sent 31 days ago, has expired; Wes's was emailed 10 days ago.
    let expired = app
        .create_client_id(&owner, "Eli", "Expired", "eli@example.com")
        .await;
    app.advance(std::time::Duration::from_secs(21 * DAY_SECS));
    let owner = app.owner_session().await;
    let waiting = app
        .create_client_id(&owner, "Wes", "Waiting", "wes@example.com")
        .await;
    app.advance(std::time::Duration::from_secs(10 * DAY_SECS));
    let active = app
        .create_client_id(&owner, "Ada", "Active", "ada@example.com")
        .await;
    app.create_client(&owner, "Rita", "Recent", "rita@example.com")
        .await;
    let failed = app
        .create_client_id(&owner, "Fay", "Failed", "fay@example.com")
        .await;
    let mails = app.wait_for_mail(6).await;
    let ada = mails
        .iter()
        .find(|m| m.to == "ada@example.com")
        .unwrap()
        .token();
    assert_eq!(app.activate(&ada, FIXTURE_PASSWORD).await.status, 200);
    let _ = (active, expired, waiting);

    turn_off_auto_invite(app, &owner).await;
    app.create_client(&owner, "Nia", "Noemail", "").await;
    app.create_client(&owner, "Ned", "New", "ned@example.com")
        .await;
    app.create_client(&owner, "Sam", "Joiner", "sam@example.com")
        .await;
    let disabled = app
        .create_client_id(&owner, "Dee", "Disabled", "dee@example.com")
        .await;
    app.set_access(&owner, disabled, false).await;

    // A fact only a mail server makes, set directly.
    sqlx::query(
        "UPDATE email_outbox SET status = 'failed', last_error = '550 no' WHERE client_id = $1",
    )
    .bind(failed)
    .execute(&app.db.pool)
    .await
    .unwrap();
    app.refresh_list_states().await;
    owner
}

impl TestApp {
    /// Where the documents of a server with no STORAGE_URL are kept.
    pub fn files_dir(&self) -> std::path::PathBuf {
        self.config.data_dir.join("files")
    }
}

/// A real S3-compatible server process (moto's, from PyPI) on a free port,
/// with one empty bucket; stopped when dropped.
pub struct S3Server {
    pub port: u16,
    pub bucket: &'static str,
    child: std::process::Child,
}

impl S3Server {
    pub async fn start() -> S3Server {
        let port = free_port();
        let child = std::process::Command::new("python3")
            .args([
                "-m",
                "moto.server",
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("python3 runs moto (installed by scripts/ensure-tools.sh)");
        let server = S3Server {
            port,
            bucket: "porchlight-test",
            child,
        };
        let client = reqwest::Client::new();
        for _ in 0..200 {
            if let Ok(resp) = client.put(server.bucket_url()).send().await
                && resp.status().is_success()
            {
                return server;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("moto's S3 server did not start on port {port}");
    }

    /// The bucket's address on the server.
    pub fn bucket_url(&self) -> String {
        format!("http://127.0.0.1:{}/{}", self.port, self.bucket)
    }

    /// The storage settings of a server keeping its documents in the bucket,
    /// under `prefix`.
    pub fn storage(&self, prefix: &str) -> porchlight::server::config::StorageSettings {
        let option = |k: &str, v: String| (k.to_owned(), v);
        porchlight::server::config::StorageSettings {
            url: Some(format!("s3://{}/{prefix}", self.bucket).parse().unwrap()),
            options: vec![
                option("aws_endpoint", format!("http://127.0.0.1:{}", self.port)),
                option("aws_allow_http", "true".into()),
                option("aws_access_key_id", "test".into()),
                option("aws_secret_access_key", "test".into()),
                option("aws_region", "us-east-1".into()),
            ],
        }
    }

    /// The keys in the bucket (S3's ListObjectsV2), and the multipart
    /// uploads still open in it.
    pub async fn contents(&self) -> (Vec<String>, usize) {
        let client = reqwest::Client::new();
        let list = client
            .get(format!("{}?list-type=2", self.bucket_url()))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let keys = list
            .split("<Key>")
            .skip(1)
            .filter_map(|s| s.split_once("</Key>").map(|(k, _)| k.to_owned()))
            .collect();
        let uploads = client
            .get(format!("{}?uploads", self.bucket_url()))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        (keys, uploads.matches("<UploadId>").count())
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl TestApp {
    /// An activated client named `first` Client with `email`, created by
    /// `owner`: their id and session cookie.
    pub async fn active_client(&self, owner: &str, first: &str, email: &str) -> (i64, String) {
        let id = self.create_client_id(owner, first, "Client", email).await;
        let token = self.wait_for_mail_to(email).await.token();
        let activated = self.activate(&token, FIXTURE_PASSWORD).await;
        let cookie = activated
            .session_cookie()
            .unwrap_or_else(|| panic!("{first} is signed in: {}", activated.body));
        (id, cookie)
    }

    /// The account client `client_id` belongs to.
    pub async fn account_of(&self, client_id: i64) -> i64 {
        self.scalar(&format!(
            "SELECT account_id FROM clients WHERE id = {client_id}"
        ))
        .await
    }
}
