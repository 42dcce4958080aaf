//! How fast does a bulk invitation reach a real SMTP server?
//!
//!     make bench                          # both benchmarks; this one with 10,000 emails
//!     BENCH_EMAILS=2000 make bench        # another size
//!     BENCH_SMTP_CONNECTIONS=64 make bench  # SMTP connections (default: the server's, 10)
//!
//! Starts the real server in this process (release build) with SMTP_URL
//! pointing at a local aiosmtpd (tests/support/smtp_server.py, counting what
//! it accepts), seeds N clients, then times from the confirm request
//! (`start_bulk_invite`) until the SMTP server has accepted every email. On
//! SQLite, and on PostgreSQL too when PORCHLIGHT_TEST_POSTGRES_URL is set.
//! Prints emails/s and the process's peak memory (VmHWM, server and
//! benchmark together).

use std::io::{BufRead, BufReader};
use std::time::{Duration, Instant};

use leptos::config::get_configuration;
use porchlight::server::config::Cli;
use porchlight::server::startup;

#[tokio::main]
async fn main() {
    let n: i64 = std::env::var("BENCH_EMAILS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().unwrap();
    let sqlite = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    run("SQLite", &sqlite, dir.path(), n).await;
    if let Ok(admin) = std::env::var("PORCHLIGHT_TEST_POSTGRES_URL") {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
        let name = "porchlight_bench_bulk";
        for sql in [
            format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            format!("CREATE DATABASE {name}"),
        ] {
            sqlx::query(&sql).execute(&mut conn).await.unwrap();
        }
        let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
        run("PostgreSQL", &url, dir.path(), n).await;
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut conn)
            .await
            .unwrap();
    }
}

/// SMTP connections the server sends over: BENCH_SMTP_CONNECTIONS, by
/// default the server's own default (SMTP_CONNECTIONS, 10).
fn connections() -> u32 {
    std::env::var("BENCH_SMTP_CONNECTIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(porchlight::server::mail::WorkerSettings::default().connections)
}

/// The SMTP server process; stops when dropped.
struct Sink {
    child: std::process::Child,
    dir: tempfile::TempDir,
    port: u16,
}

impl Sink {
    fn start() -> Sink {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = tempfile::tempdir().unwrap();
        let mut child = std::process::Command::new("python3")
            .arg("tests/support/smtp_server.py")
            .arg(port.to_string())
            .arg(dir.path())
            .env("SMTP_SINK_COUNT_ONLY", "1")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python3 with aiosmtpd (scripts/ensure-tools.sh --test installs it)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(line.starts_with("listening"), "SMTP server: {line:?}");
        Sink { child, dir, port }
    }

    fn accepted(&self) -> i64 {
        std::fs::read_to_string(self.dir.path().join("count"))
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0)
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Peak resident memory of this process so far, in MiB.
fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

async fn run(backend: &str, database_url: &str, data: &std::path::Path, n: i64) {
    let sink = Sink::start();
    let mut config = Cli {
        database_url: Some(database_url.to_owned()),
        site_addr: "127.0.0.1:0".parse().unwrap(),
        public_url: None,
        smtp_url: Some(format!("smtp://127.0.0.1:{}", sink.port).parse().unwrap()),
        dev_mailbox: false,
        smtp_ca_file: None,
        mail_from: None,
        smtp_max_attempts: 6,
        login_failures_per_account: 5,
        login_failures_per_ip: 20,
        login_failure_window: 300,
        requests_per_key_per_minute: 5,
        requests_per_ip_per_minute: 20,
        smtp_connections: connections(),
        secret: Some("bench-secret-".repeat(4)),
        data_dir: data.to_owned(),
    }
    .into_config()
    .unwrap();
    config.worker.poll_interval = Duration::from_millis(200);
    let leptos_options = get_configuration(Some("Cargo.toml"))
        .unwrap()
        .leptos_options;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (router, state) = startup::build(config, leptos_options).await.unwrap();
    // Served exactly as the server binary serves (TCP_NODELAY included).
    let server = tokio::spawn(startup::serve_until(
        listener,
        router,
        state.clone(),
        std::future::pending(),
    ));
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let call = |endpoint: &str, form: Vec<(&str, String)>, cookie: Option<String>| {
        let mut req = http
            .post(format!("{base}/api/{endpoint}"))
            .header("accept", "application/json")
            .form(&form);
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        req.send()
    };

    let setup = call(
        "setup",
        vec![
            ("organization_name", "Bench School".into()),
            ("organization_slug", "bench-school".into()),
            ("owner_name", "Bea Bench".into()),
            ("owner_email", "bea@bench.example".into()),
            ("owner_password", "a long bench password".into()),
        ],
        None,
    )
    .await
    .unwrap();
    let cookie = setup
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("porchlight_session="))
        .and_then(|v| v.split(';').next())
        .expect("setup signs in")
        .to_owned();

    let seeded = Instant::now();
    sqlx::query(
        "WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < $1)
         INSERT INTO clients (organization_id, first_name, last_name, email, email_lower, role,
                              created_at, search_text, list_state)
         SELECT o.id, 'Client', CAST(k.n AS TEXT), 'client' || CAST(k.n AS TEXT) || '@bench.example',
                'client' || CAST(k.n AS TEXT) || '@bench.example', 'client', k.n,
                'client ' || CAST(k.n AS TEXT), 'not_invited'
         FROM k CROSS JOIN organizations o",
    )
    .bind(n)
    .execute(&state.db.pool)
    .await
    .unwrap();
    println!(
        "{backend}: seeded {n} clients in {:.1} s",
        seeded.elapsed().as_secs_f64()
    );
    let before = peak_mib();

    let started = Instant::now();
    let resp = call(
        "start_bulk_invite",
        vec![
            ("request_key", "bench".into()),
            ("rule", "never_invited".into()),
        ],
        Some(cookie),
    )
    .await
    .unwrap();
    assert!(resp.status().is_success(), "{}", resp.text().await.unwrap());
    let confirmed = started.elapsed();
    while sink.accepted() < n {
        tokio::time::sleep(Duration::from_millis(10)).await;
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "only {} of {n} emails arrived in five minutes",
            sink.accepted()
        );
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "{backend}: bulk invitation of {n} over {} SMTP connections: confirm answered in {:.1} ms; every email accepted by the SMTP server after {elapsed:.2} s = {:.0} emails/s; peak memory {:.0} MiB ({:.0} MiB before the job)",
        connections(),
        confirmed.as_secs_f64() * 1000.0,
        n as f64 / elapsed,
        peak_mib(),
        before
    );
    server.abort();
    state.db.pool.close().await;
}
