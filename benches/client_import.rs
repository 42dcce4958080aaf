//! How long does importing 10,000 clients from a CSV file take? A server
//! runs in this process; the file (10,000 rows, one account in three with a
//! second member) is uploaded to `POST /clients/import/upload`, its preview
//! read, then the import started and followed until it is done. Prints the
//! upload-and-preview time and the import's time, three runs without
//! invitations and three with ("Invite imported people": each person's
//! invitation queued in the outbox, which sends them meanwhile), each run
//! with new people.
//!
//!     cargo bench --features ssr --bench client_import
//!     BENCH_ROWS=2000 cargo bench --features ssr --bench client_import
//!
//! With PORCHLIGHT_TEST_POSTGRES_URL set, PostgreSQL is measured too.
//! Goal (issue 15): 10,000 rows in under 5 s.

mod support;

use std::time::{Duration, Instant};

const RUNS: usize = 3;

fn main() {
    support::run(async {
        let rows: usize = support::env_or("BENCH_ROWS", 10_000);
        let dir = tempfile::tempdir().unwrap();
        let sqlite = format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("bench.db").display()
        );
        measure("SQLite", &sqlite, dir.path(), rows).await;
        if let Ok(admin) = std::env::var("PORCHLIGHT_TEST_POSTGRES_URL") {
            use sqlx::Connection;
            let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
            let name = "porchlight_bench_import";
            for sql in [
                format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                format!("CREATE DATABASE {name}"),
            ] {
                sqlx::query(&sql).execute(&mut conn).await.unwrap();
            }
            let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
            measure("PostgreSQL", &url, dir.path(), rows).await;
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut conn)
                .await
                .unwrap();
        }
    });
}

/// A file of `rows` new people, named for run `run`.
fn file(rows: usize, run: usize) -> String {
    let mut text = String::from("First name,Last name,Email,Account,Place\n");
    for i in 0..rows {
        let account = i / 3 * 3;
        let place = if i % 3 == 1 { "guest" } else { "owner" };
        text.push_str(&format!(
            "Person{i},Run{run},person{i}.run{run}@bench.example,Account {account} of run {run},{place}\n"
        ));
    }
    text
}

async fn measure(backend: &str, url: &str, data: &std::path::Path, rows: usize) {
    let server = support::serve(support::config(url, data, None, 1)).await;
    let http = support::http();
    let cookie = support::setup(&http, &server.base).await;
    for invite in [false, true] {
        import_runs(backend, &server, &http, &cookie, rows, invite).await;
    }
    server.task.abort();
}

async fn import_runs(
    backend: &str,
    server: &support::Server,
    http: &reqwest::Client,
    cookie: &str,
    rows: usize,
    invite: bool,
) {
    let mut previews = Vec::new();
    let mut imports = Vec::new();
    let offset = if invite { RUNS } else { 0 };
    for run in 1 + offset..=RUNS + offset {
        let started = Instant::now();
        let part =
            reqwest::multipart::Part::bytes(file(rows, run).into_bytes()).file_name("bench.csv");
        let resp = http
            .post(format!("{}/clients/import/upload", server.base))
            .header("cookie", cookie)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .unwrap();
        let to = resp.headers()["location"].to_str().unwrap().to_owned();
        let id = to.rsplit('/').next().unwrap().to_owned();
        assert!(id.parse::<i64>().is_ok(), "not a preview: {to}");
        let preview = started.elapsed().as_secs_f64();

        let started = Instant::now();
        let mut form = vec![("import_id", id.as_str())];
        if invite {
            form.push(("invite", "on"));
        }
        let resp = http
            .post(format!("{}/api/start_import", server.base))
            .header("cookie", cookie)
            .header("accept", "application/json")
            .form(&form)
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success(), "{}", resp.text().await.unwrap());
        let created = loop {
            let view: serde_json::Value = http
                .post(format!("{}/api/get_import", server.base))
                .header("cookie", cookie)
                .header("accept", "application/json")
                .form(&[("import_id", id.as_str())])
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            if view["status"] == "done" {
                break view["created_members"].as_i64().unwrap();
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        let import = started.elapsed().as_secs_f64();
        assert_eq!(created, rows as i64);
        let invitations = if invite { ", invitations queued" } else { "" };
        println!(
            "{backend}: run {run}: upload and preview {preview:.2} s, import {import:.2} s ({:.0} rows/s{invitations})",
            rows as f64 / import
        );
        previews.push(preview);
        imports.push(import);
    }
    previews.sort_by(f64::total_cmp);
    imports.sort_by(f64::total_cmp);
    let with = if invite { "with" } else { "without" };
    println!(
        "{backend}: {rows} rows {with} invitations: median upload and preview {:.2} s, import {:.2} s (goal: 5 s)",
        previews[RUNS / 2],
        imports[RUNS / 2]
    );
}
