//! Writes take turns: on SQLite, a write waits for the writer before it
//! (however long) instead of failing with "database is locked" after
//! SQLite's busy timeout (5 s), and waiting writers are served first come,
//! first served.

use std::time::Duration;

use crate::helpers::*;

#[tokio::test]
async fn a_write_waits_for_a_long_transaction_instead_of_failing() {
    let app = spawn_app().await;
    let db = app.db.clone();
    let mut long = db.begin().await.unwrap();
    sqlx::query("INSERT INTO rate_events (bucket, at) VALUES ('long', 1)")
        .execute(&mut *long)
        .await
        .unwrap();
    let waiting = tokio::spawn({
        let db = db.clone();
        async move { porchlight::server::db::rate::record(&db, "request", 2).await }
    });
    if on_postgres() {
        // PostgreSQL locks rows, not the database: a write to other rows
        // never waits.
        tokio::time::timeout(Duration::from_secs(5), async {
            while !waiting.is_finished() {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
        .await
        .expect("the write does not wait");
    } else {
        // Longer than SQLite's busy timeout.
        tokio::time::sleep(Duration::from_secs(6)).await;
        assert!(!waiting.is_finished(), "the write waits for its turn");
    }
    long.commit().await.unwrap();
    waiting
        .await
        .unwrap()
        .expect("the write is made once its turn comes");
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM rate_events")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(n, 2, "both writes are in");
}
