//! All SQL lives under this module. Queries are written once, in the dialect
//! shared by SQLite and PostgreSQL (`$1` placeholders, `RETURNING`, BIGINT
//! milliseconds for times), and run through sqlx's `Any` driver, so one binary
//! serves both databases. Only the migrations differ per backend.

pub mod audit;
pub mod bulk;
pub mod client_accounts;
pub mod clients;
pub mod documents;
pub mod email_changes;
pub mod export;
pub mod forms;
pub mod imports;
pub mod invitations;
pub mod languages;
pub mod orgs;
pub mod outbox;
pub mod overview;
pub mod rate;
pub mod requests;
pub mod resets;
pub mod sessions;
pub mod signups;
pub mod timeline;
pub mod users;

use std::sync::{Arc, Once};
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

/// Ids as a SQL list (`1, 2, 3`) to put inside `IN (…)`. Only integers go
/// into the text, so it cannot carry SQL.
pub fn id_list(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Sends `payload` to the PostgreSQL `LISTEN`ers of `channel` (`pg_notify`):
/// how servers sharing one database tell each other's open pages what
/// changed. PostgreSQL only; a payload is at most 8,000 bytes.
pub async fn notify(pool: &AnyPool, channel: &str, payload: &str) -> Result<(), sqlx::Error> {
    // writes no table: NOTIFY needs no write turn.
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(channel)
        .bind(payload)
        .execute(pool)
        .await
        .map(|_| ())
}

/// Which database the server talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        }
    }

    /// The clause that ends a `SELECT` choosing rows to claim: on PostgreSQL
    /// `FOR UPDATE SKIP LOCKED`, so that servers sharing the database each
    /// take rows the others are not holding; nothing on SQLite, where writes
    /// take turns (see [`Db`]).
    pub fn skip_locked(self) -> &'static str {
        match self {
            Backend::Postgres => "FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        }
    }

    /// The clause that ends a `SELECT` reading rows a transaction will then
    /// write from: on PostgreSQL `FOR UPDATE`, so that a concurrent writer
    /// waits instead of writing from the same stale values; nothing on
    /// SQLite, where the transaction holds the write lock from its start
    /// (see [`Db::begin`]).
    pub fn lock_rows(self) -> &'static str {
        match self {
            Backend::Postgres => "FOR UPDATE",
            Backend::Sqlite => "",
        }
    }
}

/// The connection pool and the backend it talks to.
///
/// Every write goes through [`Db::begin`] or [`Db::writer`]. On SQLite, where
/// one connection writes at a time, both first wait their turn in this
/// process's first-come-first-served queue: SQLite's own lock is not fair (a
/// waiting writer polls, and a busy loop that commits and begins again can
/// take the lock every time), so without the queue a request could wait
/// past the busy timeout behind a bulk job and fail. PostgreSQL needs no turn.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// SQLite only: whose turn it is to write.
    write_turn: Option<Arc<Mutex<()>>>,
}

/// A connection that holds, on SQLite, this process's write turn (see
/// [`Db`]) until it is dropped, committed or rolled back. Use it as a
/// connection: `&mut *tx` (or `&mut **tx` through a `&mut Tx`).
pub struct WithTurn<C> {
    conn: C,
    _turn: Option<OwnedMutexGuard<()>>,
}

/// A transaction; on SQLite it also holds the write lock.
pub type Tx = WithTurn<Transaction<'static, Any>>;

/// A connection for one write outside a transaction (a single statement is
/// atomic by itself).
pub type Writer = WithTurn<PoolConnection<Any>>;

impl Tx {
    /// Commits; the write turn is given up with it.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.conn.commit().await
    }

    /// Rolls back; the write turn is given up with it.
    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.conn.rollback().await
    }
}

impl<C: std::ops::Deref<Target = AnyConnection>> std::ops::Deref for WithTurn<C> {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.conn
    }
}

impl<C: std::ops::DerefMut<Target = AnyConnection>> std::ops::DerefMut for WithTurn<C> {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.conn
    }
}

impl Db {
    /// Connects and brings the schema up to date.
    pub async fn connect_and_migrate(url: &str) -> Result<Db, sqlx::Error> {
        static DRIVERS: Once = Once::new();
        DRIVERS.call_once(install_default_drivers);

        let backend = Backend::of_url(url);
        let pool = AnyPoolOptions::new()
            // Enough for the outbox worker's lanes, the job runner and the
            // requests at once; SQLite's writers still take turns.
            .max_connections(match backend {
                Backend::Sqlite => 16,
                Backend::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(15))
            // An embedded database's connection cannot be lost: checking it
            // before each use only cost a round trip to its thread. A server's
            // can (a restart, an idle timeout), so PostgreSQL's are checked.
            .test_before_acquire(backend == Backend::Postgres)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // Readers never wait for the writer, and a commit
                        // waits for the disk only at checkpoints: safe against
                        // a crash of the process, fast enough for the outbox.
                        sqlx::query("PRAGMA journal_mode = WAL")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA synchronous = NORMAL")
                            .execute(&mut *conn)
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await?;
        match backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite").run(&pool).await?,
            Backend::Postgres => sqlx::migrate!("migrations/postgres").run(&pool).await?,
        }
        Ok(Db {
            pool,
            backend,
            write_turn: (backend == Backend::Sqlite).then(|| Arc::new(Mutex::new(()))),
        })
    }

    /// Starts a transaction. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a transaction that read first and wrote later could
    /// otherwise fail at once, without waiting, when another connection wrote
    /// in between (WAL's "busy snapshot").
    ///
    /// On SQLite it waits for this process's write turn first (see [`Db`]).
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        let turn = self.turn().await;
        let conn = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(WithTurn { conn, _turn: turn })
    }

    /// A connection for a single write statement, after this process's
    /// write turn on SQLite (see [`Db`]).
    pub async fn writer(&self) -> Result<Writer, sqlx::Error> {
        let turn = self.turn().await;
        let conn = self.pool.acquire().await?;
        Ok(WithTurn { conn, _turn: turn })
    }

    /// Waits for this process's write turn (SQLite), first come first served.
    async fn turn(&self) -> Option<OwnedMutexGuard<()>> {
        match &self.write_turn {
            Some(turn) => Some(turn.clone().lock_owned().await),
            None => None,
        }
    }

    /// A round trip to the database, for the health check.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }
}

/// True when `e` is a unique-constraint violation.
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}
