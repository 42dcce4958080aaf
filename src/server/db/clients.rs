use sqlx::{AnyPool, FromRow};

use super::{Backend, Db, Tx};
use crate::model::{AccountId, ClientId, OrganizationId, PlanId, UserId};
use crate::model::{ClientFilter, Language, Place};

/// A client with the facts its status is made of.
#[derive(Debug, Clone, FromRow)]
pub struct ClientListRow {
    pub id: ClientId,
    pub account_id: AccountId,
    pub account_name: String,
    /// owner | guest ([`Place`]).
    pub place: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub role: String,
    /// The language chosen for the client ("en", "fr"); None: the
    /// organization's.
    pub language: Option<String>,
    pub created_at: i64,
    pub disabled_at: Option<i64>,
    pub user_id: Option<UserId>,
    pub last_login_at: Option<i64>,
    pub invitation_kind: Option<String>,
    pub invitation_created_at: Option<i64>,
    pub invitation_expires_at: Option<i64>,
    pub invitation_revoked_at: Option<i64>,
    pub mail_status: Option<String>,
    pub mail_sent_at: Option<i64>,
    pub mail_error: Option<String>,
}

impl ClientListRow {
    pub fn place(&self) -> Place {
        Place::parse(&self.place).unwrap_or(Place::Owner)
    }
}

/// The client list's columns: the client, their account and their latest
/// invitation with its latest email.
pub(super) const COLUMNS: &str = concat!(
    "SELECT c.id, c.account_id, ca.name AS account_name, c.place, c.first_name, c.last_name, c.email, c.role, c.language, c.created_at,
        c.disabled_at, c.user_id, u.last_login_at, ",
    super::invitations::kind_now!(),
    " AS invitation_kind, i.created_at AS invitation_created_at,
        i.expires_at AS invitation_expires_at, i.revoked_at AS invitation_revoked_at,
        e.status AS mail_status, e.sent_at AS mail_sent_at, e.last_error AS mail_error"
);
pub(super) const JOINS: &str = "JOIN client_accounts ca ON ca.id = c.account_id
     LEFT JOIN users u ON u.id = c.user_id
     LEFT JOIN invitations i ON i.id = (SELECT MAX(id) FROM invitations WHERE client_id = c.id)
     LEFT JOIN email_outbox e ON e.id = (SELECT MAX(id) FROM email_outbox WHERE invitation_id = i.id)";

/// The SQL condition on `clients c` of a status filter (None: every
/// client), with `$3` the current time. A status filter reads the client's
/// stored list state (see [`refresh_state`]), a range of the
/// `clients_org_state` index; a form filter looks up their forms
/// (`form_requests_client`).
pub(super) fn filter_condition(filter: Option<ClientFilter>) -> &'static str {
    match filter {
        None => "TRUE",
        Some(ClientFilter::Disabled) => "c.list_state = 'disabled'",
        Some(ClientFilter::Active) => "c.list_state = 'active'",
        Some(ClientFilter::NoEmail) => "c.list_state = 'no_email'",
        Some(ClientFilter::NotInvited) => "c.list_state = 'not_invited'",
        Some(ClientFilter::Expired) => {
            "c.list_state IN ('invited', 'failed') AND c.invitation_expires_at <= $3"
        }
        Some(ClientFilter::Failed) => "c.list_state = 'failed' AND c.invitation_expires_at > $3",
        Some(ClientFilter::Pending) => "c.list_state = 'invited' AND c.invitation_expires_at > $3",
        Some(ClientFilter::FormWaiting) => {
            "EXISTS (SELECT 1 FROM form_requests r WHERE r.client_id = c.id AND r.submitted_at IS NULL)"
        }
        // Listed as submitted: nothing waits for them any more.
        Some(ClientFilter::FormSubmitted) => {
            "EXISTS (SELECT 1 FROM form_requests r WHERE r.client_id = c.id AND r.submitted_at IS NOT NULL)
             AND NOT EXISTS (SELECT 1 FROM form_requests r WHERE r.client_id = c.id AND r.submitted_at IS NULL)"
        }
    }
}

/// A page of the client list: which accounts, in which order, which slice.
#[derive(Debug, Clone)]
pub struct ListQuery<'a> {
    pub organization_id: OrganizationId,
    /// Words to find in a member's name or email or the account's name;
    /// empty for all.
    pub search: &'a str,
    /// None: every account; else accounts with a member in this state.
    pub status: Option<ClientFilter>,
    /// Only accounts on this plan.
    pub plan: Option<PlanId>,
    /// Only accounts assigned to this staff member.
    pub staff: Option<UserId>,
    pub oldest_first: bool,
    pub limit: i64,
    pub offset: i64,
    pub now: i64,
}

/// Counting stops here: past it a list says "more than 10,000" rather than
/// reading every matching account to count them.
pub const COUNT_CAP: i64 = 10_000;

/// Counting a searched list stops sooner: each candidate is read and its
/// text compared, and a search matching most members would otherwise cost
/// 15 ms of counting alone at 100,000 accounts ("more than 1,000" asks the
/// reader to narrow it anyway).
pub const SEARCH_COUNT_CAP: i64 = 1_000;

impl ListQuery<'_> {
    /// Where counting this list stops: [`SEARCH_COUNT_CAP`] when searched,
    /// else [`COUNT_CAP`].
    pub fn count_cap(&self) -> i64 {
        if self.search.trim().is_empty() {
            COUNT_CAP
        } else {
            SEARCH_COUNT_CAP
        }
    }
}

/// A page of accounts with their members, and how many accounts match in
/// all, up to the query's [`ListQuery::count_cap`] + 1.
#[derive(Debug)]
pub struct Page {
    /// The page's accounts, in list order.
    pub accounts: Vec<super::client_accounts::AccountRow>,
    /// Every member of those accounts, by account, owners first.
    pub members: Vec<ClientListRow>,
    /// The members that match the search and status filter (empty when the
    /// list is not searched nor filtered by status).
    pub matched: Vec<ClientId>,
    /// Exact when at most `cap`; otherwise `cap + 1`.
    pub total: i64,
    /// Where counting stopped ([`ListQuery::count_cap`]).
    pub cap: i64,
}

/// Searches with fewer hits than this in SQLite's trigram index are read
/// through it; more common words are found faster by walking the clients in
/// list order until a page is full.
const TRIGRAM_HITS_MAX: i64 = 1_000;

/// One page of an organization's accounts and the total that match.
///
/// Accounts are listed by id (the order they were created in). Without a
/// search or a status filter the accounts themselves are walked; with one,
/// the matching members are walked in account order (the
/// `clients_org_state_account` and `clients_org_account` indexes) and each
/// account is taken once.
pub async fn page(db: &Db, q: &ListQuery<'_>) -> Result<Page, sqlx::Error> {
    let filter = Filter::new(db, q).await?;
    let (by_member, member_filter, param) = (filter.by_member, &filter.members, &filter.param);
    let (id, from) = filter.accounts();
    let order = if q.oldest_first { "ASC" } else { "DESC" };
    let ids: Vec<(i64,)> = sqlx::query_as(&format!(
        "SELECT DISTINCT {id} {from} ORDER BY {id} {order} LIMIT $6 OFFSET $7"
    ))
    .bind(q.organization_id)
    .bind(param)
    .bind(q.now)
    .bind(q.plan.map_or(0, |p| p.0))
    .bind(q.staff.map_or(0, |s| s.0))
    .bind(q.limit)
    .bind(q.offset)
    .fetch_all(&db.pool)
    .await?;
    let ids: Vec<i64> = ids.into_iter().map(|(id,)| id).collect();
    let (total,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM (SELECT DISTINCT {id} {from} LIMIT {}) t",
        q.count_cap() + 1
    ))
    .bind(q.organization_id)
    .bind(param)
    .bind(q.now)
    .bind(q.plan.map_or(0, |p| p.0))
    .bind(q.staff.map_or(0, |s| s.0))
    .fetch_one(&db.pool)
    .await?;
    if ids.is_empty() {
        return Ok(Page {
            accounts: Vec::new(),
            members: Vec::new(),
            matched: Vec::new(),
            total,
            cap: q.count_cap(),
        });
    }
    let mut accounts = super::client_accounts::by_ids(&db.pool, q.organization_id, &ids).await?;
    accounts.sort_by_key(|a| ids.iter().position(|id| *id == a.id.0));
    // The joins run for the page's members only.
    let members = sqlx::query_as(&format!(
        "{COLUMNS} FROM clients c {JOINS}
         WHERE c.organization_id = $1 AND c.account_id IN ({})
         ORDER BY c.account_id, c.place DESC, c.id",
        super::id_list(&ids)
    ))
    .bind(q.organization_id)
    .fetch_all(&db.pool)
    .await?;
    let matched = if by_member {
        let rows: Vec<(ClientId,)> = sqlx::query_as(&format!(
            "SELECT c.id FROM clients c WHERE {member_filter} AND c.account_id IN ({})",
            super::id_list(&ids)
        ))
        .bind(q.organization_id)
        .bind(param)
        .bind(q.now)
        .fetch_all(&db.pool)
        .await?;
        rows.into_iter().map(|(id,)| id).collect()
    } else {
        Vec::new()
    };
    Ok(Page {
        accounts,
        members,
        matched,
        total,
        cap: q.count_cap(),
    })
}

/// The SQL conditions of a list query (see [`ListQuery`]), with `$1` the
/// organization, `$2` the search's parameter, `$3` the time, `$4` the plan
/// and `$5` the staff member (0 when not filtered).
pub struct Filter {
    /// The list is searched or filtered by status: accounts are found
    /// through their matching members.
    pub by_member: bool,
    /// On `clients c`: the organization, the search and the status filter.
    pub members: String,
    /// The plan: on `clients c` (its copy of the account's plan, see
    /// migration 0019) when `by_member`, else on `client_accounts a`.
    pub plan: &'static str,
    /// The assigned staff member, on `c` or `a` as `plan`.
    pub staff: &'static str,
    /// `$2`: the search as the chosen index wants it.
    pub param: String,
}

impl Filter {
    pub async fn new(db: &Db, q: &ListQuery<'_>) -> Result<Filter, sqlx::Error> {
        let words = q.search.trim().to_lowercase();
        let mut organization = "c.organization_id = $1";
        let (search, param) = if words.is_empty() {
            // $2 is bound either way; PostgreSQL needs every parameter used.
            ("$2 = ''", String::new())
        } else if db.backend == Backend::Sqlite && few_trigram_hits(&db.pool, &words).await? {
            // Start from the few matching rows: `+` keeps SQLite from walking
            // an organization index instead.
            organization = "+c.organization_id = $1";
            (
                "c.id IN (SELECT rowid FROM clients_search WHERE clients_search MATCH $2)",
                trigram_phrase(&words),
            )
        } else {
            // On PostgreSQL the pg_trgm index serves this LIKE.
            ("c.search_text LIKE $2 ESCAPE '\\'", like_pattern(&words))
        };
        let by_member = !words.is_empty() || q.status.is_some();
        Ok(Filter {
            by_member,
            members: format!(
                "{organization} AND {search} AND $3 >= 0 AND {}",
                filter_condition(q.status)
            ),
            plan: match (q.plan, by_member) {
                (None, _) => "$4 = 0",
                (Some(_), true) => "c.account_plan_id = $4",
                (Some(_), false) => "a.plan_id = $4",
            },
            staff: match (q.staff, by_member) {
                (None, _) => "$5 = 0",
                (Some(_), true) => "c.account_staff_id = $5",
                (Some(_), false) => "a.assigned_staff_id = $5",
            },
            param,
        })
    }
}

impl Filter {
    /// Which accounts the list shows, as (the account id's expression, the
    /// `FROM … WHERE …` that finds them), with `$1`–`$5` as [`Filter`] says:
    /// the accounts themselves, or (searched or filtered by status) their
    /// matching members in account order. The list's page and the export
    /// both select accounts with it.
    pub fn accounts(&self) -> (&'static str, String) {
        let (members, plan, staff) = (&self.members, self.plan, self.staff);
        if self.by_member {
            (
                "c.account_id",
                format!("FROM clients c WHERE {members} AND {plan} AND {staff}"),
            )
        } else {
            (
                "a.id",
                format!(
                    "FROM client_accounts a WHERE a.organization_id = $1 AND $2 = '' AND $3 >= 0
                     AND {plan} AND {staff}"
                ),
            )
        }
    }
}

/// `%words%` for LIKE, with LIKE's wildcards in the words taken literally.
pub(super) fn like_pattern(words: &str) -> String {
    let escaped = words
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// The words as one FTS5 phrase: with the trigram tokenizer it matches them
/// as a substring.
fn trigram_phrase(words: &str) -> String {
    format!("\"{}\"", words.replace('"', "\"\""))
}

/// True when SQLite's trigram index finds the words in few rows (of any
/// organization). The index needs three characters to look anything up.
async fn few_trigram_hits(pool: &AnyPool, words: &str) -> Result<bool, sqlx::Error> {
    if words.chars().count() < 3 {
        return Ok(false);
    }
    let (hits,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM (SELECT 1 FROM clients_search WHERE clients_search MATCH $1 LIMIT {})",
        TRIGRAM_HITS_MAX + 1
    ))
    .bind(trigram_phrase(words))
    .fetch_one(pool)
    .await?;
    Ok(hits <= TRIGRAM_HITS_MAX)
}

/// One client of one organization; None for another organization's client.
pub async fn get(
    pool: &AnyPool,
    organization_id: OrganizationId,
    id: ClientId,
) -> Result<Option<ClientListRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{COLUMNS} FROM clients c {JOINS} WHERE c.organization_id = $1 AND c.id = $2"
    ))
    .bind(organization_id)
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// Every member of one account of one organization, owners first.
pub async fn of_account(
    pool: &AnyPool,
    organization_id: OrganizationId,
    account_id: AccountId,
) -> Result<Vec<ClientListRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{COLUMNS} FROM clients c {JOINS} WHERE c.organization_id = $1 AND c.account_id = $2
         ORDER BY c.place DESC, c.id"
    ))
    .bind(organization_id)
    .bind(account_id)
    .fetch_all(pool)
    .await
}

pub async fn email_taken(
    pool: &AnyPool,
    organization_id: OrganizationId,
    email: &str,
) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM clients WHERE organization_id = $1 AND email_lower = $2",
    )
    .bind(organization_id)
    .bind(email.to_lowercase())
    .fetch_one(pool)
    .await?;
    Ok(n > 0)
}

/// A client record to insert: a member of an account.
#[derive(Debug, Clone)]
pub struct NewClient<'a> {
    pub organization_id: OrganizationId,
    /// The account (in the same organization) and its name, which the
    /// member's search text holds.
    pub account: (AccountId, &'a str),
    pub place: Place,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub email: Option<&'a str>,
    pub role: &'a str,
    pub language: Option<Language>,
    pub created_by: Option<UserId>,
}

/// Inserts a client record; fails with a unique violation when the
/// organization has a client with that email already.
pub async fn insert(tx: &mut Tx, new: &NewClient<'_>, now: i64) -> Result<ClientId, sqlx::Error> {
    let (account_id, account_name) = new.account;
    let (id,): (ClientId,) = sqlx::query_as(
        "INSERT INTO clients (organization_id, account_id, place, first_name, last_name, email,
                              email_lower, role, created_by, created_at, search_text, list_state,
                              language)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(new.organization_id)
    .bind(account_id)
    .bind(new.place.as_str())
    .bind(new.first_name)
    .bind(new.last_name)
    .bind(new.email)
    .bind(new.email.map(str::to_lowercase))
    .bind(new.role)
    .bind(new.created_by)
    .bind(now)
    .bind(search_text(
        new.first_name,
        new.last_name,
        new.email,
        account_name,
    ))
    .bind(if new.email.is_some() {
        "not_invited"
    } else {
        "no_email"
    })
    .bind(new.language.map(Language::as_str))
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Recomputes a client's stored list state, open invitation's expiry and
/// latest invitation email time from its access, account, invitations and
/// their emails. Every change to those calls it in the change's own
/// transaction, so the list's filters (which read only the stored state)
/// always agree with the status shown.
pub async fn refresh_state(tx: &mut Tx, client_id: ClientId) -> Result<(), sqlx::Error> {
    refresh_states(tx, &[client_id.0]).await
}

/// [`refresh_state`] for many clients in one statement.
pub async fn refresh_states(tx: &mut Tx, client_ids: &[i64]) -> Result<(), sqlx::Error> {
    if client_ids.is_empty() {
        return Ok(());
    }
    const OPEN: &str =
        "i.client_id = clients.id AND i.accepted_at IS NULL AND i.revoked_at IS NULL";
    sqlx::query(&format!(
        "UPDATE clients SET
            invitation_expires_at = (SELECT MAX(i.expires_at) FROM invitations i WHERE {OPEN}),
            last_invited_at = (SELECT MAX(e.created_at) FROM email_outbox e
                               WHERE e.client_id = clients.id AND e.kind = 'invitation'),
            list_state = CASE
                WHEN disabled_at IS NOT NULL THEN 'disabled'
                WHEN user_id IS NOT NULL THEN 'active'
                WHEN email IS NULL THEN 'no_email'
                WHEN NOT EXISTS (SELECT 1 FROM invitations i WHERE {OPEN}) THEN 'not_invited'
                WHEN (SELECT e.status FROM email_outbox e JOIN invitations i ON i.id = e.invitation_id
                      WHERE {OPEN} ORDER BY e.id DESC LIMIT 1) = 'failed' THEN 'failed'
                ELSE 'invited'
            END
         WHERE id IN ({})",
        super::id_list(client_ids)
    ))
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Every client row of a person, as (organization, client) pairs.
pub async fn of_user(
    pool: &AnyPool,
    user_id: UserId,
) -> Result<Vec<(OrganizationId, ClientId)>, sqlx::Error> {
    sqlx::query_as("SELECT organization_id, id FROM clients WHERE user_id = $1")
        .bind(user_id)
        .fetch_all(pool)
        .await
}

/// Links the client profile to the identity that accepted its invitation.
pub async fn set_user(
    tx: &mut Tx,
    client_id: ClientId,
    user_id: UserId,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE clients SET user_id = $1 WHERE id = $2")
        .bind(user_id)
        .bind(client_id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Sets (or clears, with None) when a client's portal access was disabled:
/// on the client row and, once activated, on the person's membership.
pub async fn set_access(
    tx: &mut Tx,
    organization_id: OrganizationId,
    client_id: ClientId,
    user_id: Option<UserId>,
    disabled_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE clients SET disabled_at = $1 WHERE id = $2 AND organization_id = $3")
        .bind(disabled_at)
        .bind(client_id)
        .bind(organization_id)
        .execute(&mut **tx)
        .await?;
    if let Some(user_id) = user_id {
        sqlx::query(
            "UPDATE memberships SET disabled_at = $1 WHERE organization_id = $2 AND user_id = $3",
        )
        .bind(disabled_at)
        .bind(organization_id)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// What a search looks in: the member's name and email and their account's
/// name, lower-cased, in one column.
pub fn search_text(
    first_name: &str,
    last_name: &str,
    email: Option<&str>,
    account_name: &str,
) -> String {
    format!(
        "{first_name} {last_name} {} {account_name}",
        email.unwrap_or_default()
    )
    .to_lowercase()
}

/// Sets a client's email (None removes it). `search_text` must come from
/// [`search_text`] with the client's names and the new email.
pub async fn set_email(
    tx: &mut Tx,
    organization_id: OrganizationId,
    client_id: ClientId,
    email: Option<&str>,
    search_text: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE clients SET email = $1, email_lower = $2, search_text = $3
         WHERE id = $4 AND organization_id = $5",
    )
    .bind(email)
    .bind(email.map(str::to_lowercase))
    .bind(search_text)
    .bind(client_id)
    .bind(organization_id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Sets the language of a client's emails and pages (None: the
/// organization's).
pub async fn set_language(
    db: &super::Db,
    organization_id: OrganizationId,
    client_id: ClientId,
    language: Option<Language>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE clients SET language = $1 WHERE id = $2 AND organization_id = $3")
        .bind(language.map(Language::as_str))
        .bind(client_id)
        .bind(organization_id)
        .execute(&mut *db.writer().await?)
        .await
        .map(|_| ())
}

/// A client invited at an address who never activated, for "Forgot your
/// password?".
#[derive(Debug, Clone, FromRow)]
pub struct InvitedClient {
    pub id: ClientId,
    pub organization_id: OrganizationId,
    pub email: String,
    /// When the pending invitation expires (it may already have).
    pub invitation_expires_at: Option<i64>,
    /// Whether the organization sends invitations by itself (else only on
    /// demand, when staff send them).
    pub auto_invite: bool,
}

/// Every client with this address, in any organization, whose invitation is
/// pending (sent or failed, expired or not) and who never activated.
pub async fn invited_with_email(
    pool: &AnyPool,
    email: &str,
) -> Result<Vec<InvitedClient>, sqlx::Error> {
    let rows: Vec<(ClientId, OrganizationId, String, Option<i64>, i64)> = sqlx::query_as(
        "SELECT c.id, c.organization_id, c.email, c.invitation_expires_at, o.auto_invite
         FROM clients c JOIN organizations o ON o.id = c.organization_id
         WHERE c.email_lower = $1 AND c.user_id IS NULL AND c.list_state IN ('invited', 'failed')",
    )
    .bind(email.to_lowercase())
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, organization_id, email, invitation_expires_at, auto)| InvitedClient {
                id,
                organization_id,
                email,
                invitation_expires_at,
                auto_invite: auto != 0,
            },
        )
        .collect())
}

/// A client's role (the role they get when they accept).
pub async fn role_of(tx: &mut Tx, client_id: ClientId) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as("SELECT role FROM clients WHERE id = $1")
        .bind(client_id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.map(|(r,)| r))
}

/// The client of an organization with this address and no identity yet, as
/// (id, role).
pub async fn unlinked_with_email(
    tx: &mut Tx,
    organization_id: OrganizationId,
    email: &str,
) -> Result<Option<(ClientId, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, role FROM clients
         WHERE organization_id = $1 AND email_lower = $2 AND user_id IS NULL",
    )
    .bind(organization_id)
    .bind(email.to_lowercase())
    .fetch_optional(&mut **tx)
    .await
}

/// Every client row of the person `user_id`, in every organization, with
/// what its search text is made of: (organization, client, first name,
/// last name, account name). Read inside `tx` to change their address.
pub async fn named_rows_of_user(
    tx: &mut Tx,
    user_id: UserId,
) -> Result<Vec<(OrganizationId, ClientId, String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.organization_id, c.id, c.first_name, c.last_name, a.name FROM clients c
         JOIN client_accounts a ON a.id = c.account_id WHERE c.user_id = $1 ORDER BY c.id",
    )
    .bind(user_id)
    .fetch_all(&mut **tx)
    .await
}

/// A member's own contact details in one organization: (phone, postal
/// address); None when the person has no client row there.
pub async fn contact_of(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    organization_id: OrganizationId,
    user_id: UserId,
) -> Result<Option<(Option<String>, Option<String>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT phone, postal_address FROM clients WHERE organization_id = $1 AND user_id = $2",
    )
    .bind(organization_id)
    .bind(user_id)
    .fetch_optional(db)
    .await
}

/// A client's contact details by client id, as their page shows them.
pub async fn contact_by_id(
    pool: &AnyPool,
    organization_id: OrganizationId,
    client_id: ClientId,
) -> Result<Option<(Option<String>, Option<String>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT phone, postal_address FROM clients WHERE organization_id = $1 AND id = $2",
    )
    .bind(organization_id)
    .bind(client_id)
    .fetch_optional(pool)
    .await
}

/// Sets a member's own contact details inside `tx`; returns their client
/// id, None when they have no client row in the organization.
pub async fn set_contact(
    tx: &mut Tx,
    organization_id: OrganizationId,
    user_id: UserId,
    phone: Option<&str>,
    postal_address: Option<&str>,
) -> Result<Option<ClientId>, sqlx::Error> {
    let row: Option<(ClientId,)> = sqlx::query_as(
        "UPDATE clients SET phone = $3, postal_address = $4
         WHERE organization_id = $1 AND user_id = $2 RETURNING id",
    )
    .bind(organization_id)
    .bind(user_id)
    .bind(phone)
    .bind(postal_address)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|(id,)| id))
}

/// The client row of the person `user_id` in account `account_id` of one
/// organization; None when they are no member of it.
pub async fn member_of_account(
    pool: &AnyPool,
    organization_id: OrganizationId,
    account_id: AccountId,
    user_id: UserId,
) -> Result<Option<ClientId>, sqlx::Error> {
    let row: Option<(ClientId,)> = sqlx::query_as(
        "SELECT id FROM clients WHERE organization_id = $1 AND account_id = $2 AND user_id = $3",
    )
    .bind(organization_id)
    .bind(account_id)
    .bind(user_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(id,)| id))
}
