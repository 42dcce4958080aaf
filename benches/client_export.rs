//! How long does exporting the client list take, and how much memory does
//! the server take for it? The whole list of 100,000 accounts (150,000
//! members) is downloaded from `GET /clients/export.csv` of a server
//! running in this process, three times; each run prints its time, size and
//! rows, and the growth of the process's peak memory over what it held
//! before (the peak is reset first: `/proc/self/clear_refs`).
//!
//!     cargo bench --features ssr --bench client_export
//!     BENCH_ACCOUNTS=20000 cargo bench --features ssr --bench client_export
//!
//! With PORCHLIGHT_TEST_POSTGRES_URL set, PostgreSQL is measured too.
//! Goals (issue 15): under 5 s and under 30 MB.

mod support;

use std::time::Instant;

const RUNS: usize = 3;

fn main() {
    support::run(async {
        let accounts: i64 = support::env_or("BENCH_ACCOUNTS", 100_000);
        let dir = tempfile::tempdir().unwrap();
        let sqlite = format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("bench.db").display()
        );
        measure("SQLite", &sqlite, dir.path(), accounts).await;
        if let Ok(admin) = std::env::var("PORCHLIGHT_TEST_POSTGRES_URL") {
            use sqlx::Connection;
            let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
            let name = "porchlight_bench_export";
            for sql in [
                format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                format!("CREATE DATABASE {name}"),
            ] {
                sqlx::query(&sql).execute(&mut conn).await.unwrap();
            }
            let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
            measure("PostgreSQL", &url, dir.path(), accounts).await;
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut conn)
                .await
                .unwrap();
        }
    });
}

async fn measure(backend: &str, url: &str, data: &std::path::Path, accounts: i64) {
    let server = support::serve(support::config(url, data, None, 1)).await;
    let http = support::http();
    let cookie = support::setup(&http, &server.base).await;
    let (org,): (i64,) = sqlx::query_as("SELECT id FROM organizations")
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap();
    support::seed_accounts(&server.state.db, org, accounts, None).await;
    let mut seconds = Vec::new();
    let mut growth = Vec::new();
    for run in 1..=RUNS {
        // Reset the peak, then read what the process holds now.
        std::fs::write("/proc/self/clear_refs", "5").expect("peak memory reset");
        let before = support::status_mib("VmRSS:");
        let started = Instant::now();
        let mut resp = http
            .get(format!("{}/clients/export.csv", server.base))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        let (mut bytes, mut lines) = (0_usize, 0_usize);
        while let Some(chunk) = resp.chunk().await.unwrap() {
            bytes += chunk.len();
            lines += chunk.iter().filter(|b| **b == b'\n').count();
        }
        let took = started.elapsed().as_secs_f64();
        let grew = support::status_mib("VmHWM:") - before;
        println!(
            "{backend}: run {run}: {took:.2} s, {:.1} MB, {} rows, peak memory +{grew:.1} MiB",
            bytes as f64 / 1e6,
            lines - 1
        );
        seconds.push(took);
        growth.push(grew);
    }
    seconds.sort_by(f64::total_cmp);
    growth.sort_by(f64::total_cmp);
    println!(
        "{backend}: export of {accounts} accounts: median {:.2} s, peak memory +{:.1} MiB (goals: 5 s, 30 MB)",
        seconds[RUNS / 2],
        growth[RUNS / 2]
    );
    server.task.abort();
}
