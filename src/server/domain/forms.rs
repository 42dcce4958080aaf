//! Intake forms. Owners and admins build them (Settings → Forms): a title,
//! an introduction and fields of [`FieldKind`]s. Staff send one with an
//! invitation (one, "invite all owners", bulk); the client lands on it after
//! activating, saves drafts, and submits it; the dashboard reminds them
//! until then. A form's version is frozen once a client was sent it:
//! changing the form then makes a new version, and answers stay readable
//! with the words they were given to. Staff read the answers on the
//! client's page and export every submission of a form as CSV.

use std::collections::BTreeMap;

use crate::i18n::td_string;
use crate::model::forms::{
    AnswerLine, Answers, FormDetail, FormField, FormSummary, FormToFill, FormWaiting, SentForm,
};
use crate::model::{AppError, ClientId, FieldKind, OrganizationId, Problem, Role, Validator};
use crate::server::auth::CurrentSession;
use crate::server::db::{self, Db, Tx};
use crate::server::domain::documents::{self, Destination};
use crate::server::domain::rules;
use crate::server::storage::Storage;

/// The most fields a form has, and choices a field offers.
pub const FIELDS_MAX: usize = 50;
pub const CHOICES_MAX: usize = 30;
/// The longest answers, in characters.
const SHORT_MAX: usize = 200;
const LONG_MAX: usize = 5_000;

/// A form as its editor submits it.
#[derive(Debug, Clone, Default)]
pub struct FormInput {
    pub title: String,
    pub introduction: String,
    pub fields: Vec<FormField>,
}

/// Checks a form: a title, an introduction of at most 2,000 characters, 1
/// to [`FIELDS_MAX`] fields each with a label, at most 500 characters of
/// help, and (for choice fields) 2 to [`CHOICES_MAX`] different choices.
/// Keys are kept when they are the form's own (`f<n>`, once each) and given
/// to new fields after the highest one, and after `floor`, the highest any
/// version of the form ever used: a new question never takes the key of a
/// removed one, whose answers stay its own. Every error at its field
/// (`fields.<i>.label`, `fields.<i>.choices`).
fn check(input: &FormInput, floor: u32) -> Result<FormInput, AppError> {
    let mut v = Validator::default();
    let title = v
        .take("title", rules::name(&input.title))
        .map(|n| n.into_string());
    let introduction = v.take("introduction", rules::free_text(&input.introduction, 2_000));
    if input.fields.is_empty() || input.fields.len() > FIELDS_MAX {
        v.take::<()>("fields", Err(Problem::FormFieldCount));
    }
    let mut used: Vec<u32> = Vec::new();
    let own_number = |key: &str| key.strip_prefix('f').and_then(|n| n.parse::<u32>().ok());
    for f in &input.fields {
        if let Some(n) = own_number(&f.key)
            && !used.contains(&n)
        {
            used.push(n);
        }
    }
    let mut next = used.iter().max().copied().unwrap_or(0).max(floor);
    let mut seen: Vec<u32> = Vec::new();
    let mut fields = Vec::with_capacity(input.fields.len());
    for (i, f) in input.fields.iter().enumerate() {
        let label = v.take(
            &format!("fields.{i}.label"),
            rules::free_text(&f.label, 200).and_then(|l| {
                if l.is_empty() {
                    Err(Problem::FormFieldLabel)
                } else {
                    Ok(l.replace(['\n', '\r'], " "))
                }
            }),
        );
        let help = v.take(&format!("fields.{i}.help"), rules::free_text(&f.help, 500));
        let choices: Vec<String> = f
            .choices
            .iter()
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .collect();
        let choices = if f.kind.has_choices() {
            let distinct = choices
                .iter()
                .enumerate()
                .all(|(j, c)| !choices[..j].contains(c));
            let ok = (2..=CHOICES_MAX).contains(&choices.len())
                && distinct
                && choices.iter().all(|c| c.chars().count() <= 200);
            v.take(
                &format!("fields.{i}.choices"),
                if ok {
                    Ok(choices)
                } else {
                    Err(Problem::FormChoices)
                },
            )
        } else {
            Some(Vec::new())
        };
        let key = match own_number(&f.key) {
            Some(n) if !seen.contains(&n) => {
                seen.push(n);
                format!("f{n}")
            }
            _ => {
                next += 1;
                seen.push(next);
                format!("f{next}")
            }
        };
        if let (Some(label), Some(help), Some(choices)) = (label, help, choices) {
            fields.push(FormField {
                key,
                label,
                help,
                kind: f.kind,
                required: f.required,
                choices,
            });
        }
    }
    match (title, introduction) {
        (Some(title), Some(introduction)) if v.is_empty() => Ok(FormInput {
            title,
            introduction,
            fields,
        }),
        _ => Err(v.into_error()),
    }
}

fn parse_fields(json: &str) -> Vec<FormField> {
    serde_json::from_str(json).unwrap_or_else(|e| {
        tracing::error!(error = %e, "unreadable form fields");
        Vec::new()
    })
}

fn parse_answers(json: &str) -> Answers {
    serde_json::from_str(json).unwrap_or_default()
}

fn require_staff(actor: &CurrentSession) -> Result<(), AppError> {
    if actor.role.is_staff() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The organization's forms; staff only.
pub async fn list(db: &Db, actor: &CurrentSession) -> Result<Vec<FormSummary>, AppError> {
    require_staff(actor)?;
    Ok(db::forms::list(&db.pool, actor.organization_id)
        .await?
        .into_iter()
        .map(|(f, waiting, submitted)| FormSummary {
            id: f.id,
            title: f.title,
            version: f.number,
            fields: parse_fields(&f.fields).len(),
            waiting,
            submitted,
        })
        .collect())
}

/// One form as its editor shows it; staff only.
///
/// Errors: not found for another organization's form.
pub async fn get(db: &Db, actor: &CurrentSession, id: i64) -> Result<FormDetail, AppError> {
    require_staff(actor)?;
    let f = db::forms::get(&db.pool, actor.organization_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(FormDetail {
        id: f.id,
        title: f.title,
        introduction: f.introduction,
        fields: parse_fields(&f.fields),
        version: f.number,
    })
}

/// Saves a form (`id` None: a new one); owners and admins only. A version
/// some client was sent is never changed: a new version is made instead.
/// Returns the form's id.
///
/// Errors: forbidden to others; field errors ([`check`]); not found for
/// another organization's form.
pub async fn save(
    db: &Db,
    actor: &CurrentSession,
    id: Option<i64>,
    input: &FormInput,
    now: i64,
) -> Result<i64, AppError> {
    if !matches!(actor.role, Role::Owner | Role::Admin) {
        return Err(AppError::Forbidden);
    }
    let floor = match id {
        None => 0,
        Some(id) => db::forms::all_fields(&db.pool, actor.organization_id, id)
            .await?
            .iter()
            .flat_map(|version| parse_fields(version))
            .filter_map(|f| f.key.strip_prefix('f').and_then(|n| n.parse::<u32>().ok()))
            .max()
            .unwrap_or(0),
    };
    let form = check(input, floor)?;
    let fields = serde_json::to_string(&form.fields)
        .map_err(|e| AppError::internal(format!("form fields: {e}")))?;
    let org = actor.organization_id;
    let mut tx = db.begin().await?;
    let id = match id {
        None => {
            db::forms::create(
                &mut tx,
                org,
                &form.title,
                &form.introduction,
                &fields,
                actor.user_id,
                now,
            )
            .await?
        }
        Some(id) => {
            let Some((version, number, sent)) =
                db::forms::lock(&mut tx, db.backend, org, id).await?
            else {
                return Err(AppError::NotFound);
            };
            let current = db::forms::get(&mut *tx, org, id)
                .await?
                .ok_or(AppError::NotFound)?;
            if current.title != form.title {
                db::forms::rename(&mut tx, id, &form.title).await?;
            }
            let changed = current.introduction != form.introduction
                || parse_fields(&current.fields) != form.fields;
            if changed && sent {
                db::forms::add_version(
                    &mut tx,
                    id,
                    number + 1,
                    &form.introduction,
                    &fields,
                    actor.user_id,
                    now,
                )
                .await?;
            } else if changed {
                db::forms::rewrite_version(&mut tx, version, &form.introduction, &fields).await?;
            }
            id
        }
    };
    tx.commit().await?;
    tracing::info!(form_id = id, organization_id = %org, "form saved");
    Ok(id)
}

/// Sends form `form_id` to `clients` of the organization with their
/// invitations, inside the inviting transaction (a client it waits for
/// already keeps that one).
///
/// Errors: not found for a form that is not the organization's.
pub(super) async fn send_in(
    tx: &mut Tx,
    organization_id: OrganizationId,
    form_id: i64,
    clients: &[ClientId],
    by: Option<crate::model::UserId>,
    now: i64,
) -> Result<(), AppError> {
    if db::forms::get(&mut **tx, organization_id, form_id)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    let ids: Vec<i64> = clients.iter().map(|c| c.0).collect();
    db::forms::request(tx, organization_id, form_id, &ids, by, now).await?;
    Ok(())
}

/// A form chosen in an invitation's form: empty or 0 for none.
///
/// Errors: not found for text that is no id.
pub fn chosen(value: &str) -> Result<Option<i64>, AppError> {
    match value.trim() {
        "" | "0" => Ok(None),
        id => id.parse().map(Some).map_err(|_| AppError::NotFound),
    }
}

/// Where client `client_id` lands once they activate or join: their first
/// waiting form, or their dashboard. Read inside the accepting `tx`.
pub(super) async fn landing(tx: &mut Tx, client_id: ClientId) -> Result<String, AppError> {
    Ok(match db::forms::first_waiting(tx, client_id).await? {
        Some(id) => format!("/forms/{id}"),
        None => "/dashboard".to_owned(),
    })
}

/// The forms waiting for `me` in their current organization.
pub async fn waiting(db: &Db, me: &CurrentSession) -> Result<Vec<FormWaiting>, AppError> {
    Ok(
        db::forms::waiting_for(&db.pool, me.organization_id, me.user_id)
            .await?
            .into_iter()
            .map(|r| FormWaiting {
                request_id: r.id,
                title: r.title,
            })
            .collect(),
    )
}

/// The form `request_id` for `me` to fill (or read, once submitted).
///
/// Errors: not found for a form sent to someone else.
pub async fn to_fill(
    db: &Db,
    me: &CurrentSession,
    request_id: i64,
) -> Result<FormToFill, AppError> {
    let r = db::forms::of_person(&db.pool, me.organization_id, me.user_id, request_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let fields = parse_fields(&r.fields);
    let answers = parse_answers(&r.answers);
    let local = me.local();
    let mut files = BTreeMap::new();
    for f in fields.iter().filter(|f| f.kind == FieldKind::File) {
        if let Some(id) = answers
            .get(&f.key)
            .and_then(|v| v.first())
            .and_then(|v| v.parse().ok())
            && let Some(doc) = db::documents::get(&db.pool, me.organization_id, id).await?
        {
            files.insert(f.key.clone(), doc.name);
        }
    }
    Ok(FormToFill {
        request_id: r.id,
        title: r.title,
        introduction: r.introduction,
        fields,
        answers,
        files,
        saved: r.saved_at.map(|at| local.date_time(at)),
        submitted: r.submitted_at.map(|at| local.date_time(at)),
    })
}

/// Reads the answers a form's page sent (`answers[<key>]`, and for several
/// choices `answers[<key>.<i>]` per ticked box) over what was saved: a file
/// field keeps its file (given on its own). Each value is checked against
/// its field's kind; required fields only when `submit`.
fn read_answers(
    fields: &[FormField],
    sent: &BTreeMap<String, String>,
    saved: &Answers,
    submit: bool,
) -> Result<Answers, AppError> {
    let mut v = Validator::default();
    let mut out = Answers::new();
    for f in fields {
        let name = format!("answers[{}]", f.key);
        let values: Vec<String> = match f.kind {
            FieldKind::File => saved.get(&f.key).cloned().unwrap_or_default(),
            FieldKind::ManyChoices => {
                let prefix = format!("{}.", f.key);
                sent.iter()
                    .filter(|(k, _)| k.starts_with(&prefix))
                    .map(|(_, value)| value.trim().to_owned())
                    .collect()
            }
            _ => sent
                .get(&f.key)
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .into_iter()
                .collect(),
        };
        let checked: Result<Vec<String>, Problem> = values
            .into_iter()
            .map(|value| check_value(f, value))
            .collect();
        let Some(values) = v.take(&name, checked) else {
            continue;
        };
        if submit && f.required && values.is_empty() {
            v.take::<()>(&name, Err(Problem::AnswerRequired));
            continue;
        }
        if !values.is_empty() {
            out.insert(f.key.clone(), values);
        }
    }
    if v.is_empty() {
        Ok(out)
    } else {
        Err(v.into_error())
    }
}

/// One value checked against its field's kind.
fn check_value(f: &FormField, value: String) -> Result<String, Problem> {
    match f.kind {
        FieldKind::ShortText => rules::free_text(&value, SHORT_MAX)
            .map(|t| t.replace(['\n', '\r'], " "))
            .map_err(|_| Problem::AnswerTooLong),
        FieldKind::LongText => {
            rules::free_text(&value, LONG_MAX).map_err(|_| Problem::AnswerTooLong)
        }
        FieldKind::Date => rules::calendar_day(&value).map(|d| d.to_string()),
        FieldKind::Number => {
            let n = value.replace(',', ".");
            let digits = n.trim_start_matches('-');
            let ok = !digits.is_empty()
                && digits.len() <= 18
                && digits.chars().filter(|c| *c == '.').count() <= 1
                && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
                && !digits.starts_with('.')
                && !digits.ends_with('.');
            if ok {
                Ok(n)
            } else {
                Err(Problem::AnswerNumber)
            }
        }
        FieldKind::YesNo => match value.as_str() {
            "yes" | "no" => Ok(value),
            _ => Err(Problem::AnswerChoose),
        },
        FieldKind::OneChoice | FieldKind::ManyChoices => {
            if f.choices.contains(&value) {
                Ok(value)
            } else {
                Err(Problem::AnswerChoose)
            }
        }
        FieldKind::File => Ok(value),
    }
}

/// Saves `me`'s answers to form `request_id` as a draft, or submits them
/// (`submit`): every value is checked against its field, and on submitting
/// every required field must be answered. Errors at their fields
/// (`answers[<key>]`), nothing saved.
///
/// Errors: not found for a form sent to someone else;
/// [`Problem::FormSubmitted`] once it was submitted.
pub async fn save_answers(
    db: &Db,
    me: &CurrentSession,
    request_id: i64,
    sent: &BTreeMap<String, String>,
    submit: bool,
    now: i64,
) -> Result<(), AppError> {
    // Read and written in one transaction, the request held: a file given
    // meanwhile (another tab) is never lost.
    let mut tx = db.begin().await?;
    let r = db::forms::of_person_for_update(
        &mut tx,
        db.backend,
        me.organization_id,
        me.user_id,
        request_id,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    if r.submitted_at.is_some() {
        return Err(AppError::Conflict(Problem::FormSubmitted));
    }
    let fields = parse_fields(&r.fields);
    let answers = read_answers(&fields, sent, &parse_answers(&r.answers), submit)?;
    let json =
        serde_json::to_string(&answers).map_err(|e| AppError::internal(format!("answers: {e}")))?;
    if !db::forms::save_answers(&mut tx, r.id, &json, submit, now).await? {
        return Err(AppError::Conflict(Problem::FormSubmitted));
    }
    tx.commit().await?;
    tracing::info!(request_id = r.id, submit, "form answers saved");
    Ok(())
}

/// Gives file field `key` of form `request_id` the file `body` (named
/// `raw_name`): it becomes a document of `me`'s account, as any upload
/// (typed by its content, capped, audited, new for staff), and the draft
/// keeps its id. A form's file needs no Uploads permission: the form asked
/// for it.
///
/// Errors: not found for a form sent to someone else or a key that is no
/// file field; [`Problem::FormSubmitted`]; the upload's field errors on
/// `file`.
#[allow(clippy::too_many_arguments)]
pub async fn attach_file<S, E>(
    db: &Db,
    storage: &Storage,
    me: &CurrentSession,
    request_id: i64,
    key: &str,
    raw_name: &str,
    body: S,
    now: i64,
) -> Result<crate::model::AccountId, AppError>
where
    S: futures::Stream<Item = Result<bytes::Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let org = me.organization_id;
    let r = db::forms::of_person(&db.pool, org, me.user_id, request_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if r.submitted_at.is_some() {
        return Err(AppError::Conflict(Problem::FormSubmitted));
    }
    if !parse_fields(&r.fields)
        .iter()
        .any(|f| f.key == key && f.kind == FieldKind::File)
    {
        return Err(AppError::NotFound);
    }
    let (account, account_name, _) = db::client_accounts::of_user(&db.pool, org, me.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let to = Destination {
        account_id: account,
        account_name,
        from_client: true,
    };
    let id = documents::upload(db, storage, me, to, raw_name, body, now).await?;
    // The draft is read again, held, in the saving transaction: answers
    // saved while the file was arriving stay.
    let mut tx = db.begin().await?;
    let r = db::forms::of_person_for_update(&mut tx, db.backend, org, me.user_id, request_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut answers = parse_answers(&r.answers);
    answers.insert(key.to_owned(), vec![id.to_string()]);
    let json =
        serde_json::to_string(&answers).map_err(|e| AppError::internal(format!("answers: {e}")))?;
    if !db::forms::save_answers(&mut tx, r.id, &json, false, now).await? {
        // Submitted meanwhile: the file stays among the account's
        // documents, the form as it was sent.
        return Err(AppError::Conflict(Problem::FormSubmitted));
    }
    tx.commit().await?;
    Ok(account)
}

/// A value in words, as staff read it (a date as the reader writes dates).
fn answer_text(f: &FormField, values: &[String], local: &crate::server::dates::Local) -> String {
    let locale = local.language.locale();
    values
        .iter()
        .map(|v| match f.kind {
            FieldKind::YesNo if v == "yes" => td_string!(locale, forms.yes).to_owned(),
            FieldKind::YesNo => td_string!(locale, forms.no).to_owned(),
            FieldKind::Date => v
                .parse::<jiff::civil::Date>()
                .map_or_else(|_| v.clone(), |d| local.calendar_day(d)),
            _ => v.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The forms sent to client `client_id`, newest first, with the answers of
/// submitted ones (as asked: the version's own labels); staff only.
///
/// Errors: forbidden to clients.
pub async fn sent_to(
    db: &Db,
    actor: &CurrentSession,
    client_id: ClientId,
) -> Result<Vec<SentForm>, AppError> {
    require_staff(actor)?;
    let org = actor.organization_id;
    let local = actor.local();
    let locale = local.language.locale();
    let mut out = Vec::new();
    for r in db::forms::of_client(&db.pool, org, client_id).await? {
        let fields = parse_fields(&r.fields);
        let answers = parse_answers(&r.answers);
        let mut lines = Vec::new();
        if r.submitted_at.is_some() {
            for f in &fields {
                let values = answers.get(&f.key).cloned().unwrap_or_default();
                let file = if f.kind == FieldKind::File {
                    match values.first().and_then(|v| v.parse::<i64>().ok()) {
                        Some(id) => db::documents::get(&db.pool, org, id)
                            .await?
                            .map(|d| (d.id, d.name)),
                        None => None,
                    }
                } else {
                    None
                };
                lines.push(AnswerLine {
                    label: f.label.clone(),
                    text: if f.kind == FieldKind::File {
                        String::new()
                    } else {
                        answer_text(f, &values, &local)
                    },
                    file,
                });
            }
        }
        out.push(SentForm {
            request_id: r.id,
            form_id: r.form_id,
            title: r.title,
            version: r.number,
            state: match r.submitted_at {
                Some(at) => td_string!(locale, forms.submitted_on, date = local.date(at)),
                None => td_string!(locale, forms.waiting).to_owned(),
            },
            submitted: r.submitted_at.is_some(),
            answers: lines,
        });
    }
    Ok(out)
}

/// "Form: waiting" / "Form: submitted on 3 Dec 2026" for each client of
/// `client_ids` sent a form (their latest), as the client list shows it.
pub async fn list_states(
    db: &Db,
    actor: &CurrentSession,
    client_ids: &[i64],
) -> Result<BTreeMap<i64, String>, AppError> {
    let local = actor.local();
    let locale = local.language.locale();
    Ok(
        db::forms::latest_states(&db.pool, actor.organization_id, client_ids)
            .await?
            .into_iter()
            .map(|(client, title, submitted)| {
                let state = match submitted {
                    Some(at) => {
                        td_string!(locale, forms.list_submitted, title, date = local.date(at))
                    }
                    None => td_string!(locale, forms.list_waiting, title),
                };
                (client.0, state)
            })
            .collect(),
    )
}

/// Every submission of form `form_id` as CSV (RFC 4180, a UTF-8 byte order
/// mark first): one row per submission with the client's name and email,
/// when it was submitted (ISO 8601 in the organization's time zone), and a
/// column per field of any version (headed by its latest label); cells
/// made safe against formula injection. Staff only.
///
/// Errors: forbidden to clients; not found for another organization's
/// form.
pub async fn answers_csv(
    db: &Db,
    actor: &CurrentSession,
    form_id: i64,
) -> Result<(String, Vec<u8>), AppError> {
    require_staff(actor)?;
    let org = actor.organization_id;
    let form = db::forms::get(&db.pool, org, form_id)
        .await?
        .ok_or(AppError::NotFound)?;
    // The columns: every field key of every version, in order of first
    // appearance, labelled as the latest version that has it.
    let mut columns: Vec<(String, FormField)> = Vec::new();
    for version in db::forms::all_fields(&db.pool, org, form_id).await? {
        for f in parse_fields(&version) {
            match columns.iter_mut().find(|(k, _)| *k == f.key) {
                Some(column) => column.1 = f,
                None => columns.push((f.key.clone(), f)),
            }
        }
    }
    let local = actor.local();
    let locale = local.language.locale();
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = super::export::csv_writer().from_writer(&mut out);
        let mut header = vec![
            td_string!(locale, export.first_name).to_owned(),
            td_string!(locale, export.last_name).to_owned(),
            td_string!(locale, export.email).to_owned(),
            td_string!(locale, forms.submitted_column).to_owned(),
            td_string!(locale, forms.version_column).to_owned(),
        ];
        header.extend(columns.iter().map(|(_, f)| f.label.clone()));
        w.write_record(
            header
                .iter()
                .map(|h| super::export::safe_cell(h).into_owned()),
        )
        .map_err(|e| AppError::internal(e.to_string()))?;
        for (r, first, last, email) in db::forms::submitted_of_form(&db.pool, org, form_id).await? {
            let answers = parse_answers(&r.answers);
            let submitted = r.submitted_at.map(|ms| local.iso(ms)).unwrap_or_default();
            let mut row = vec![
                first,
                last,
                email.unwrap_or_default(),
                submitted,
                r.number.to_string(),
            ];
            for (key, f) in &columns {
                let values = answers.get(key).cloned().unwrap_or_default();
                // Dates as ISO 8601 and files as document ids: what a
                // spreadsheet reads back.
                row.push(match f.kind {
                    FieldKind::File | FieldKind::Date => values.join(", "),
                    _ => answer_text(f, &values, &local),
                });
            }
            w.write_record(row.iter().map(|c| super::export::safe_cell(c).into_owned()))
                .map_err(|e| AppError::internal(e.to_string()))?;
        }
        w.flush().map_err(|e| AppError::internal(e.to_string()))?;
    }
    let name = format!("{}-answers.csv", documents::clean_name(&form.title));
    Ok((name, out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(key: &str, kind: FieldKind, required: bool, choices: &[&str]) -> FormField {
        FormField {
            key: key.into(),
            label: format!("Question {key}"),
            help: String::new(),
            kind,
            required,
            choices: choices.iter().map(|c| (*c).to_owned()).collect(),
        }
    }

    #[test]
    fn a_form_keeps_its_keys_and_numbers_new_fields_after_them() {
        let input = FormInput {
            title: "Intake".into(),
            introduction: "Welcome".into(),
            fields: vec![
                field("f3", FieldKind::ShortText, true, &[]),
                field("", FieldKind::Date, false, &[]),
                field("f3", FieldKind::LongText, false, &[]),
                field("x", FieldKind::OneChoice, false, &["A", " B "]),
            ],
        };
        let checked = check(&input, 0).unwrap();
        let keys: Vec<&str> = checked.fields.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(keys, ["f3", "f4", "f5", "f6"]);
        assert_eq!(checked.fields[3].choices, ["A", "B"]);
        // A form that once had f9: a new question comes after it.
        let later = check(&input, 9).unwrap();
        let keys: Vec<&str> = later.fields.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(keys, ["f3", "f10", "f11", "f12"]);
    }

    #[test]
    fn a_form_s_mistakes_are_named_at_their_fields() {
        let input = FormInput {
            title: String::new(),
            introduction: String::new(),
            fields: vec![
                FormField {
                    label: " ".into(),
                    ..field("f1", FieldKind::ShortText, false, &[])
                },
                field("f2", FieldKind::OneChoice, false, &["Only one"]),
                field("f3", FieldKind::ManyChoices, false, &["Same", "Same"]),
            ],
        };
        let Err(AppError::Invalid(errors)) = check(&input, 0) else {
            panic!("refused");
        };
        let at: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            at,
            [
                "title",
                "fields.0.label",
                "fields.1.choices",
                "fields.2.choices"
            ]
        );
        let none = FormInput {
            title: "Empty".into(),
            ..FormInput::default()
        };
        assert!(matches!(check(&none, 0), Err(AppError::Invalid(e)) if e[0].field == "fields"));
    }

    #[test]
    fn answers_are_checked_by_kind_and_required_only_on_submitting() {
        let fields = vec![
            field("f1", FieldKind::ShortText, true, &[]),
            field("f2", FieldKind::Number, false, &[]),
            field(
                "f3",
                FieldKind::ManyChoices,
                false,
                &["Tea", "Coffee", "Juice"],
            ),
            field("f4", FieldKind::YesNo, false, &[]),
            field("f5", FieldKind::File, true, &[]),
        ];
        let sent: BTreeMap<String, String> = [
            ("f2", "12,5"),
            ("f3.0", "Tea"),
            ("f3.2", "Juice"),
            ("f4", "yes"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let draft = read_answers(&fields, &sent, &Answers::new(), false).unwrap();
        assert_eq!(draft["f2"], ["12.5"]);
        assert_eq!(draft["f3"], ["Tea", "Juice"]);
        assert!(!draft.contains_key("f1"));
        // Submitting needs the required text and file.
        let Err(AppError::Invalid(errors)) = read_answers(&fields, &sent, &Answers::new(), true)
        else {
            panic!("refused");
        };
        let at: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(at, ["answers[f1]", "answers[f5]"]);
        // A file given earlier stays; a wrong value is named.
        let saved: Answers = [("f5".to_owned(), vec!["7".to_owned()])].into();
        let mut with_text = sent.clone();
        with_text.insert("f1".into(), "Ann".into());
        with_text.insert("f2".into(), "twelve".into());
        with_text.insert("f3.1".into(), "Wine".into());
        let Err(AppError::Invalid(errors)) = read_answers(&fields, &with_text, &saved, true) else {
            panic!("refused");
        };
        let at: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(at, ["answers[f2]", "answers[f3]"]);
        with_text.insert("f2".into(), "-3".into());
        with_text.remove("f3.1");
        let done = read_answers(&fields, &with_text, &saved, true).unwrap();
        assert_eq!(done["f5"], ["7"]);
        assert_eq!(done["f2"], ["-3"]);
    }
}
