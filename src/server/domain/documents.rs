//! Documents and invoices of client accounts. Staff upload files to an
//! account; its members download them while their permissions allow the
//! section (Documents, Invoices) and, with Uploads, add their own (staff
//! then see a "new upload" until they mark it seen). A file's type is found
//! from its first bytes and must be one of [`ALLOWED`]; its name is cleaned
//! ([`clean_name`]); it is at most [`MAX_BYTES`], counted while it
//! arrives. An invoice is a document with a number, dates, an amount, a
//! status and perhaps a payment link. Every upload, download and removal
//! is in the audit trail.

use futures::StreamExt;

use crate::model::{
    AccountFiles, AccountId, AppError, AuditKind, DocumentView, InvoiceStatus, InvoiceView,
    Language, PortalSection, Problem, Validator,
};
use crate::server::auth::CurrentSession;
use crate::server::auth::token::random_token;
use crate::server::dates::Local;
use crate::server::db::{self, Db};
use crate::server::domain::{permissions, rules};
use crate::server::storage::{Storage, StorageError};

/// The largest file: 25 MiB.
pub const MAX_BYTES: u64 = 25 * 1024 * 1024;

/// How much of a file's start is read to find its type.
const SNIFF_BYTES: usize = 16 * 1024;

/// The types a file may have (as found from its content): PDF, images,
/// office documents (Microsoft and OpenDocument), and plain text.
pub const ALLOWED: &[&str] = &[
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
    "application/rtf",
    "text/plain",
];

/// The type of a file that starts with `head` (its first bytes, up to
/// [`SNIFF_BYTES`]): what its content says, never its name. Text is UTF-8
/// without NUL bytes (a character cut at the end of `head` is allowed).
///
/// Errors: [`Problem::FileType`] for any type not in [`ALLOWED`].
pub fn content_type(head: &[u8]) -> Result<&'static str, Problem> {
    if let Some(kind) = infer::get(head) {
        return ALLOWED
            .iter()
            .copied()
            .find(|t| *t == kind.mime_type())
            .ok_or(Problem::FileType);
    }
    let text = match std::str::from_utf8(head) {
        Ok(_) => true,
        // Only a character cut by the end of `head` may be incomplete.
        Err(e) => e.error_len().is_none(),
    };
    if text && !head.is_empty() && !head.contains(&0) {
        Ok("text/plain")
    } else {
        Err(Problem::FileType)
    }
}

/// The longest cleaned name, in characters.
const NAME_MAX: usize = 120;

/// A file name as sent by a browser, made safe to store and to give back
/// in a download: only its last path part, line breaks and tabs made
/// spaces, without control or bidirectional formatting characters and without `\ / : * ? " < > |`
/// (each becomes `_`), spaces run together, no dots or spaces at either
/// end, at most [`NAME_MAX`] characters (the extension kept). "document"
/// when nothing is left.
pub fn clean_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let mut out = String::with_capacity(last.len());
    for c in last.chars() {
        let c = if c.is_whitespace() {
            ' '
        } else if rules::is_forbidden_char(c) || c.is_control() {
            continue;
        } else if matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|') {
            '_'
        } else {
            c
        };
        if !(c == ' ' && out.ends_with(' ')) {
            out.push(c);
        }
    }
    let trimmed = out.trim_matches(|c| c == ' ' || c == '.');
    let name = if trimmed.chars().count() <= NAME_MAX {
        trimmed.to_owned()
    } else {
        let (stem, extension) = match trimmed.rsplit_once('.') {
            Some((stem, ext)) if (1..=10).contains(&ext.chars().count()) => {
                (stem, format!(".{ext}"))
            }
            _ => (trimmed, String::new()),
        };
        let keep = NAME_MAX - extension.chars().count();
        let stem: String = stem.chars().take(keep).collect();
        format!("{}{extension}", stem.trim_end())
    };
    if name.is_empty() {
        "document".to_owned()
    } else {
        name
    }
}

/// What the audit trail says of a file: "Tax return.pdf · Smith household".
fn audit_detail(file: &str, account: &str) -> String {
    format!("{file} · {account}")
}

/// Where a file goes: the account, and whether a member of it (not staff)
/// is uploading.
#[derive(Debug, Clone)]
pub struct Destination {
    pub account_id: AccountId,
    /// Its name, for the audit trail.
    pub account_name: String,
    pub from_client: bool,
}

/// Where `actor` may upload: staff to `account` (one of their
/// organization's); a client to their own account, while Uploads is theirs.
///
/// Errors: not found for an account that is not the organization's (or,
/// for a client, not theirs); forbidden for a client without Uploads.
pub async fn destination(
    db: &Db,
    actor: &CurrentSession,
    account: Option<AccountId>,
) -> Result<Destination, AppError> {
    let org = actor.organization_id;
    if actor.role.is_staff() {
        let id = account.ok_or(AppError::NotFound)?;
        let row = db::client_accounts::get(&db.pool, org, id)
            .await?
            .ok_or(AppError::NotFound)?;
        return Ok(Destination {
            account_id: id,
            account_name: row.name,
            from_client: false,
        });
    }
    permissions::require(db, actor, PortalSection::Uploads).await?;
    let (own, name, _) = db::client_accounts::of_user(&db.pool, org, actor.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if account.is_some_and(|a| a != own) {
        return Err(AppError::NotFound);
    }
    Ok(Destination {
        account_id: own,
        account_name: name,
        from_client: true,
    })
}

/// Stores the file `body` (its chunks, as they arrive) named `raw_name` in
/// `to`, and records it with an audit event; returns its id. Its type is
/// found from its first bytes before anything is stored; it is stored as
/// it arrives and counted on the way. A file refused, cut short, or that
/// could not be recorded leaves nothing behind: no object, no row.
///
/// Errors: field errors on `file` ([`Problem::FileEmpty`],
/// [`Problem::FileType`], [`Problem::FileTooLarge`],
/// [`Problem::FileCutShort`]); internal errors of the store.
pub async fn upload<S, E>(
    db: &Db,
    storage: &Storage,
    actor: &CurrentSession,
    to: Destination,
    raw_name: &str,
    mut body: S,
    now: i64,
) -> Result<i64, AppError>
where
    S: futures::Stream<Item = Result<bytes::Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let refuse = |p: Problem| AppError::field("file", p);
    // Enough of the start to tell the type.
    let mut head: Vec<u8> = Vec::new();
    while head.len() < SNIFF_BYTES {
        match body.next().await {
            Some(Ok(chunk)) => head.extend_from_slice(&chunk),
            Some(Err(_)) => return Err(refuse(Problem::FileCutShort)),
            None => break,
        }
    }
    if head.is_empty() {
        return Err(refuse(Problem::FileEmpty));
    }
    let content_type = content_type(&head[..head.len().min(SNIFF_BYTES)]).map_err(refuse)?;
    let name = clean_name(raw_name);
    let org = actor.organization_id;
    let key = format!("org-{org}/account-{}/{}", to.account_id, random_token());
    let rest = futures::stream::once(async move { Ok(bytes::Bytes::from(head)) }).chain(body);
    let stored = match storage.put_capped(&key, Box::pin(rest), MAX_BYTES).await {
        Ok(stored) => stored,
        Err(StorageError::TooLarge(_)) => return Err(refuse(Problem::FileTooLarge)),
        Err(StorageError::CutShort(_)) => return Err(refuse(Problem::FileCutShort)),
        Err(StorageError::Store(e)) => return Err(AppError::internal(format!("storage: {e}"))),
    };
    let recorded = record(
        db,
        actor,
        &to,
        &name,
        content_type,
        &stored.key,
        stored.size,
        now,
    )
    .await;
    if recorded.is_err()
        && let Err(e) = storage.delete(&stored.key).await
    {
        tracing::error!(error = %e, key = stored.key, "a file whose row failed was left stored");
    }
    let id = recorded?;
    tracing::info!(document_id = id, account_id = %to.account_id, size = stored.size, "file uploaded");
    Ok(id)
}

/// Records a stored file and its audit event, in one transaction.
#[allow(clippy::too_many_arguments)]
async fn record(
    db: &Db,
    actor: &CurrentSession,
    to: &Destination,
    name: &str,
    content_type: &str,
    key: &str,
    size: u64,
    now: i64,
) -> Result<i64, AppError> {
    let org = actor.organization_id;
    let mut tx = db.begin().await?;
    let new = db::documents::NewDocument {
        organization_id: org,
        account_id: to.account_id,
        name,
        content_type,
        size_bytes: i64::try_from(size).unwrap_or(i64::MAX),
        storage_key: key,
        uploaded_by: actor.user_id,
        from_client: to.from_client,
    };
    let id = db::documents::insert(&mut tx, &new, now).await?;
    let detail = audit_detail(name, &to.account_name);
    let event = db::audit::Event {
        organization_id: Some(org),
        actor_id: Some(actor.user_id),
        detail: Some(&detail),
        ..db::audit::Event::new(AuditKind::DocumentUploaded)
    };
    db::audit::record_in(&mut tx, &event, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Every file of account `id` as its page shows staff, newest first.
///
/// Errors: forbidden to clients; not found for another organization's
/// account.
pub async fn of_account(
    db: &Db,
    actor: &CurrentSession,
    id: AccountId,
) -> Result<AccountFiles, AppError> {
    if !actor.role.is_staff() {
        return Err(AppError::Forbidden);
    }
    let org = actor.organization_id;
    db::client_accounts::get(&db.pool, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let local = actor.local();
    Ok(AccountFiles {
        documents: db::documents::of_account(&db.pool, org, id)
            .await?
            .into_iter()
            .map(|d| view(d, &local, true))
            .collect(),
        can_delete: matches!(
            actor.role,
            crate::model::Role::Owner | crate::model::Role::Admin
        ),
    })
}

/// The documents (not invoices) of `me`'s account, newest first.
///
/// Errors: forbidden unless Documents is theirs.
pub async fn my_documents(db: &Db, me: &CurrentSession) -> Result<Vec<DocumentView>, AppError> {
    permissions::require(db, me, PortalSection::Documents).await?;
    Ok(own_files(db, me, false).await?.1)
}

/// The invoices of `me`'s account: open ones first, newest first within
/// each; with their payment links while Payments is theirs too.
///
/// Errors: forbidden unless Invoices is theirs.
pub async fn my_invoices(db: &Db, me: &CurrentSession) -> Result<Vec<DocumentView>, AppError> {
    permissions::require(db, me, PortalSection::Invoices).await?;
    let pay = permissions::of(db, me)
        .await?
        .allows(PortalSection::Payments);
    let mut invoices = own_files(db, me, pay).await?.0;
    invoices.sort_by_key(|d| d.invoice.as_ref().map(|i| i.status != InvoiceStatus::Open));
    Ok(invoices)
}

/// The files of `me`'s account as (invoices, other documents), newest
/// first; `pay`: payment links are shown.
async fn own_files(
    db: &Db,
    me: &CurrentSession,
    pay: bool,
) -> Result<(Vec<DocumentView>, Vec<DocumentView>), AppError> {
    let org = me.organization_id;
    let Some((account, ..)) = db::client_accounts::of_user(&db.pool, org, me.user_id).await? else {
        return Ok((Vec::new(), Vec::new()));
    };
    let local = me.local();
    Ok(db::documents::of_account(&db.pool, org, account)
        .await?
        .into_iter()
        .map(|d| view(d, &local, pay))
        .partition(|d| d.invoice.is_some()))
}

/// The file `id` for `actor` to download, recorded in the audit trail:
/// staff of its organization get any; a member of its account gets it
/// while the section it is in (Invoices for an invoice, Documents
/// otherwise) is theirs.
///
/// Errors: not found for a file of another organization or (for a client)
/// of another account; forbidden for a section that is not theirs.
pub async fn for_download(
    db: &Db,
    actor: &CurrentSession,
    id: i64,
    now: i64,
) -> Result<db::documents::DocumentRow, AppError> {
    let org = actor.organization_id;
    let doc = db::documents::get(&db.pool, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut client_id = None;
    if !actor.role.is_staff() {
        let Some(member) =
            db::clients::member_of_account(&db.pool, org, doc.account_id, actor.user_id).await?
        else {
            return Err(AppError::NotFound);
        };
        client_id = Some(member);
        let section = if doc.number.is_some() {
            PortalSection::Invoices
        } else {
            PortalSection::Documents
        };
        permissions::require(db, actor, section).await?;
    }
    let detail = audit_detail(&doc.name, &doc.account_name);
    let event = db::audit::Event {
        organization_id: Some(org),
        actor_id: Some(actor.user_id),
        client_id,
        detail: Some(&detail),
        ..db::audit::Event::new(AuditKind::DocumentDownloaded)
    };
    db::audit::record(db, &event, now).await?;
    Ok(doc)
}

/// Marks a member's upload as seen (the "new upload" goes); staff only.
///
/// Errors: forbidden to clients; not found for a file that is no unseen
/// upload of the organization.
pub async fn mark_seen(
    db: &Db,
    actor: &CurrentSession,
    id: i64,
    now: i64,
) -> Result<AccountId, AppError> {
    if !actor.role.is_staff() {
        return Err(AppError::Forbidden);
    }
    let org = actor.organization_id;
    let doc = db::documents::get(&db.pool, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = db.begin().await?;
    if !db::documents::mark_seen(&mut tx, org, id, now).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(doc.account_id)
}

/// Removes a file: its row (recorded in the audit trail), then its bytes.
/// Owners and admins only, as for other things that cannot be undone.
///
/// Errors: forbidden to anyone else; not found for a file of another
/// organization.
pub async fn delete(
    db: &Db,
    storage: &Storage,
    actor: &CurrentSession,
    id: i64,
    now: i64,
) -> Result<AccountId, AppError> {
    if !matches!(
        actor.role,
        crate::model::Role::Owner | crate::model::Role::Admin
    ) {
        return Err(AppError::Forbidden);
    }
    let org = actor.organization_id;
    let doc = db::documents::get(&db.pool, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = db.begin().await?;
    let Some(key) = db::documents::delete(&mut tx, org, id).await? else {
        return Err(AppError::NotFound);
    };
    let detail = audit_detail(&doc.name, &doc.account_name);
    let event = db::audit::Event {
        organization_id: Some(org),
        actor_id: Some(actor.user_id),
        detail: Some(&detail),
        ..db::audit::Event::new(AuditKind::DocumentDeleted)
    };
    db::audit::record_in(&mut tx, &event, now).await?;
    tx.commit().await?;
    if let Err(e) = storage.delete(&key).await {
        tracing::error!(error = %e, key, "a removed file's bytes stayed in the store");
    }
    Ok(doc.account_id)
}

/// An invoice's form as submitted.
#[derive(Debug, Clone, Default)]
pub struct InvoiceForm {
    pub number: String,
    /// YYYY-MM-DD (a date field's value).
    pub issued_on: String,
    pub due_on: String,
    /// "1234.50" (a comma for the decimals is read too).
    pub amount: String,
    /// ISO 4217, any case.
    pub currency: String,
    /// open | paid | void
    pub status: String,
    /// Empty for none; else an https address.
    pub payment_url: String,
}

/// Makes document `id` an invoice or changes its details; staff only. Every
/// field is checked, errors together at their fields, nothing written.
///
/// Errors: forbidden to clients; field errors; not found for another
/// organization's document.
pub async fn save_invoice(
    db: &Db,
    actor: &CurrentSession,
    id: i64,
    form: &InvoiceForm,
) -> Result<AccountId, AppError> {
    if !actor.role.is_staff() {
        return Err(AppError::Forbidden);
    }
    let mut v = Validator::default();
    let number = v.take("number", rules::invoice_number(&form.number));
    let issued = v.take("issued_on", rules::calendar_day(&form.issued_on));
    let due = v.take("due_on", rules::calendar_day(&form.due_on));
    let amount = v.take("amount", rules::amount_minor(&form.amount));
    let currency = v.take("currency", rules::currency(&form.currency));
    let status = v.take(
        "status",
        InvoiceStatus::parse(form.status.trim()).ok_or(Problem::InvoiceStatusChoose),
    );
    let payment_url = v.take("payment_url", rules::https_address(&form.payment_url));
    if let (Some(issued), Some(due)) = (issued, due)
        && due < issued
    {
        v.take::<()>("due_on", Err(Problem::DueBeforeIssue));
    }
    let (
        Some(number),
        Some(issued),
        Some(due),
        Some(amount),
        Some(currency),
        Some(status),
        Some(payment_url),
    ) = (number, issued, due, amount, currency, status, payment_url)
    else {
        return Err(v.into_error());
    };
    if !v.is_empty() {
        return Err(v.into_error());
    }
    let org = actor.organization_id;
    let doc = db::documents::get(&db.pool, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = db.begin().await?;
    if !db::documents::lock(&mut tx, db.backend, org, id).await? {
        return Err(AppError::NotFound);
    }
    let details = db::documents::InvoiceDetails {
        number: &number,
        issued_on: &issued.to_string(),
        due_on: &due.to_string(),
        amount_minor: amount,
        currency: &currency,
        status: status.as_str(),
        payment_url: payment_url.as_ref().map(url::Url::as_str),
    };
    db::documents::save_invoice(&mut tx, id, &details).await?;
    tx.commit().await?;
    Ok(doc.account_id)
}

/// "CAD 1,234.50" / "1 234,50 CAD": an amount in minor units (cents).
pub fn amount_text(minor: i64, currency: &str, language: Language) -> String {
    let units = (minor / 100).abs();
    let cents = (minor % 100).abs();
    let sign = if minor < 0 { "-" } else { "" };
    let digits = units.to_string();
    let (group, decimal) = match language {
        Language::English => (",", "."),
        // A narrow no-break space between thousands (the French norm).
        Language::French => ("\u{202f}", ","),
    };
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push_str(group);
        }
        grouped.push(c);
    }
    match language {
        Language::English => format!("{sign}{currency} {grouped}{decimal}{cents:02}"),
        Language::French => format!("{sign}{grouped}{decimal}{cents:02}\u{a0}{currency}"),
    }
}

/// "2.4 MB" / "2,4 Mo": a size in bytes, as people read it.
pub fn size_text(bytes: i64, language: Language) -> String {
    let (b, k, m) = match language {
        Language::English => ("B", "KB", "MB"),
        Language::French => ("o", "Ko", "Mo"),
    };
    let text = if bytes < 1024 {
        format!("{bytes} {b}")
    } else if bytes < 1024 * 1024 {
        format!("{:.0} {k}", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} {m}", bytes as f64 / (1024.0 * 1024.0))
    };
    match language {
        Language::English => text,
        Language::French => text.replace('.', ","),
    }
}

/// A document as a page lists it; `pay`: its payment link is shown.
fn view(d: db::documents::DocumentRow, local: &Local, pay: bool) -> DocumentView {
    let language = local.language;
    let invoice = match (
        d.number,
        d.issued_on,
        d.due_on,
        d.amount_minor,
        d.currency,
        d.status,
    ) {
        (Some(number), Some(issued), Some(due), Some(amount), Some(currency), Some(status)) => {
            let status = InvoiceStatus::parse(&status).unwrap_or(InvoiceStatus::Open);
            let day = |text: &str| {
                text.parse::<jiff::civil::Date>()
                    .map_or_else(|_| text.to_owned(), |date| local.calendar_day(date))
            };
            Some(InvoiceView {
                number,
                issued_on: day(&issued),
                due_on: day(&due),
                issued_value: issued,
                due_value: due,
                amount: amount_text(amount, &currency, language),
                amount_value: format!("{}.{:02}", amount / 100, (amount % 100).abs()),
                currency,
                payment_url: d
                    .payment_url
                    .filter(|_| pay && status == InvoiceStatus::Open),
                status,
            })
        }
        _ => None,
    };
    DocumentView {
        id: d.id,
        name: d.name,
        content_type: d.content_type,
        size: size_text(d.size_bytes, language),
        uploaded: local.date_time(d.created_at),
        uploaded_by: d.uploaded_by_name,
        from_client: d.from_client != 0,
        new_upload: d.from_client != 0 && d.seen_at.is_none(),
        invoice,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_type_comes_from_the_content_never_the_name() {
        assert_eq!(content_type(b"%PDF-1.7\n..."), Ok("application/pdf"));
        assert_eq!(
            content_type(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]),
            Ok("image/png")
        );
        assert_eq!(
            content_type("Bonjour, ça va ?\n".as_bytes()),
            Ok("text/plain")
        );
        // A character cut by the end of the sniffed start is still text.
        let cut = &"é".as_bytes()[..1];
        assert_eq!(content_type(&[b"abc", cut].concat()), Ok("text/plain"));
        // A program, an archive, binary noise: refused.
        assert_eq!(
            content_type(b"MZ\x90\x00\x03\x00\x00\x00"),
            Err(Problem::FileType)
        );
        assert_eq!(
            content_type(b"PK\x03\x04\x14\x00\x00\x00"),
            Err(Problem::FileType)
        );
        assert_eq!(
            content_type(&[0xff, 0xfe, 0x00, 0x01]),
            Err(Problem::FileType)
        );
        assert_eq!(content_type(b""), Err(Problem::FileType));
    }

    #[test]
    fn a_name_is_cleaned_of_paths_and_odd_characters() {
        assert_eq!(
            clean_name("C:\\Users\\ann\\Tax return.pdf"),
            "Tax return.pdf"
        );
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("  ..hidden  file?.txt. "), "hidden file_.txt");
        assert_eq!(clean_name("invoice\u{202E}fdp.exe"), "invoicefdp.exe");
        assert_eq!(clean_name("a\"b<c>d|e*f:g"), "a_b_c_d_e_f_g");
        assert_eq!(clean_name("line\nbreak\ttab.pdf"), "line break tab.pdf");
        assert_eq!(clean_name("..."), "document");
        assert_eq!(clean_name(""), "document");
        let long = format!("{}.pdf", "é".repeat(200));
        let cleaned = clean_name(&long);
        assert_eq!(cleaned.chars().count(), NAME_MAX);
        assert!(cleaned.ends_with("é.pdf"));
    }

    #[test]
    fn amounts_and_sizes_read_as_each_language_writes_them() {
        assert_eq!(
            amount_text(123_450, "CAD", Language::English),
            "CAD 1,234.50"
        );
        assert_eq!(
            amount_text(123_450, "CAD", Language::French),
            "1\u{202f}234,50\u{a0}CAD"
        );
        assert_eq!(amount_text(5, "EUR", Language::English), "EUR 0.05");
        assert_eq!(
            amount_text(100_000_000, "USD", Language::English),
            "USD 1,000,000.00"
        );
        assert_eq!(size_text(512, Language::English), "512 B");
        assert_eq!(size_text(2_500_000, Language::English), "2.4 MB");
        assert_eq!(size_text(2_500_000, Language::French), "2,4 Mo");
    }
}
