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

mod support;

use std::io::{BufRead, BufReader};
use std::time::{Duration, Instant};

fn main() {
    support::run(bench());
}

async fn bench() {
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

    /// CPU seconds the SMTP server process has used so far (user + system,
    /// from /proc/<pid>/stat; 0 where that cannot be read).
    fn cpu_seconds(&self) -> f64 {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        // Fields after the command name (which may hold spaces) in brackets.
        let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
        let fields: Vec<&str> = after.split_whitespace().collect();
        let ticks: f64 = [11, 12]
            .iter()
            .filter_map(|i| fields.get(*i).and_then(|f| f.parse::<f64>().ok()))
            .sum();
        // SAFETY: sysconf only reads a configuration value.
        let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
        if per_second > 0.0 {
            ticks / per_second
        } else {
            0.0
        }
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

async fn run(backend: &str, database_url: &str, data: &std::path::Path, n: i64) {
    let sink = Sink::start();
    let smtp = format!("smtp://127.0.0.1:{}", sink.port).parse().unwrap();
    let mut config = support::config(database_url, data, Some(smtp), connections());
    config.worker.poll_interval = Duration::from_millis(200);
    let server = support::serve(config).await;
    let (base, state) = (server.base.clone(), server.state.clone());
    let http = support::http();
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

    let cookie = support::setup(&http, &base).await;

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
    let before = support::status_mib("VmHWM:");

    let sink_cpu_before = sink.cpu_seconds();
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
        support::status_mib("VmHWM:"),
        before
    );
    // The SMTP server is one Python process: its CPU time per message
    // bounds the rate any client can reach on this machine.
    let sink_ms = (sink.cpu_seconds() - sink_cpu_before) * 1000.0 / n as f64;
    println!(
        "{backend}: the SMTP server used {sink_ms:.2} ms of CPU per message (alone on a core it would accept at most {:.0} emails/s)",
        1000.0 / sink_ms.max(0.001)
    );
    server.task.abort();
    state.db.pool.close().await;
}
