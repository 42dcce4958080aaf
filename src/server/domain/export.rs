//! The client list as a CSV file, one row per member: what the list shows
//! (its search and filters; a search or a status filter keeps the members
//! that match), written with the `csv` crate (RFC 4180 quoting) after a
//! UTF-8 byte order mark, so that spreadsheet programs read accents right.
//! Rows are read from the database [`ACCOUNTS_PER_PAGE`] accounts at a
//! time and sent on in chunks of about [`CHUNK`] bytes: the whole file
//! never sits in memory.
//!
//! A cell a spreadsheet would run as a formula is made safe ([`safe_cell`]).

use std::borrow::Cow;

use crate::i18n::{Locale, td_string};
use crate::model::{AppError, AuditKind};
use crate::server::auth::CurrentSession;
use crate::server::db::{self, Db};
use crate::server::domain::clients::{self, ListRequest};

/// About how many bytes are handed on at a time.
pub const CHUNK: usize = 64 * 1024;

/// Accounts read from the database at a time.
pub const ACCOUNTS_PER_PAGE: i64 = 500;

/// The UTF-8 byte order mark the file starts with.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A cell as written: one that begins with `=`, `+`, `-`, `@`, a tab or a
/// carriage return gets a leading `'`, so a spreadsheet shows it as text
/// instead of running it as a formula (OWASP, "CSV Injection").
pub fn safe_cell(value: &str) -> Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

/// How Porchlight writes CSV files (the export, the skipped rows of an
/// import): RFC 4180 quoting, CRLF line ends.
pub fn csv_writer() -> csv::WriterBuilder {
    let mut builder = csv::WriterBuilder::new();
    builder.terminator(csv::Terminator::CRLF);
    builder
}

/// The header row, in `locale`.
pub fn headers(locale: Locale) -> [&'static str; 13] {
    [
        td_string!(locale, export.account),
        td_string!(locale, export.first_name),
        td_string!(locale, export.last_name),
        td_string!(locale, export.email),
        td_string!(locale, export.place),
        td_string!(locale, export.role),
        td_string!(locale, export.status),
        td_string!(locale, export.invited_at),
        td_string!(locale, export.activated_at),
        td_string!(locale, export.last_login),
        td_string!(locale, export.access),
        td_string!(locale, export.plan),
        td_string!(locale, export.assigned_staff),
    ]
}

/// "clients-2026-11-30.csv": the file's name on `now`'s day in the
/// actor's organization.
pub fn file_name(actor: &CurrentSession, now: i64) -> String {
    let day = actor.local().iso(now);
    format!("clients-{}.csv", &day[..10])
}

/// Writes the CSV file of the members `request` shows to `emit`, chunk by
/// chunk; `emit` answers false when nobody reads any more (the download
/// was cancelled), and writing stops. Times are ISO 8601 with the offset of
/// the organization's time zone; words (place, role, status, access) are in
/// the actor's language. Recorded in the audit trail: who downloaded the
/// client list (the one write a download makes; the list itself is
/// unchanged).
///
/// Errors: a database error before or while reading (the file then ends
/// early: the caller cuts the download short).
pub async fn clients_csv<F, Fut>(
    db: &Db,
    actor: &CurrentSession,
    request: &ListRequest,
    now: i64,
    mut emit: F,
) -> Result<(), AppError>
where
    F: FnMut(Vec<u8>) -> Fut,
    Fut: Future<Output = bool>,
{
    let local = actor.local();
    let locale = actor.language.locale();
    let search = super::rules::search(&request.search);
    let query = request.query(actor, &search, now);
    let event = db::audit::Event {
        organization_id: Some(actor.organization_id),
        actor_id: Some(actor.user_id),
        ..db::audit::Event::new(AuditKind::ClientsExported)
    };
    db::audit::record(db, &event, now).await?;
    let filter = db::clients::Filter::new(db, &query).await?;
    let mut cursor = db::export::Cursor::default();
    let builder = csv_writer();
    let buffer = || Vec::with_capacity(CHUNK + 16 * 1024);
    let mut out = builder.from_writer(BOM.to_vec());
    out.write_record(headers(locale))
        .map_err(AppError::internal)?;
    let time = |ms: Option<i64>| ms.map(|ms| local.iso(ms)).unwrap_or_default();
    loop {
        let page =
            db::export::next_page(db, &query, &filter, &mut cursor, ACCOUNTS_PER_PAGE).await?;
        if page.is_empty() {
            break;
        }
        for row in page {
            let (disabled, last_login) = (row.client.disabled_at, row.client.last_login_at);
            let c = clients::row(row.client, now, &local);
            let access = if disabled.is_some() {
                td_string!(locale, export.disabled)
            } else {
                td_string!(locale, export.enabled)
            };
            let record = [
                c.account_name.as_str(),
                &c.first_name,
                &c.last_name,
                c.email.as_deref().unwrap_or_default(),
                c.place.label(locale),
                c.role.label(locale),
                c.status.filter().label(locale),
                &time(row.last_invited_at),
                &time(row.activated_at),
                &time(last_login),
                access,
                row.plan.as_deref().unwrap_or_default(),
                row.assigned_staff.as_deref().unwrap_or_default(),
            ];
            out.write_record(record.iter().map(|cell| safe_cell(cell).into_owned()))
                .map_err(AppError::internal)?;
            if out.get_ref().len() >= CHUNK {
                let full = std::mem::replace(&mut out, builder.from_writer(buffer()));
                if !emit(bytes_of(full)?).await {
                    return Ok(());
                }
            }
        }
    }
    let rest = bytes_of(out)?;
    if !rest.is_empty() {
        emit(rest).await;
    }
    Ok(())
}

/// What a writer holds, flushed.
fn bytes_of(writer: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, AppError> {
    writer
        .into_inner()
        .map_err(|e| AppError::internal(e.error().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_made_text() {
        for cell in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(safe_cell(cell), format!("'{cell}"), "{cell:?}");
        }
        for cell in ["Ada", "a=b", "", "1-2", "ada@example.com"] {
            assert_eq!(safe_cell(cell), cell, "{cell:?}");
        }
    }
}
