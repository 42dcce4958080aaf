//! How fast is the first page of the client list with many accounts?
//!
//!     make bench                        # SQLite, 100,000 accounts (150,000 members)
//!     BENCH_ACCOUNTS=20000 make bench   # another size
//!
//! With PORCHLIGHT_TEST_POSTGRES_URL set, PostgreSQL is measured too. Prints
//! p50 and p99 of the list query (the page of accounts, their members, the
//! count) for: no filter, searches, a status filter, a plan, a staff member.

mod support;

use std::time::{Duration, Instant};

use porchlight::model::ClientFilter;
use porchlight::server::Clock;
use porchlight::server::db::Db;
use porchlight::server::db::clients::{ListQuery, page};

const RUNS: usize = 100;

#[tokio::main]
async fn main() {
    let n: i64 = support::env_or("BENCH_ACCOUNTS", 100_000);
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
    let (staff,): (i64,) = sqlx::query_as(
        "INSERT INTO users (email, email_lower, name, created_at)
         VALUES ('sam@bench.example', 'sam@bench.example', 'Sam Staff', 0) RETURNING id",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let started = Instant::now();
    let plan = support::seed_accounts(&db, org, n, Some(staff)).await;
    let (members,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM clients")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    println!(
        "{backend}: seeded {n} accounts, {members} members in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let none = (None, None);
    for (label, search, status, (plan, staff)) in [
        ("first page, no filter", "", None, none),
        (
            "first page, search for one member 'client 4242-1'",
            "client 4242-1",
            None,
            none,
        ),
        (
            "first page, search matching 90% 'example.com'",
            "example.com",
            None,
            none,
        ),
        ("first page, two letters 'nt'", "nt", None, none),
        (
            "first page, status 'no email'",
            "",
            Some(ClientFilter::NoEmail),
            none,
        ),
        ("first page, plan 'Pro'", "", None, (Some(plan), None)),
        ("first page, assigned staff", "", None, (None, Some(staff))),
        (
            "first page, status 'no email' on plan 'Pro'",
            "",
            Some(ClientFilter::NoEmail),
            (Some(plan), None),
        ),
    ] {
        let mut times = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let q = ListQuery {
                organization_id: porchlight::model::OrganizationId(org),
                search,
                status,
                plan: plan.map(porchlight::model::PlanId),
                staff: staff.map(porchlight::model::UserId),
                oldest_first: false,
                limit: 50,
                offset: 0,
                now: Clock::system().now_ms(),
            };
            let t = Instant::now();
            let page = page(&db, &q).await.unwrap();
            times.push(t.elapsed());
            assert!(!page.accounts.is_empty());
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
