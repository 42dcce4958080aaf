//! Importing clients from a CSV file: reading the file (UTF-8 or
//! Windows-1252, comma or semicolon, with or without a byte order mark, any
//! line ending), matching its columns by their headers, checking every row,
//! and the preview of what an import would do. Nothing is written until the
//! person confirms; then a background job imports the good rows in batches
//! (see [`run_batch`]).
//!
//! Rows are matched to existing members by email (else, without an email,
//! by account, first and last name): importing the same file twice creates
//! nothing the second time.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::model::{AccountId, ClientId, OrganizationId, PlanId, UserId};
use crate::model::{
    AppError, ImportColumn, ImportField, ImportStatus, ImportView, Place, Problem, Role, RowProblem,
};
use crate::server::auth::CurrentSession;
use crate::server::db::{self, Db};
use crate::server::domain::rules;

/// The largest file accepted, in bytes.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// The most rows (after the header) a file may have.
pub const MAX_ROWS: usize = 50_000;
/// Row problems a preview lists (all are counted, and all are in the
/// skipped rows' file).
pub const PROBLEMS_SHOWN: usize = 500;

/// A file read into cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Line>,
}

/// One row of the file and the line it starts on (1 is the header's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub number: u64,
    pub cells: Vec<String>,
}

/// The file's text: UTF-8 (a byte order mark is dropped), else
/// Windows-1252, as spreadsheet programs often save. None for a file that
/// is not text (a NUL byte: an image, a PDF, a zip).
fn decode(bytes: &[u8]) -> Option<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.contains(&0) {
        return None;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Some(text.to_owned()),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            Some(text.into_owned())
        }
    }
}

/// The separator the header line uses most outside quotes: `,`, `;` or a
/// tab (`,` when none).
fn separator(text: &str) -> u8 {
    let mut quoted = false;
    let mut counts = [0_usize; 3];
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|i| (counts[*i], 3 - i)).unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        [b',', b';', b'\t'][best]
    }
}

/// Reads an uploaded file into a table: its header row and its rows (rows
/// with every cell empty are left out), cells trimmed.
///
/// Errors: [`Problem::ImportTooLarge`] past [`MAX_BYTES`],
/// [`Problem::ImportTooManyRows`] past [`MAX_ROWS`], [`Problem::ImportNotCsv`]
/// for a file that is not text or whose header names no column Porchlight
/// knows, [`Problem::ImportEmpty`] for a file with no row under its header.
pub fn read(bytes: &[u8]) -> Result<Table, Problem> {
    if bytes.len() > MAX_BYTES {
        return Err(Problem::ImportTooLarge);
    }
    // Lines end with a line feed from here on (CRLF and old CR files alike),
    // so lines are counted one way.
    let text = decode(bytes)
        .ok_or(Problem::ImportNotCsv)?
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator(&text))
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let headers: Vec<String> = match records.next() {
        Some(Ok(r)) => r.iter().map(|c| c.trim().to_owned()).collect(),
        _ => return Err(Problem::ImportNotCsv),
    };
    if headers.iter().all(|h| guess(h).is_none()) {
        return Err(Problem::ImportNotCsv);
    }
    let mut rows = Vec::new();
    // (byte, line) of the last row's start.
    let mut counted = (0_usize, 1_u64);
    for record in records {
        let record = record.map_err(|_| Problem::ImportNotCsv)?;
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_owned()).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(Problem::ImportTooManyRows);
        }
        // The line the row starts on, counted in the text since the last
        // row (a quoted cell may hold line breaks).
        let byte = record
            .position()
            .map_or(0, |p| p.byte() as usize)
            .min(text.len());
        counted.1 += text.as_bytes()[counted.0.min(byte)..byte]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64;
        counted.0 = byte;
        rows.push(Line {
            number: counted.1,
            cells,
        });
    }
    if rows.is_empty() {
        return Err(Problem::ImportEmpty);
    }
    Ok(Table { headers, rows })
}

/// A header as compared: lower case, French accents and punctuation gone,
/// single spaces.
fn fold(header: &str) -> String {
    let plain: String = header
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'à' | 'â' => 'a',
            'î' | 'ï' => 'i',
            'ô' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            '_' | '-' | '.' | ':' | '*' => ' ',
            c => c,
        })
        .collect();
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The field a header names, in English or French and the spellings
/// spreadsheets commonly use (the export's own headers included); None for
/// a header Porchlight does not know. The export's other columns (status,
/// times, access) are known and ignored.
pub fn guess(header: &str) -> Option<ImportField> {
    use ImportField::*;
    let field = match fold(header).as_str() {
        "first name" | "firstname" | "first" | "given name" | "forename" | "prenom" => FirstName,
        "last name" | "lastname" | "last" | "surname" | "family name" | "nom"
        | "nom de famille" => LastName,
        "email"
        | "e mail"
        | "email address"
        | "e mail address"
        | "mail"
        | "courriel"
        | "adresse courriel"
        | "adresse e mail"
        | "adresse electronique" => Email,
        "account" | "account name" | "household" | "family" | "company" | "client group"
        | "group" | "compte" | "nom du compte" | "famille" | "entreprise" | "groupe" => Account,
        "place"
        | "member type"
        | "owner or guest"
        | "owner guest"
        | "type"
        | "titulaire ou invite" => Place,
        "role" | "portal role" | "role dans le portail" => Role,
        "plan" | "subscription" | "forfait" | "abonnement" => Plan,
        "assigned staff"
        | "assigned staff email"
        | "staff"
        | "staff email"
        | "responsable"
        | "courriel du responsable" => Staff,
        "status" | "statut" | "invited at" | "invite le" | "activated at" | "active le"
        | "last login" | "derniere connexion" | "access" | "acces" | "line" | "ligne"
        | "column" | "colonne" | "reason" | "raison" => Ignore,
        _ => return None,
    };
    Some(field)
}

/// The columns of `headers`, each matched by [`guess`] (unknown ones are
/// ignored until the person chooses).
pub fn columns(headers: &[String]) -> Vec<ImportColumn> {
    let mut taken = HashSet::new();
    headers
        .iter()
        .map(|h| {
            let guessed = guess(h);
            // A field taken by an earlier column is not taken twice.
            let field = match guessed {
                Some(f) if f != ImportField::Ignore && !taken.insert(f) => ImportField::Ignore,
                Some(f) => f,
                None => ImportField::Ignore,
            };
            ImportColumn {
                header: h.clone(),
                field,
                recognised: guessed.is_some(),
            }
        })
        .collect()
}

/// A mapping as a form sends it: `field` names in column order, separated
/// by commas (`first_name,last_name,ignore,email`).
///
/// Errors: [`Problem::ImportMapping`] for another number of columns, an
/// unknown field or a field chosen twice; [`Problem::ImportMapNames`] when
/// no column holds the first or the last name. (A problem of the columns
/// together, not of one: the caller answers it as a conflict.)
pub fn mapping(value: &str, headers: &[String]) -> Result<Vec<ImportField>, Problem> {
    let fields: Vec<ImportField> = value
        .split(',')
        .map(|f| ImportField::parse(f.trim()))
        .collect::<Option<_>>()
        .ok_or(Problem::ImportMapping)?;
    if fields.len() != headers.len() {
        return Err(Problem::ImportMapping);
    }
    let mut seen = HashSet::new();
    if fields
        .iter()
        .any(|f| *f != ImportField::Ignore && !seen.insert(*f))
    {
        return Err(Problem::ImportMapping);
    }
    if !seen.contains(&ImportField::FirstName) || !seen.contains(&ImportField::LastName) {
        return Err(Problem::ImportMapNames);
    }
    Ok(fields)
}

/// What the organization holds that rows are checked against.
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// Plans by lower-cased name.
    pub plans: HashMap<String, PlanId>,
    /// Staff by lower-cased email and by lower-cased name.
    pub staff: HashMap<String, UserId>,
    /// Clients by lower-cased email, with the role they hold.
    pub emails: HashMap<String, (ClientId, Role)>,
    /// The organization's owners, admins and staff by lower-cased email:
    /// not clients to import.
    pub staff_emails: HashMap<String, Role>,
    /// Accounts by lower-cased name (the oldest, when several share a
    /// name, as the import job finds them).
    pub accounts: HashMap<String, AccountId>,
    /// Members without an email, by (account, first, last name), lower-cased.
    pub people: HashMap<(String, String, String), ClientId>,
}

/// A good row, as the job imports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Planned {
    pub line: u64,
    /// The account's name as written (the person's own name when the
    /// column is empty or missing).
    pub account: String,
    /// The file named the account: rows naming one account go in it
    /// (joining an account of that name already here). Without a name each
    /// person opens an account of their own.
    pub named: bool,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub place: Place,
    pub role: Role,
    pub plan: Option<PlanId>,
    pub staff: Option<UserId>,
    /// The member it matches already, if any.
    pub existing: Option<ClientId>,
    /// The row as it was in the file, for the skipped rows' file.
    pub cells: Vec<String>,
}

/// A row with a problem: its line, the column's header, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refused {
    pub line: u64,
    pub column: String,
    /// What the column held.
    pub value: String,
    pub problem: Problem,
    /// The row as it was in the file, for the skipped rows' file.
    pub cells: Vec<String>,
}

/// Every row checked: the good ones and the refused ones.
#[derive(Debug, Clone, Default)]
pub struct Checked {
    pub good: Vec<Planned>,
    pub refused: Vec<Refused>,
}

impl Checked {
    /// Accounts the good rows would open: one per new person without an
    /// account name, one per account name not known yet.
    pub fn new_accounts(&self, known: &Known) -> usize {
        let new = || self.good.iter().filter(|p| p.existing.is_none());
        let unnamed = new().filter(|p| !p.named).count();
        let named = new()
            .filter(|p| p.named)
            .map(|p| p.account.to_lowercase())
            .filter(|a| !known.accounts.contains_key(a))
            .collect::<HashSet<_>>()
            .len();
        unnamed + named
    }
}

/// A place as written: owner or guest, in English or French; empty is an
/// owner.
fn place(value: &str) -> Result<Place, Problem> {
    match fold(value).as_str() {
        "" | "owner" | "co owner" | "coowner" | "titulaire" | "proprietaire" => Ok(Place::Owner),
        "guest" | "invite" => Ok(Place::Guest),
        _ => Err(Problem::PlaceChoose),
    }
}

/// A portal role as written: client (the default) or collaborator; staff
/// and admins are added one by one, never from a file.
fn role(value: &str) -> Result<Role, Problem> {
    match fold(value).as_str() {
        "" | "client" => Ok(Role::Client),
        "collaborator" | "collaborateur" | "collaboratrice" => Ok(Role::Collaborator),
        _ => Err(Problem::ImportRole),
    }
}

/// Checks every row of `table` read through `fields` against `known`:
/// names, email (well formed, not twice in the file), place, role, plan,
/// staff member, and that every new account has an owner.
pub fn check(table: &Table, fields: &[ImportField], known: &Known) -> Checked {
    let column = |field: ImportField| fields.iter().position(|f| *f == field);
    let header = |field: ImportField| {
        column(field)
            .and_then(|i| table.headers.get(i).cloned())
            .unwrap_or_default()
    };
    let cell = |line: &Line, field: ImportField| {
        column(field)
            .and_then(|i| line.cells.get(i).cloned())
            .unwrap_or_default()
    };
    let mut checked = Checked::default();
    let mut emails_seen: HashMap<String, u64> = HashMap::new();
    for line in &table.rows {
        let refuse = |field: ImportField, problem: Problem| Refused {
            line: line.number,
            column: header(field),
            value: cell(line, field),
            problem,
            cells: line.cells.clone(),
        };
        let row = (|| {
            use ImportField as F;
            let first =
                rules::name(&cell(line, F::FirstName)).map_err(|p| refuse(F::FirstName, p))?;
            let last = rules::name(&cell(line, F::LastName)).map_err(|p| refuse(F::LastName, p))?;
            let email = match cell(line, F::Email).as_str() {
                "" => None,
                e => Some(
                    rules::email(e)
                        .map_err(|p| refuse(F::Email, p))?
                        .into_string(),
                ),
            };
            if let Some(e) = &email {
                if let Some(first_line) = emails_seen.get(&e.to_lowercase()) {
                    return Err(refuse(
                        F::Email,
                        Problem::ImportEmailTwice { line: *first_line },
                    ));
                }
                emails_seen.insert(e.to_lowercase(), line.number);
            }
            let (account, named) = match cell(line, F::Account).as_str() {
                "" => (format!("{} {}", first.as_str(), last.as_str()), false),
                a => (
                    rules::name(a)
                        .map_err(|p| refuse(F::Account, p))?
                        .into_string(),
                    true,
                ),
            };
            // Staff are not clients: an address of theirs (or of a client
            // record made for staff) is refused.
            if let Some(e) = &email {
                let key = e.to_lowercase();
                let role = known.staff_emails.get(&key).copied().or_else(|| {
                    known
                        .emails
                        .get(&key)
                        .map(|(_, r)| *r)
                        .filter(|r| r.is_staff())
                });
                if let Some(role) = role {
                    return Err(refuse(F::Email, Problem::AlreadyMember { role }));
                }
            }
            let place = place(&cell(line, F::Place)).map_err(|p| refuse(F::Place, p))?;
            let role = role(&cell(line, F::Role)).map_err(|p| refuse(F::Role, p))?;
            let plan = match cell(line, F::Plan).to_lowercase().as_str() {
                "" => None,
                name => Some(
                    *known
                        .plans
                        .get(name)
                        .ok_or_else(|| refuse(F::Plan, Problem::ImportUnknownPlan))?,
                ),
            };
            let staff = match cell(line, F::Staff).to_lowercase().as_str() {
                "" => None,
                who => Some(
                    *known
                        .staff
                        .get(who)
                        .ok_or_else(|| refuse(F::Staff, Problem::ImportUnknownStaff))?,
                ),
            };
            let existing = match &email {
                Some(e) => known.emails.get(&e.to_lowercase()).map(|(id, _)| *id),
                None => known
                    .people
                    .get(&(
                        account.to_lowercase(),
                        first.to_lowercase(),
                        last.to_lowercase(),
                    ))
                    .copied(),
            };
            Ok(Planned {
                line: line.number,
                account,
                named,
                first_name: first.into_string(),
                last_name: last.into_string(),
                email,
                place,
                role,
                plan,
                staff,
                existing,
                cells: line.cells.clone(),
            })
        })();
        match row {
            Ok(p) => checked.good.push(p),
            Err(r) => checked.refused.push(r),
        }
    }
    // A new account needs an owner among its new rows (a row matching a
    // member already here is not moved, so it owns nothing new). A row
    // without an account name opens an account of its own.
    let with_owner: HashSet<String> = checked
        .good
        .iter()
        .filter(|p| p.named && p.place == Place::Owner && p.existing.is_none())
        .map(|p| p.account.to_lowercase())
        .collect();
    let (good, ownerless): (Vec<_>, Vec<_>) = checked.good.into_iter().partition(|p| {
        let key = p.account.to_lowercase();
        p.existing.is_some()
            || (!p.named && p.place == Place::Owner)
            || (p.named && (known.accounts.contains_key(&key) || with_owner.contains(&key)))
    });
    checked.good = good;
    let place_header = header(ImportField::Place);
    for p in ownerless {
        let value = fields
            .iter()
            .position(|f| *f == ImportField::Place)
            .and_then(|i| p.cells.get(i).cloned())
            .unwrap_or_default();
        checked.refused.push(Refused {
            line: p.line,
            column: place_header.clone(),
            value,
            problem: Problem::ImportAccountNoOwner { account: p.account },
            cells: p.cells,
        });
    }
    checked.refused.sort_by_key(|r| r.line);
    checked
}

/// Loads what `table`'s rows are checked against: the organization's plans
/// and staff, and its members and accounts that the file names.
async fn known(
    db: &Db,
    org: OrganizationId,
    table: &Table,
    fields: &[ImportField],
) -> Result<Known, AppError> {
    let column = |field| fields.iter().position(|f| *f == field);
    let values = |field: ImportField, person_name: bool| -> Vec<String> {
        let mut out: HashSet<String> = HashSet::new();
        for line in &table.rows {
            let get = |f| {
                column(f)
                    .and_then(|i| line.cells.get(i))
                    .map_or("", |c| c.as_str())
            };
            let v = get(field);
            if !v.is_empty() {
                out.insert(v.to_lowercase());
            } else if person_name {
                // An account named after the person.
                out.insert(
                    format!(
                        "{} {}",
                        get(ImportField::FirstName),
                        get(ImportField::LastName)
                    )
                    .to_lowercase(),
                );
            }
        }
        out.into_iter().collect()
    };
    let mut known = Known::default();
    for (id, name, _) in db::client_accounts::plans(&db.pool, org).await? {
        known.plans.insert(name.to_lowercase(), id);
    }
    // One read of the staff: who may be assigned (with access), and whose
    // addresses are not clients' (all of them).
    for member in db::imports::staff(&db.pool, org).await? {
        if let Some(role) = Role::parse(&member.role) {
            known.staff_emails.insert(member.email_lower.clone(), role);
        }
        if member.disabled_at.is_none() {
            known.staff.insert(member.email_lower, member.id);
            known.staff.insert(member.name.to_lowercase(), member.id);
        }
    }
    let emails = values(ImportField::Email, false);
    for (email, id, role) in db::imports::known_emails(&db.pool, org, &emails).await? {
        let role = Role::parse(&role).unwrap_or(Role::Client);
        known.emails.insert(email, (id, role));
    }
    let names = values(ImportField::Account, true);
    let (accounts, people) = db::imports::known_accounts(&db.pool, org, &names).await?;
    for (name, id) in accounts {
        known.accounts.entry(name).or_insert(id);
    }
    for (account, first, last, id) in people {
        known.people.insert((account, first, last), id);
    }
    Ok(known)
}

/// The preview stored with an import: its figures and first problems.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Preview {
    new_accounts: i64,
    new_members: i64,
    existing: i64,
    problems: i64,
    shown: Vec<RowProblem>,
}

fn preview_of(checked: &Checked, known: &Known) -> Preview {
    Preview {
        new_accounts: checked.new_accounts(known) as i64,
        new_members: checked.good.iter().filter(|p| p.existing.is_none()).count() as i64,
        existing: checked.good.iter().filter(|p| p.existing.is_some()).count() as i64,
        problems: checked.refused.len() as i64,
        shown: checked
            .refused
            .iter()
            .take(PROBLEMS_SHOWN)
            .map(|r| RowProblem {
                line: r.line as i64,
                column: r.column.clone(),
                value: r.value.clone(),
                problem: r.problem.clone(),
            })
            .collect(),
    }
}

/// The table an import holds.
fn table_of(import: &db::imports::Import) -> Result<Table, AppError> {
    let stored: StoredTable = serde_json::from_str(&import.content).map_err(AppError::internal)?;
    Ok(stored.into())
}

/// A table as stored (JSON).
#[derive(Debug, Serialize, Deserialize)]
struct StoredTable {
    headers: Vec<String>,
    rows: Vec<(u64, Vec<String>)>,
}

impl From<&Table> for StoredTable {
    fn from(t: &Table) -> StoredTable {
        StoredTable {
            headers: t.headers.clone(),
            rows: t.rows.iter().map(|l| (l.number, l.cells.clone())).collect(),
        }
    }
}

impl From<StoredTable> for Table {
    fn from(s: StoredTable) -> Table {
        Table {
            headers: s.headers,
            rows: s
                .rows
                .into_iter()
                .map(|(number, cells)| Line { number, cells })
                .collect(),
        }
    }
}

fn mapping_text(fields: &[ImportField]) -> String {
    fields
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Reads an uploaded file (`file_name`, `bytes`) into a new import of the
/// actor's organization, its columns matched by their headers, and its
/// preview; returns its id. Nothing else is written.
///
/// Errors: a field error on `file` ([`read`]'s problems).
pub async fn upload(
    db: &Db,
    actor: &CurrentSession,
    file_name: &str,
    bytes: &[u8],
    now: i64,
) -> Result<i64, AppError> {
    let org = actor.organization_id;
    let table = read(bytes).map_err(|p| AppError::field("file", p))?;
    let fields: Vec<ImportField> = columns(&table.headers).iter().map(|c| c.field).collect();
    let preview =
        if fields.contains(&ImportField::FirstName) && fields.contains(&ImportField::LastName) {
            let known = known(db, org, &table, &fields).await?;
            preview_of(&check(&table, &fields, &known), &known)
        } else {
            Preview::default()
        };
    let name: String = file_name
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let content = serde_json::to_string(&StoredTable::from(&table)).map_err(AppError::internal)?;
    let mut tx = db.begin().await?;
    let headers = serde_json::to_string(&table.headers).map_err(AppError::internal)?;
    let new = db::imports::NewImport {
        organization_id: org,
        created_by: actor.user_id,
        headers: &headers,
        file_name: if name.trim().is_empty() {
            "clients.csv"
        } else {
            name.trim()
        },
        content: &content,
        mapping: &mapping_text(&fields),
        preview: &serde_json::to_string(&preview).map_err(AppError::internal)?,
        total_rows: table.rows.len() as i64,
    };
    let id = db::imports::insert(&mut tx, &new, now).await?;
    tx.commit().await?;
    tracing::info!(import_id = id, organization_id = %org, rows = table.rows.len(), "import uploaded");
    Ok(id)
}

async fn import_of(
    db: &Db,
    actor: &CurrentSession,
    id: i64,
) -> Result<db::imports::Import, AppError> {
    db::imports::get(&db.pool, actor.organization_id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// An import as its page shows it, described for `actor`.
pub async fn view(db: &Db, actor: &CurrentSession, id: i64) -> Result<ImportView, AppError> {
    let import = import_of(db, actor, id).await?;
    Ok(describe(import, &actor.local()))
}

fn describe(import: db::imports::Import, local: &crate::server::dates::Local) -> ImportView {
    let preview: Preview = serde_json::from_str(&import.preview).unwrap_or_default();
    let status = ImportStatus::parse(&import.status).unwrap_or(ImportStatus::Done);
    let fields: Vec<ImportField> = import
        .mapping
        .split(',')
        .filter_map(ImportField::parse)
        .collect();
    let columns = if status == ImportStatus::Preview {
        serde_json::from_str::<StoredTable>(&import.content)
            .map(|t| {
                t.headers
                    .iter()
                    .zip(fields.iter().chain(std::iter::repeat(&ImportField::Ignore)))
                    .map(|(h, f)| ImportColumn {
                        header: h.clone(),
                        field: *f,
                        recognised: guess(h).is_some(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    ImportView {
        id: import.id,
        file_name: import.file_name,
        started_by: import.created_by_name.unwrap_or_default(),
        uploaded: local.date_time(import.created_at),
        status,
        columns,
        rows: import.total_rows,
        new_accounts: preview.new_accounts,
        new_members: preview.new_members,
        existing: preview.existing,
        problems: preview.problems,
        shown_problems: preview.shown,
        update_existing: import.update_existing != 0,
        invite: import.invite != 0,
        expected: import.expected,
        done_rows: import.done_rows,
        created_accounts: import.created_accounts,
        created_members: import.created_members,
        updated: import.updated,
        skipped: import.skipped,
        invited: import.invited,
    }
}

/// The organization's latest imports.
pub async fn recent(db: &Db, actor: &CurrentSession) -> Result<Vec<ImportView>, AppError> {
    let local = actor.local();
    Ok(db::imports::recent(&db.pool, actor.organization_id, 10)
        .await?
        .into_iter()
        .map(|i| describe(i, &local))
        .collect())
}

/// Changes which field each column holds (`mapping`, see [`mapping`]) and
/// checks the rows again.
///
/// Errors: not found for another organization's import; [`mapping`]'s
/// problems; [`Problem::ImportStarted`] once it started.
pub async fn remap(db: &Db, actor: &CurrentSession, id: i64, value: &str) -> Result<(), AppError> {
    let import = import_of(db, actor, id).await?;
    if import.status != ImportStatus::Preview.as_str() {
        return Err(AppError::Conflict(Problem::ImportStarted));
    }
    let table = table_of(&import)?;
    let fields = mapping(value, &table.headers).map_err(AppError::Conflict)?;
    let known = known(db, actor.organization_id, &table, &fields).await?;
    let preview = preview_of(&check(&table, &fields, &known), &known);
    let preview = serde_json::to_string(&preview).map_err(AppError::internal)?;
    let mut tx = db.begin().await?;
    if !db::imports::set_preview(&mut tx, id, &mapping_text(&fields), &preview).await? {
        return Err(AppError::Conflict(Problem::ImportStarted));
    }
    tx.commit().await?;
    Ok(())
}

/// What confirming an import chooses.
#[derive(Debug, Clone, Copy, Default)]
pub struct StartOptions {
    /// Rows matching an existing member update their names (and their
    /// account's plan and staff member) instead of being skipped.
    pub update_existing: bool,
    /// Queue an invitation to every imported person with an email.
    pub invite: bool,
    /// Import the good rows although others have problems.
    pub good_rows_only: bool,
}

/// A row skipped, as stored for the skipped rows' file.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Skip {
    column: String,
    problem: Problem,
    cells: Vec<String>,
}

/// Starts an import: checks its rows once more, keeps the good ones for
/// the job and the others (with their reasons) for the skipped rows' file.
/// Starting twice starts it once.
///
/// Errors: not found for another organization's import;
/// [`Problem::ImportChooseRows`] when rows have problems and importing only
/// the good ones was not chosen (nothing is written);
/// [`Problem::ImportStarted`] once started.
pub async fn start(
    db: &Db,
    actor: &CurrentSession,
    id: i64,
    options: StartOptions,
    now: i64,
) -> Result<(), AppError> {
    let import = import_of(db, actor, id).await?;
    if import.status != ImportStatus::Preview.as_str() {
        return Err(AppError::Conflict(Problem::ImportStarted));
    }
    let table = table_of(&import)?;
    let fields = mapping(&import.mapping, &table.headers).map_err(AppError::Conflict)?;
    let known = known(db, actor.organization_id, &table, &fields).await?;
    let checked = check(&table, &fields, &known);
    if !checked.refused.is_empty() && !options.good_rows_only {
        // The rows may have changed since the preview (a plan removed, a
        // member added): the preview shows them now, with the choice.
        let preview =
            serde_json::to_string(&preview_of(&checked, &known)).map_err(AppError::internal)?;
        let mut tx = db.begin().await?;
        db::imports::set_preview(&mut tx, id, &import.mapping, &preview).await?;
        tx.commit().await?;
        return Err(AppError::Conflict(Problem::ImportChooseRows));
    }
    let rows: Vec<(u64, String)> = checked
        .good
        .iter()
        .map(|p| serde_json::to_string(p).map(|json| (p.line, json)))
        .collect::<Result<_, _>>()
        .map_err(AppError::internal)?;
    let skips: Vec<(u64, String)> = checked
        .refused
        .iter()
        .map(|r| {
            let skip = Skip {
                column: r.column.clone(),
                problem: r.problem.clone(),
                cells: r.cells.clone(),
            };
            serde_json::to_string(&skip).map(|json| (r.line, json))
        })
        .collect::<Result<_, _>>()
        .map_err(AppError::internal)?;
    let mut tx = db.begin().await?;
    if !db::imports::start(
        &mut tx,
        id,
        options.update_existing,
        options.invite,
        rows.len() as i64,
        skips.len() as i64,
        now,
    )
    .await?
    {
        return Err(AppError::Conflict(Problem::ImportStarted));
    }
    db::imports::add_rows(&mut tx, id, &rows).await?;
    db::imports::add_skips(&mut tx, id, &skips).await?;
    tx.commit().await?;
    tracing::info!(
        import_id = id,
        rows = rows.len(),
        skipped = skips.len(),
        "import started"
    );
    Ok(())
}

/// Stops an import (or drops a preview); what it wrote stays.
///
/// Errors: not found for another organization's import;
/// [`Problem::JobFinished`] when it is over already.
pub async fn cancel(db: &Db, actor: &CurrentSession, id: i64, now: i64) -> Result<(), AppError> {
    import_of(db, actor, id).await?;
    let mut tx = db.begin().await?;
    if !db::imports::finish(&mut tx, id, ImportStatus::Cancelled.as_str(), now).await? {
        return Err(AppError::Conflict(Problem::JobFinished));
    }
    tx.commit().await?;
    tracing::info!(import_id = id, "import cancelled");
    Ok(())
}

/// The ids of imports to run.
pub async fn running(db: &Db) -> Result<Vec<i64>, sqlx::Error> {
    db::imports::running(&db.pool).await
}

/// What one batch of an import did.
#[derive(Debug, Clone)]
pub struct BatchDone {
    pub organization_id: OrganizationId,
    /// Members created or updated.
    pub client_ids: Vec<i64>,
    /// Invitations were queued.
    pub invited: bool,
    pub finished: bool,
}

/// Imports the next `size` rows of import `id` in one transaction: each row
/// is looked up again (a member added since the preview is skipped, or
/// updated), its account found by name or opened, the member added and,
/// when asked, invited. None when the import is not running or another
/// server holds it.
pub async fn run_batch(
    db: &Db,
    id: i64,
    size: i64,
    now: i64,
) -> Result<Option<BatchDone>, AppError> {
    let mut tx = db.begin().await?;
    let Some(job) = db::imports::claim(&mut tx, db.backend, id).await? else {
        return Ok(None);
    };
    let org = job.organization_id;
    let rows = db::imports::next_rows(&mut tx, id, job.position, size).await?;
    let Some(&(last, _)) = rows.last() else {
        db::imports::finish(&mut tx, id, ImportStatus::Done.as_str(), now).await?;
        tx.commit().await?;
        db::imports::refresh_statistics(db).await?;
        return Ok(Some(BatchDone {
            organization_id: org,
            client_ids: Vec::new(),
            invited: false,
            finished: true,
        }));
    };
    let planned: Vec<Planned> = rows
        .iter()
        .map(|(_, data)| serde_json::from_str(data))
        .collect::<Result<_, _>>()
        .map_err(AppError::internal)?;
    // Everything the preview checked against the organization is checked
    // again here, in the writing transaction (the file was read a while
    // ago), looked up once for the whole batch.
    let emails: Vec<String> = planned
        .iter()
        .filter_map(|p| p.email.as_deref().map(str::to_lowercase))
        .collect();
    let staff_roles: HashMap<String, String> = db::imports::staff_roles_in(&mut tx, org, &emails)
        .await?
        .into_iter()
        .collect();
    let clients: HashMap<String, (ClientId, String)> =
        db::imports::clients_with_emails_in(&mut tx, org, &emails)
            .await?
            .into_iter()
            .map(|(email, id, role)| (email, (id, role)))
            .collect();
    let names: Vec<String> = planned
        .iter()
        .filter(|p| p.named)
        .map(|p| p.account.to_lowercase())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut accounts: HashMap<String, (AccountId, String)> = HashMap::new();
    for (key, id, name) in db::imports::accounts_named_in(&mut tx, org, &names).await? {
        // The oldest of an account name's holders.
        accounts.entry(key).or_insert((id, name));
    }
    let (plans, assignable) = db::imports::plans_and_assignable_in(&mut tx, org).await?;

    let mut progress = db::imports::Progress::default();
    let mut touched = Vec::new();
    let mut skips = Vec::new();
    for ((line, _), row) in rows.iter().zip(planned) {
        progress.rows += 1;
        let mut skip = |problem: Problem| -> Result<(), AppError> {
            progress.skipped += 1;
            let skip = Skip {
                column: String::new(),
                problem,
                cells: row.cells.clone(),
            };
            skips.push((
                *line as u64,
                serde_json::to_string(&skip).map_err(AppError::internal)?,
            ));
            Ok(())
        };
        if row.plan.is_some_and(|p| !plans.contains(&p)) {
            skip(Problem::ImportUnknownPlan)?;
            continue;
        }
        if row.staff.is_some_and(|u| !assignable.contains(&u)) {
            skip(Problem::ImportUnknownStaff)?;
            continue;
        }
        let existing = match &row.email {
            Some(e) => {
                let key = e.to_lowercase();
                let staff = staff_roles.get(&key).or_else(|| {
                    clients
                        .get(&key)
                        .map(|(_, role)| role)
                        .filter(|r| Role::parse(r).is_some_and(Role::is_staff))
                });
                if let Some(role) = staff {
                    let role = Role::parse(role).unwrap_or(Role::Staff);
                    skip(Problem::AlreadyMember { role })?;
                    continue;
                }
                clients.get(&key).map(|(id, _)| *id)
            }
            None => {
                let account = row.account.to_lowercase();
                db::imports::person_in(&mut tx, org, &account, &row.first_name, &row.last_name)
                    .await?
            }
        };
        if let Some(client_id) = existing {
            if job.update_existing != 0 {
                db::imports::update_names(&mut tx, client_id, &row.first_name, &row.last_name)
                    .await?;
                if row.plan.is_some() || row.staff.is_some() {
                    let account = db::imports::account_of_client(&mut tx, client_id).await?;
                    db::imports::set_plan_and_staff(&mut tx, account, row.plan, row.staff).await?;
                }
                progress.updated += 1;
                touched.push(client_id.0);
            } else {
                skip(Problem::ImportExisting)?;
            }
            continue;
        }
        // A named account is joined if the organization has one of that
        // name (or this batch opened it); an unnamed row opens an account of
        // its own.
        let key = row.account.to_lowercase();
        let found = if row.named {
            accounts.get(&key).cloned()
        } else {
            None
        };
        let (account_id, account_name) = match found {
            Some(found) => found,
            None => {
                let id = db::client_accounts::insert(&mut tx, org, &row.account, now).await?;
                progress.created_accounts += 1;
                if row.named {
                    accounts.insert(key, (id, row.account.clone()));
                }
                (id, row.account.clone())
            }
        };
        if row.plan.is_some() || row.staff.is_some() {
            db::imports::set_plan_and_staff(&mut tx, account_id, row.plan, row.staff).await?;
        }
        let new = db::clients::NewClient {
            organization_id: org,
            account: (account_id, &account_name),
            place: row.place,
            first_name: &row.first_name,
            last_name: &row.last_name,
            email: row.email.as_deref(),
            role: row.role.as_str(),
            language: None,
            created_by: job.created_by,
        };
        let client_id = db::clients::insert(&mut tx, &new, now).await?;
        progress.created_members += 1;
        touched.push(client_id.0);
        if job.invite != 0
            && let Some(email) = &row.email
        {
            match super::clients::invite_in(
                &mut tx,
                org,
                client_id,
                email,
                job.created_by,
                super::clients::Expiry::Renew,
                now,
            )
            .await
            {
                Ok(()) => progress.invited += 1,
                // No seat left for a collaborator: imported, not invited.
                Err(AppError::Conflict(Problem::SeatsFull)) => {}
                Err(e) => return Err(e),
            }
        }
    }
    db::imports::add_skips(&mut tx, id, &skips).await?;
    db::imports::advance(&mut tx, id, last, &progress).await?;
    tx.commit().await?;
    Ok(Some(BatchDone {
        organization_id: org,
        client_ids: touched,
        invited: progress.invited > 0,
        finished: false,
    }))
}

/// The rows an import skipped, as a CSV file like the one uploaded: its
/// header and rows as they were, with the line, the column and the reason
/// (in `actor`'s language) added at the end. Fixed and uploaded again, it
/// imports those rows (the added columns are ignored).
///
/// Errors: not found for another organization's import.
pub async fn skipped_csv(db: &Db, actor: &CurrentSession, id: i64) -> Result<Vec<u8>, AppError> {
    let import = import_of(db, actor, id).await?;
    let headers: Vec<String> = serde_json::from_str(&import.headers).unwrap_or_default();
    let locale = actor.language.locale();
    let mut out = super::export::csv_writer()
        .flexible(true)
        .from_writer(super::export::BOM.to_vec());
    let mut header = headers.clone();
    header.extend([
        crate::i18n::td_string!(locale, imports.skipped_line).to_owned(),
        crate::i18n::td_string!(locale, imports.skipped_column).to_owned(),
        crate::i18n::td_string!(locale, imports.skipped_reason).to_owned(),
    ]);
    out.write_record(&header).map_err(AppError::internal)?;
    for (line, data) in db::imports::skips(&db.pool, id).await? {
        let Ok(skip) = serde_json::from_str::<Skip>(&data) else {
            continue;
        };
        let mut record = skip.cells;
        record.resize(headers.len(), String::new());
        record.extend([line.to_string(), skip.column, skip.problem.text(locale)]);
        out.write_record(
            record
                .iter()
                .map(|c| super::export::safe_cell(c).into_owned()),
        )
        .map_err(AppError::internal)?;
    }
    out.into_inner()
        .map_err(|e| AppError::internal(e.error().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(table: &Table) -> Vec<Vec<&str>> {
        table
            .rows
            .iter()
            .map(|l| l.cells.iter().map(String::as_str).collect())
            .collect()
    }

    #[test]
    fn files_are_read_whatever_their_encoding_separator_and_line_ends() {
        let utf8 =
            "\u{FEFF}First name,Last name,Email\r\nZoé,Ng,zoe@example.com\r\n\"Lee, Jr\",Park,\r\n";
        let t = read(utf8.as_bytes()).unwrap();
        assert_eq!(t.headers, ["First name", "Last name", "Email"]);
        assert_eq!(
            cells(&t),
            [
                vec!["Zoé", "Ng", "zoe@example.com"],
                vec!["Lee, Jr", "Park", ""]
            ]
        );
        let lines: Vec<u64> = t.rows.iter().map(|l| l.number).collect();
        assert_eq!(lines, [2, 3], "lines count from the header's");

        // Windows-1252 (é is 0xE9), semicolons, old Mac-free LF lines.
        let mut latin = b"Pr\xe9nom;Nom;Courriel\n".to_vec();
        latin.extend_from_slice(b"Zo\xe9;Ng;zoe@example.com\n\n");
        let t = read(&latin).unwrap();
        assert_eq!(t.headers, ["Prénom", "Nom", "Courriel"]);
        assert_eq!(
            cells(&t),
            [vec!["Zoé", "Ng", "zoe@example.com"]],
            "blank lines left out"
        );
    }

    #[test]
    fn a_file_that_is_not_csv_gets_one_clear_problem() {
        assert_eq!(
            read(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Err(Problem::ImportNotCsv)
        );
        assert_eq!(
            read(b"Dear team, here are our clients.\nAda and Bo.\n"),
            Err(Problem::ImportNotCsv)
        );
        assert_eq!(read(b"First name,Last name\n"), Err(Problem::ImportEmpty));
        assert_eq!(
            read(&vec![b'a'; MAX_BYTES + 1]),
            Err(Problem::ImportTooLarge)
        );
        let mut many = String::from("First name,Last name\n");
        for i in 0..=MAX_ROWS {
            many.push_str(&format!("A{i},B\n"));
        }
        assert_eq!(read(many.as_bytes()), Err(Problem::ImportTooManyRows));
    }

    #[test]
    fn headers_are_known_in_english_french_and_as_exported() {
        use ImportField::*;
        for (header, field) in [
            ("First name", FirstName),
            ("PRÉNOM", FirstName),
            ("first_name", FirstName),
            ("Surname", LastName),
            ("Nom de famille", LastName),
            ("E-mail", Email),
            ("Adresse courriel", Email),
            ("Household", Account),
            ("Compte", Account),
            ("Portal role", Role),
            ("Forfait", Plan),
            ("Assigned staff", Staff),
            ("Courriel du responsable", Staff),
            ("Last login", Ignore),
        ] {
            assert_eq!(guess(header), Some(field), "{header}");
        }
        assert_eq!(guess("Favourite colour"), None);
        let columns = columns(&["Email".into(), "E-mail".into(), "Shoe size".into()]);
        assert_eq!(columns[0].field, Email);
        assert_eq!(columns[1].field, Ignore, "a field is taken once");
        assert!(!columns[2].recognised);
    }

    #[test]
    fn a_mapping_names_each_field_once_and_both_names() {
        let headers: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        assert!(mapping("first_name,last_name,email", &headers).is_ok());
        let field = |value: &str| mapping(value, &headers).unwrap_err();
        assert_eq!(field("first_name,last_name"), Problem::ImportMapping);
        assert_eq!(
            field("first_name,first_name,last_name"),
            Problem::ImportMapping
        );
        assert_eq!(field("first_name,email,hat"), Problem::ImportMapping);
        assert_eq!(field("first_name,email,ignore"), Problem::ImportMapNames);
    }

    fn table(rows: &[&str]) -> (Table, Vec<ImportField>) {
        let text = format!(
            "First name,Last name,Email,Account,Place,Role,Plan,Assigned staff\n{}\n",
            rows.join("\n")
        );
        let t = read(text.as_bytes()).unwrap();
        let fields = columns(&t.headers).iter().map(|c| c.field).collect();
        (t, fields)
    }

    #[test]
    fn every_row_problem_is_found_with_its_line_and_column() {
        let mut known = Known::default();
        known.plans.insert("pro".into(), PlanId(1));
        known.staff.insert("sam@example.com".into(), UserId(9));
        known
            .emails
            .insert("old@example.com".into(), (ClientId(5), Role::Client));
        let (t, fields) = table(&[
            "Ana,Reyes,ana@example.com,Reyes family,owner,,Pro,sam@example.com",
            "Luis,Reyes,luis@example.com,Reyes family,guest,client,,",
            "Bad,Email,not-an-email,,,,,",
            "NoLast,,x@example.com,,,,,",
            "Twice,Again,ANA@example.com,,,,,",
            "Gil,Guest,gil@example.com,Lonely,guest,,,",
            "Pia,Plan,pia@example.com,,,,Gold,",
            "Sid,Staff,sid@example.com,,,,,nobody@example.com",
            "Rob,Role,rob@example.com,,,admin,,",
            "Old,Member,old@example.com,,,,,",
        ]);
        let checked = check(&t, &fields, &known);
        let problems: Vec<(u64, &str, Problem)> = checked
            .refused
            .iter()
            .map(|r| (r.line, r.column.as_str(), r.problem.clone()))
            .collect();
        assert_eq!(
            problems,
            [
                (4, "Email", Problem::EmailMalformed),
                (5, "Last name", Problem::NameEmpty),
                (6, "Email", Problem::ImportEmailTwice { line: 2 }),
                (
                    7,
                    "Place",
                    Problem::ImportAccountNoOwner {
                        account: "Lonely".into()
                    }
                ),
                (8, "Plan", Problem::ImportUnknownPlan),
                (9, "Assigned staff", Problem::ImportUnknownStaff),
                (10, "Role", Problem::ImportRole),
            ]
        );
        let good: Vec<&str> = checked.good.iter().map(|p| p.first_name.as_str()).collect();
        assert_eq!(good, ["Ana", "Luis", "Old"]);
        assert_eq!(checked.good[0].plan, Some(PlanId(1)));
        assert_eq!(checked.good[0].staff, Some(UserId(9)));
        assert_eq!(checked.good[1].place, Place::Guest);
        assert_eq!(checked.good[2].existing, Some(ClientId(5)));
        assert_eq!(
            checked.good[2].account, "Old Member",
            "named after the person"
        );
        assert_eq!(checked.new_accounts(&known), 1, "the Reyes family");
    }
}
