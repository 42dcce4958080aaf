//! How fast is the first page of the client list with many clients?
//!
//!     make bench                       # SQLite, 100,000 clients
//!     BENCH_CLIENTS=20000 make bench   # another size
//!
//! With PORCHLIGHT_TEST_POSTGRES_URL set, PostgreSQL is measured too. Prints
//! p50 and p99 of the list query (page, count and statuses) for: no filter,
//! a search, and a status filter.

use std::time::{Duration, Instant};

use porchlight::model::ClientFilter;
use porchlight::server::Clock;
use porchlight::server::db::Db;
use porchlight::server::db::clients::{ListQuery, page};

const RUNS: usize = 100;

#[tokio::main]
async fn main() {
    let n: i64 = std::env::var("BENCH_CLIENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let sqlite = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    run("SQLite", &sqlite, n).await;
    if let Ok(admin) = std::env::var("PORCHLIGHT_TEST_POSTGRES_URL") {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
        let name = "porchlight_bench";
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut conn)
            .await
            .unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .unwrap();
        let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
        run("PostgreSQL", &url, n).await;
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut conn)
            .await
            .unwrap();
    }
}

async fn run(backend: &str, url: &str, n: i64) {
    let db = Db::connect_and_migrate(url).await.unwrap();
    let (org,): (i64,) = sqlx::query_as(
        "INSERT INTO organizations (slug, name, created_at) VALUES ('bench', 'Bench', 0) RETURNING id",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let started = Instant::now();
    seed(&db, org, n).await;
    println!(
        "{backend}: seeded {n} clients in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    for (label, search, status) in [
        ("first page, no filter", "", None),
        (
            "first page, search for one client 'client 4242'",
            "client 4242",
            None,
        ),
        (
            "first page, search matching 90% 'example.com'",
            "example.com",
            None,
        ),
        ("first page, two letters 'nt'", "nt", None),
        (
            "first page, status 'no email'",
            "",
            Some(ClientFilter::NoEmail),
        ),
    ] {
        let mut times = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let q = ListQuery {
                organization_id: porchlight::model::OrganizationId(org),
                search,
                status,
                oldest_first: false,
                limit: 50,
                offset: 0,
                now: Clock::system().now_ms(),
            };
            let t = Instant::now();
            let page = page(&db, &q).await.unwrap();
            times.push(t.elapsed());
            assert!(!page.rows.is_empty());
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{backend}: {label}: p50 {:.2} ms, p99 {:.2} ms ({RUNS} runs)",
            ms(times[RUNS / 2]),
            ms(times[RUNS * 99 / 100])
        );
    }
    db.pool.close().await;
}

async fn seed(db: &Db, org: i64, n: i64) {
    const BATCH: i64 = 500;
    let mut tx = db.begin().await.unwrap();
    let mut i = 0;
    while i < n {
        let end = (i + BATCH).min(n);
        let mut sql = String::from(
            "INSERT INTO clients (organization_id, first_name, last_name, email, email_lower, role, created_at, search_text, list_state) VALUES ",
        );
        for k in i..end {
            if k > i {
                sql.push(',');
            }
            // Every tenth client has no email.
            let (email, search, state) = if k % 10 == 0 {
                ("NULL".to_owned(), format!("client {k} "), "no_email")
            } else {
                (
                    format!("'client{k}@example.com'"),
                    format!("client {k} client{k}@example.com"),
                    "not_invited",
                )
            };
            sql.push_str(&format!(
                "({org}, 'Client', '{k}', {email}, {email}, 'client', {k}, '{search}', '{state}')"
            ));
        }
        sqlx::query(&sql).execute(&mut *tx).await.unwrap();
        i = end;
    }
    tx.commit().await.unwrap();
    // Fresh statistics, as autovacuum (PostgreSQL) or `PRAGMA optimize`
    // would leave them.
    sqlx::query("ANALYZE").execute(&db.pool).await.unwrap();
}
