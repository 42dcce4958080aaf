//! What the server benchmarks share: a server started in this process
//! through the binary's listener and router, its first organization, and
//! reading the process's memory. Each benchmark uses part of it.
#![allow(dead_code)]

use std::path::Path;

use leptos::config::get_configuration;
use porchlight::server::config::{Cli, Config};
use porchlight::server::{AppState, startup};

/// Runs a benchmark as the server binary runs: the allocator tuned before
/// any other thread starts, then a multi-threaded runtime.
pub fn run(bench: impl std::future::Future<Output = ()>) {
    porchlight::server::tune_allocator();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(bench);
}

/// An environment variable's value, or `default` when unset or unreadable.
pub fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The server's configuration for a benchmark: `database_url`, files under
/// `data`, email to `smtp_url` (None: the development mailbox) over
/// `smtp_connections` connections, the default limits.
pub fn config(
    database_url: &str,
    data: &Path,
    smtp_url: Option<url::Url>,
    smtp_connections: u32,
) -> Config {
    Cli {
        database_url: Some(database_url.to_owned()),
        site_addr: "127.0.0.1:0".parse().unwrap(),
        public_url: None,
        smtp_url,
        dev_mailbox: false,
        smtp_ca_file: None,
        mail_from: None,
        smtp_max_attempts: 6,
        login_failures_per_account: 5,
        login_failures_per_ip: 20,
        login_failure_window: 300,
        requests_per_key_per_minute: 5,
        requests_per_ip_per_minute: 20,
        smtp_connections,
        secret: Some("bench-secret-".repeat(4)),
        data_dir: data.to_owned(),
        storage_url: None,
    }
    .into_config()
    .unwrap()
}

/// A running server: its base URL, its state, and the task serving it.
pub struct Server {
    pub base: String,
    pub state: AppState,
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Starts the server with `config` on a free port, served as the binary
/// serves (`startup::serve_until`: TCP_NODELAY, graceful stop), without the
/// binary's request log.
pub async fn serve(config: Config) -> Server {
    let leptos_options = get_configuration(Some("Cargo.toml"))
        .unwrap()
        .leptos_options;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (router, state) = startup::build(config, leptos_options).await.unwrap();
    let task = tokio::spawn(startup::serve_until(
        listener,
        router,
        state.clone(),
        std::future::pending(),
    ));
    Server { base, state, task }
}

/// A client that does not follow redirects.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Runs first-run setup; returns the owner's session cookie (`name=value`).
pub async fn setup(http: &reqwest::Client, base: &str) -> String {
    let resp = http
        .post(format!("{base}/api/setup"))
        .header("accept", "application/json")
        .form(&[
            ("organization_name", "Bench School"),
            ("organization_slug", "bench-school"),
            ("owner_name", "Bea Bench"),
            ("owner_email", "bea@bench.example"),
            ("owner_password", "a long bench password"),
        ])
        .send()
        .await
        .unwrap();
    session_cookie(&resp)
}

/// The session cookie a response sets, as `name=value`.
pub fn session_cookie(resp: &reqwest::Response) -> String {
    resp.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("porchlight_session="))
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_owned()
}

/// The token of the activation link in an email's text.
pub fn activation_token(text: &str) -> String {
    let start = text.find("/activate/").expect("an activation link") + "/activate/".len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// A memory figure of this process from /proc/self/status (`VmHWM:`,
/// `VmRSS:`), in MiB.
pub fn status_mib(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Seeds `accounts` client accounts into organization `org`, newest last:
/// every other account has a second member (a guest), so 100,000 accounts
/// hold 150,000 members; every tenth member has no email; every tenth
/// account is on a plan "Pro" (the guests of those have no email) and
/// every seventh is assigned to `staff`
/// (when given). Written with SQL alone, in one transaction; statistics
/// refreshed after, as autovacuum or `PRAGMA optimize` would leave them.
/// Returns the plan's id.
pub async fn seed_accounts(
    db: &porchlight::server::db::Db,
    org: i64,
    accounts: i64,
    staff: Option<i64>,
) -> i64 {
    let mut tx = db.begin().await.unwrap();
    let (plan,): (i64,) = sqlx::query_as(
        "INSERT INTO plans (organization_id, name, name_lower, created_at)
         VALUES ($1, 'Pro', 'pro', 0) RETURNING id",
    )
    .bind(org)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    let numbers = "WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < $2)";
    sqlx::query(&format!(
        "{numbers}
         INSERT INTO client_accounts (id, organization_id, name, name_lower, plan_id,
                                      assigned_staff_id, created_at)
         SELECT n, $1, 'Account ' || CAST(n AS TEXT), 'account ' || CAST(n AS TEXT),
                CASE WHEN n % 10 = 8 THEN $3 END, CASE WHEN n % 7 = 0 THEN $4 END, n
         FROM k"
    ))
    .bind(org)
    .bind(accounts)
    .bind(plan)
    .bind(staff)
    .execute(&mut *tx)
    .await
    .unwrap();
    // Member j (1: the owner, 2: a guest) of account n.
    for (place, which) in [("owner", "1"), ("guest", "2")] {
        let only = if which == "2" { "WHERE n % 2 = 0" } else { "" };
        sqlx::query(&format!(
            "{numbers}
             INSERT INTO clients (organization_id, account_id, place, first_name, last_name, email,
                                  email_lower, role, created_at, search_text, list_state)
             SELECT $1, n, '{place}', 'Client', CAST(n AS TEXT) || '-{which}',
                    CASE WHEN (n + {which}) % 10 = 0 THEN NULL
                         ELSE 'client' || CAST(n AS TEXT) || '-{which}@example.com' END,
                    CASE WHEN (n + {which}) % 10 = 0 THEN NULL
                         ELSE 'client' || CAST(n AS TEXT) || '-{which}@example.com' END,
                    'client', n,
                    'client ' || CAST(n AS TEXT) || '-{which} '
                      || CASE WHEN (n + {which}) % 10 = 0 THEN ''
                              ELSE 'client' || CAST(n AS TEXT) || '-{which}@example.com' END
                      || ' account ' || CAST(n AS TEXT),
                    CASE WHEN (n + {which}) % 10 = 0 THEN 'no_email' ELSE 'not_invited' END
             FROM k {only}"
        ))
        .bind(org)
        .bind(accounts)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    sqlx::query("ANALYZE").execute(&db.pool).await.unwrap();
    plan
}
