use sqlx::{AnyPool, FromRow};

use super::Tx;

#[derive(Debug, Clone, FromRow)]
pub struct Organization {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

/// True until first-run setup has created the installation.
pub async fn needs_setup(pool: &AnyPool) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM installation")
        .fetch_one(pool)
        .await?;
    Ok(n == 0)
}

/// Claims the single installation row; fails with a unique violation when
/// setup has already happened, even when two setups race.
pub async fn claim_installation(tx: &mut Tx, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO installation (id, created_at) VALUES (1, $1)")
        .bind(now)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

pub async fn insert(tx: &mut Tx, slug: &str, name: &str, now: i64) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO organizations (slug, name, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(slug)
    .bind(name)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

pub async fn by_id(pool: &AnyPool, id: i64) -> Result<Option<Organization>, sqlx::Error> {
    sqlx::query_as("SELECT id, slug, name FROM organizations WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}
