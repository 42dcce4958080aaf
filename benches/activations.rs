//! Completed activations per second, and the memory they take.
//!
//!     cargo bench --features ssr --bench activations     # (make bench runs it)
//!     BENCH_ACTIVATIONS=1000 BENCH_CONCURRENCY=16 BENCH_IDLE_SECONDS=30 cargo bench ...
//!
//! Starts the real server in this process (release build, the development
//! mailbox) through the binary's listener and router (without its request
//! log), invites BENCH_ACTIVATIONS clients (default 1,000) and reads their
//! links from the mailbox. Then BENCH_CONCURRENCY people at a time (default
//! 16) do what a client does: open the link's page, choose a password (one
//! Argon2id hash), and open their dashboard page. Prints activations per
//! second, the process's memory before them (VmRSS), its peak during them
//! (VmHWM, reset before they start) and its memory after BENCH_IDLE_SECONDS
//! of idling (default 30; VmRSS). The process holds the load generator too
//! (its clients and the list of links). On SQLite, and on PostgreSQL too
//! when PORCHLIGHT_TEST_POSTGRES_URL is set (in the same process, after
//! SQLite's server has stopped).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use leptos::config::get_configuration;
use porchlight::server::config::Cli;
use porchlight::server::startup;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // As the server binary does, before any other thread starts.
    porchlight::server::tune_allocator();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(bench());
}

async fn bench() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    run("SQLite", &sqlite, dir.path()).await;
    if let Ok(admin) = std::env::var("PORCHLIGHT_TEST_POSTGRES_URL") {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
        let name = "porchlight_bench_activations";
        for sql in [
            format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            format!("CREATE DATABASE {name}"),
        ] {
            sqlx::query(&sql).execute(&mut conn).await.unwrap();
        }
        let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
        run("PostgreSQL", &url, dir.path()).await;
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut conn)
            .await
            .unwrap();
    }
}

/// A line of /proc/self/status, in MiB.
fn status_mib(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

async fn run(label: &str, database_url: &str, data: &std::path::Path) {
    let n: usize = env_or("BENCH_ACTIVATIONS", 1_000);
    let concurrency: usize = env_or("BENCH_CONCURRENCY", 16);
    let idle: u64 = env_or("BENCH_IDLE_SECONDS", 30);
    let config = Cli {
        database_url: Some(database_url.to_owned()),
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
        secret: Some("bench-secret-".repeat(4)),
        data_dir: data.to_owned(),
    }
    .into_config()
    .unwrap();
    let leptos_options = get_configuration(Some("Cargo.toml"))
        .unwrap()
        .leptos_options;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (router, state) = startup::build(config, leptos_options).await.unwrap();
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

    let owner = cookie_of(
        &http
            .post(format!("{base}/api/setup"))
            .header("accept", "application/json")
            .form(&[
                ("organization_name", "Bench Tutors"),
                ("organization_slug", "bench-tutors"),
                ("owner_name", "Olive Owner"),
                ("owner_email", "owner@example.com"),
                ("owner_password", "a long owner password"),
            ])
            .send()
            .await
            .unwrap(),
    );
    for i in 0..n {
        let email = format!("client{i}@example.com");
        let resp = http
            .post(format!("{base}/api/create_client"))
            .header("accept", "application/json")
            .header("cookie", &owner)
            .form(&[
                ("first_name", "Ann"),
                ("last_name", "Lee"),
                ("email", email.as_str()),
                ("role", "client"),
            ])
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success(), "{}", resp.text().await.unwrap());
    }
    let tokens = loop {
        let rows: Vec<(String,)> = sqlx::query_as("SELECT text_body FROM dev_mailbox")
            .fetch_all(&state.db.pool)
            .await
            .unwrap();
        if rows.len() >= n {
            break rows
                .into_iter()
                .map(|(text,)| {
                    let start = text.find("/activate/").unwrap() + "/activate/".len();
                    text[start..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                        .collect::<String>()
                })
                .collect::<Vec<_>>();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };

    // The peak from here on: the activations only.
    let before = status_mib("VmRSS:");
    if let Err(e) = std::fs::write("/proc/self/clear_refs", "5") {
        eprintln!("could not reset the peak memory ({e}): the peak includes the set-up");
    }
    let queue = Arc::new(Mutex::new(tokens));
    let started = Instant::now();
    let people: Vec<_> = (0..concurrency)
        .map(|_| {
            let queue = queue.clone();
            let base = base.clone();
            tokio::spawn(async move {
                let http = reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .unwrap();
                let mut done = 0;
                loop {
                    let Some(token) = queue.lock().unwrap().pop() else {
                        return done;
                    };
                    let page = http
                        .get(format!("{base}/activate/{token}"))
                        .send()
                        .await
                        .unwrap();
                    assert!(page.status().is_success());
                    page.bytes().await.unwrap();
                    let set = http
                        .post(format!("{base}/api/activate"))
                        .header("accept", "application/json")
                        .form(&[
                            ("token", token.as_str()),
                            ("password", "a brand new password"),
                        ])
                        .send()
                        .await
                        .unwrap();
                    assert!(set.status().is_success() || set.status().is_redirection());
                    let cookie = cookie_of(&set);
                    let dashboard = http
                        .get(format!("{base}/dashboard"))
                        .header("cookie", cookie)
                        .send()
                        .await
                        .unwrap();
                    assert!(dashboard.status().is_success());
                    dashboard.bytes().await.unwrap();
                    done += 1;
                }
            })
        })
        .collect();
    let mut done = 0;
    for p in people {
        done += p.await.unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let peak = status_mib("VmHWM:");
    tokio::time::sleep(Duration::from_secs(idle)).await;
    let after = status_mib("VmRSS:");
    println!(
        "{label:<10} {done} activations, {concurrency} at a time: {elapsed:.2} s, {:.1} activations/s; \
         RSS before {before:.0} MiB, peak {peak:.0} MiB, after {idle} s idle {after:.0} MiB",
        done as f64 / elapsed
    );
    server.abort();
    state.db.pool.close().await;
}

fn cookie_of(resp: &reqwest::Response) -> String {
    resp.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("porchlight_session="))
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_owned()
}
