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

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use support::{env_or, status_mib};

fn main() {
    support::run(bench());
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

async fn run(label: &str, database_url: &str, data: &std::path::Path) {
    let n: usize = env_or("BENCH_ACTIVATIONS", 1_000);
    let concurrency: usize = env_or("BENCH_CONCURRENCY", 16);
    let idle: u64 = env_or("BENCH_IDLE_SECONDS", 30);
    let server = support::serve(support::config(database_url, data, None, 10)).await;
    let (base, state) = (server.base.clone(), server.state.clone());
    let http = support::http();
    let owner = support::setup(&http, &base).await;
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
                .map(|(text,)| support::activation_token(&text))
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
                let http = support::http();
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
                    let cookie = support::session_cookie(&set);
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
    server.task.abort();
    state.db.pool.close().await;
}
