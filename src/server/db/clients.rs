use sqlx::{AnyPool, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct ClientListRow {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub created_at: i64,
}

/// One page of an organization's clients, newest first, and the total count.
pub async fn page(
    pool: &AnyPool,
    organization_id: i64,
    limit: i64,
    offset: i64,
) -> Result<(Vec<ClientListRow>, i64), sqlx::Error> {
    let rows = sqlx::query_as(
        "SELECT id, first_name, last_name, email, created_at FROM clients
         WHERE organization_id = $1
         ORDER BY created_at DESC, id DESC
         LIMIT $2 OFFSET $3",
    )
    .bind(organization_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    let (total,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM clients WHERE organization_id = $1")
            .bind(organization_id)
            .fetch_one(pool)
            .await?;
    Ok((rows, total))
}
