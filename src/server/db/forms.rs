//! Intake forms (`forms`), their versions (`form_versions`) and the forms
//! sent to clients (`form_requests`).

use sqlx::{AnyPool, FromRow};

use super::{Backend, Tx, id_list};
use crate::model::{ClientId, OrganizationId, UserId};

/// A form with its current version.
#[derive(Debug, Clone, FromRow)]
pub struct FormRow {
    pub id: i64,
    pub title: String,
    pub number: i64,
    pub introduction: String,
    /// JSON.
    pub fields: String,
}

const FORM_COLUMNS: &str = "SELECT f.id, f.title, v.number, v.introduction, v.fields
     FROM forms f JOIN form_versions v ON v.id = f.current_version_id";

/// Every form of an organization with its current version and how many
/// requests wait and were submitted, by title.
pub async fn list(
    pool: &AnyPool,
    organization_id: OrganizationId,
) -> Result<Vec<(FormRow, i64, i64)>, sqlx::Error> {
    #[derive(FromRow)]
    struct Listed {
        #[sqlx(flatten)]
        form: FormRow,
        waiting: i64,
        submitted: i64,
    }
    let rows: Vec<Listed> = sqlx::query_as(
        "SELECT f.id, f.title, v.number, v.introduction, v.fields,
             (SELECT COUNT(*) FROM form_requests r
              WHERE r.form_id = f.id AND r.submitted_at IS NULL) AS waiting,
             (SELECT COUNT(*) FROM form_requests r
              WHERE r.form_id = f.id AND r.submitted_at IS NOT NULL) AS submitted
         FROM forms f JOIN form_versions v ON v.id = f.current_version_id
         WHERE f.organization_id = $1 ORDER BY f.title, f.id",
    )
    .bind(organization_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.form, r.waiting, r.submitted))
        .collect())
}

/// One form of an organization; None for another organization's.
pub async fn get(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    organization_id: OrganizationId,
    id: i64,
) -> Result<Option<FormRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{FORM_COLUMNS} WHERE f.organization_id = $1 AND f.id = $2"
    ))
    .bind(organization_id)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Creates a form with its first version inside `tx`; returns its id.
pub async fn create(
    tx: &mut Tx,
    organization_id: OrganizationId,
    title: &str,
    introduction: &str,
    fields: &str,
    by: UserId,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO forms (organization_id, title, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(organization_id)
    .bind(title)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    add_version(tx, id, 1, introduction, fields, by, now).await?;
    Ok(id)
}

/// Adds version `number` of form `form_id` and makes it current, inside
/// `tx`.
pub async fn add_version(
    tx: &mut Tx,
    form_id: i64,
    number: i64,
    introduction: &str,
    fields: &str,
    by: UserId,
    now: i64,
) -> Result<(), sqlx::Error> {
    let (version,): (i64,) = sqlx::query_as(
        "INSERT INTO form_versions (form_id, number, introduction, fields, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(form_id)
    .bind(number)
    .bind(introduction)
    .bind(fields)
    .bind(by)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query("UPDATE forms SET current_version_id = $1 WHERE id = $2")
        .bind(version)
        .bind(form_id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Changes a version nobody was sent yet, in place, inside `tx`.
pub async fn rewrite_version(
    tx: &mut Tx,
    version_id: i64,
    introduction: &str,
    fields: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE form_versions SET introduction = $1, fields = $2 WHERE id = $3")
        .bind(introduction)
        .bind(fields)
        .bind(version_id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Renames a form inside `tx`.
pub async fn rename(tx: &mut Tx, id: i64, title: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE forms SET title = $1 WHERE id = $2")
        .bind(title)
        .bind(id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Locks form `id` of the organization for the rest of `tx` and reads its
/// current version: (version id, number, whether any client was sent it).
pub async fn lock(
    tx: &mut Tx,
    backend: Backend,
    organization_id: OrganizationId,
    id: i64,
) -> Result<Option<(i64, i64, bool)>, sqlx::Error> {
    let locked: Option<(i64,)> = sqlx::query_as(&format!(
        "SELECT id FROM forms WHERE organization_id = $1 AND id = $2 {}",
        backend.lock_rows()
    ))
    .bind(organization_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    if locked.is_none() {
        return Ok(None);
    }
    sqlx::query_as(
        "SELECT v.id, v.number,
                CASE WHEN EXISTS (SELECT 1 FROM form_requests r WHERE r.version_id = v.id)
                     THEN 1 ELSE 0 END
         FROM forms f JOIN form_versions v ON v.id = f.current_version_id WHERE f.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
    .map(|row: Option<(i64, i64, i64)>| row.map(|(v, n, sent)| (v, n, sent != 0)))
}

/// Sends form `form_id` (its current version) to each client of `clients`
/// in the organization, inside `tx`: a client who has it waiting already
/// keeps that request. Returns how many requests were made.
pub async fn request(
    tx: &mut Tx,
    organization_id: OrganizationId,
    form_id: i64,
    clients: &[i64],
    by: Option<UserId>,
    now: i64,
) -> Result<u64, sqlx::Error> {
    if clients.is_empty() {
        return Ok(0);
    }
    let done = sqlx::query(&format!(
        "INSERT INTO form_requests (organization_id, client_id, form_id, version_id, requested_by,
                                    created_at)
         SELECT c.organization_id, c.id, f.id, f.current_version_id, $3, $4
         FROM clients c JOIN forms f ON f.id = $2 AND f.organization_id = c.organization_id
         WHERE c.organization_id = $1 AND c.id IN ({})
           AND NOT EXISTS (SELECT 1 FROM form_requests r
                           WHERE r.client_id = c.id AND r.form_id = f.id
                             AND r.submitted_at IS NULL)",
        id_list(clients)
    ))
    .bind(organization_id)
    .bind(form_id)
    .bind(by)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// A request with its form's title and the version it was sent.
#[derive(Debug, Clone, FromRow)]
pub struct RequestRow {
    pub id: i64,
    pub form_id: i64,
    pub title: String,
    pub number: i64,
    pub introduction: String,
    /// The version's fields, JSON.
    pub fields: String,
    /// JSON.
    pub answers: String,
    pub saved_at: Option<i64>,
    pub submitted_at: Option<i64>,
}

const REQUEST_COLUMNS: &str = "SELECT r.id, r.form_id, f.title, v.number,
        v.introduction, v.fields, r.answers, r.saved_at, r.submitted_at
     FROM form_requests r
     JOIN forms f ON f.id = r.form_id
     JOIN form_versions v ON v.id = r.version_id";

/// Request `id` of the person `user_id` in the organization; None for
/// another person's.
pub async fn of_person(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    organization_id: OrganizationId,
    user_id: UserId,
    id: i64,
) -> Result<Option<RequestRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{REQUEST_COLUMNS} JOIN clients c ON c.id = r.client_id
         WHERE r.organization_id = $1 AND c.user_id = $2 AND r.id = $3"
    ))
    .bind(organization_id)
    .bind(user_id)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Request `id` of the person `user_id`, read inside `tx` and held until it
/// ends ([`Backend::lock_rows`]): two saves of the same answers apply one
/// after the other, neither losing the other's.
pub async fn of_person_for_update(
    tx: &mut Tx,
    backend: Backend,
    organization_id: OrganizationId,
    user_id: UserId,
    id: i64,
) -> Result<Option<RequestRow>, sqlx::Error> {
    let locked: Option<(i64,)> = sqlx::query_as(&format!(
        "SELECT r.id FROM form_requests r JOIN clients c ON c.id = r.client_id
         WHERE r.organization_id = $1 AND c.user_id = $2 AND r.id = $3 {}",
        backend.lock_rows()
    ))
    .bind(organization_id)
    .bind(user_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    if locked.is_none() {
        return Ok(None);
    }
    of_person(&mut **tx, organization_id, user_id, id).await
}

/// The requests of the person `user_id` in the organization that wait for
/// them, oldest first.
pub async fn waiting_for(
    pool: &AnyPool,
    organization_id: OrganizationId,
    user_id: UserId,
) -> Result<Vec<RequestRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{REQUEST_COLUMNS} JOIN clients c ON c.id = r.client_id
         WHERE r.organization_id = $1 AND c.user_id = $2 AND r.submitted_at IS NULL
         ORDER BY r.id"
    ))
    .bind(organization_id)
    .bind(user_id)
    .fetch_all(pool)
    .await
}

/// The first request waiting for client `client_id`, inside `tx` (where
/// activating sends them).
pub async fn first_waiting(tx: &mut Tx, client_id: ClientId) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM form_requests WHERE client_id = $1 AND submitted_at IS NULL
         ORDER BY id LIMIT 1",
    )
    .bind(client_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|(id,)| id))
}

/// Every request of client `client_id` of the organization, newest first.
pub async fn of_client(
    pool: &AnyPool,
    organization_id: OrganizationId,
    client_id: ClientId,
) -> Result<Vec<RequestRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{REQUEST_COLUMNS} WHERE r.organization_id = $1 AND r.client_id = $2
         ORDER BY r.id DESC"
    ))
    .bind(organization_id)
    .bind(client_id)
    .fetch_all(pool)
    .await
}

/// Every submitted request of form `form_id` of the organization, with the
/// client's name and email, in the order they were submitted.
pub async fn submitted_of_form(
    pool: &AnyPool,
    organization_id: OrganizationId,
    form_id: i64,
) -> Result<Vec<(RequestRow, String, String, Option<String>)>, sqlx::Error> {
    #[derive(FromRow)]
    struct Row {
        #[sqlx(flatten)]
        request: RequestRow,
        first_name: String,
        last_name: String,
        email: Option<String>,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT r.id, r.form_id, f.title, v.number, v.introduction, v.fields,
                r.answers, r.saved_at, r.submitted_at, c.first_name, c.last_name, c.email
         FROM form_requests r
         JOIN forms f ON f.id = r.form_id
         JOIN form_versions v ON v.id = r.version_id
         JOIN clients c ON c.id = r.client_id
         WHERE r.organization_id = $1 AND r.form_id = $2 AND r.submitted_at IS NOT NULL
         ORDER BY r.submitted_at, r.id",
    )
    .bind(organization_id)
    .bind(form_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.request, r.first_name, r.last_name, r.email))
        .collect())
}

/// Every version of form `form_id`'s fields (JSON), oldest first: the
/// columns of its answers' export.
pub async fn all_fields(
    pool: &AnyPool,
    organization_id: OrganizationId,
    form_id: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT v.fields FROM form_versions v JOIN forms f ON f.id = v.form_id
         WHERE f.organization_id = $1 AND v.form_id = $2 ORDER BY v.number",
    )
    .bind(organization_id)
    .bind(form_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(f,)| f).collect())
}

/// Saves a request's answers (JSON) inside `tx`, submitting it when
/// `submit`; false when it was submitted already (nothing changes).
pub async fn save_answers(
    tx: &mut Tx,
    id: i64,
    answers: &str,
    submit: bool,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE form_requests SET answers = $2, saved_at = $3,
             submitted_at = CASE WHEN $4 = 1 THEN $3 ELSE NULL END
         WHERE id = $1 AND submitted_at IS NULL",
    )
    .bind(id)
    .bind(answers)
    .bind(now)
    .bind(i64::from(submit))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The request each client of `client_ids` is listed by: their first form
/// still waiting, else the one they submitted last: (client, form title,
/// submitted at). The list's form filters say the same
/// (`clients::filter_condition`).
pub async fn latest_states(
    pool: &AnyPool,
    organization_id: OrganizationId,
    client_ids: &[i64],
) -> Result<Vec<(ClientId, String, Option<i64>)>, sqlx::Error> {
    if client_ids.is_empty() {
        return Ok(Vec::new());
    }
    sqlx::query_as(&format!(
        "SELECT r.client_id, f.title, r.submitted_at FROM form_requests r
         JOIN forms f ON f.id = r.form_id
         WHERE r.organization_id = $1 AND r.id = (
             SELECT r2.id FROM form_requests r2 WHERE r2.client_id = r.client_id
             ORDER BY CASE WHEN r2.submitted_at IS NULL THEN 0 ELSE 1 END,
                      CASE WHEN r2.submitted_at IS NULL THEN r2.id ELSE -r2.id END
             LIMIT 1)
           AND r.client_id IN ({})",
        id_list(client_ids)
    ))
    .bind(organization_id)
    .fetch_all(pool)
    .await
}
