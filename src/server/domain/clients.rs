//! Client accounts and their invitations.

use crate::model::{AccountId, AccountRow, ClientId, OrganizationId, Place, PlanId, UserId};
use crate::model::{
    AppError, AuditKind, CLIENT_PAGE_SIZE, ClientFilter, ClientPage, ClientRow, EmailKind,
    InvitationKind, Language, MailStatus, Problem, Role, Validator,
};
use crate::server::auth::CurrentSession;
use crate::server::dates;
use crate::server::db::{self, Db, Tx, is_unique_violation};
use crate::server::domain::authority::{self, Action};
use crate::server::domain::client_accounts::{self, Person};
use crate::server::domain::requests::{Purpose, Repeat, Request};
use crate::server::domain::rules;
use crate::server::domain::seats::{self, Claim};
use crate::server::domain::status::{self, Facts};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// What the "new client" and "add member" forms submit. An empty email
/// means none.
pub struct NewClient {
    /// None: a new account named after the person, with them as its owner.
    /// Some: a member of this existing account.
    pub account: Option<AccountId>,
    /// "owner" or "guest" (only asked when adding to an account; a new
    /// account's first member is its owner).
    pub place: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub role: String,
    /// "en" or "fr" for the client's emails; empty for the organization's
    /// language.
    pub language: String,
    /// The form's request key (see [`super::requests`]).
    pub request_key: String,
}

/// What creating a client did.
#[derive(Debug, Clone, Copy)]
pub struct Created {
    pub client_id: ClientId,
    pub invited: bool,
    /// False when this was a repeat of a request that created the client
    /// already (the same request key): nothing was written.
    pub new: bool,
}

/// The role a new person gets in the organization. Staff may add clients and
/// collaborators; owners and admins may also add staff and admins.
fn role_to_grant(actor: Role, wanted: &str) -> Result<String, Problem> {
    match Role::parse(wanted) {
        Some(Role::Client | Role::Collaborator) => Ok(wanted.to_owned()),
        Some(Role::Staff | Role::Admin) if matches!(actor, Role::Owner | Role::Admin) => {
            Ok(wanted.to_owned())
        }
        Some(Role::Staff | Role::Admin) => Err(Problem::RoleOwnersOnly),
        _ => Err(Problem::RoleChoose),
    }
}

fn email_in_use() -> AppError {
    AppError::field("email", Problem::ClientEmailExists)
}

/// Refuses an address that already belongs to a client of the organization or
/// to one of its members (an owner has no client row): a second client row
/// would shadow that person's role, and a join would link it to them.
pub(super) async fn check_email_free(
    db: &Db,
    org: OrganizationId,
    email: &str,
) -> Result<(), AppError> {
    if db::clients::email_taken(&db.pool, org, email).await? {
        return Err(email_in_use());
    }
    if let Some(role) = db::users::member_role_by_email(&db.pool, org, email).await? {
        return Err(AppError::field("email", Problem::AlreadyMember { role }));
    }
    Ok(())
}

/// The client `client_id` of the actor's organization, once the actor may do
/// `action` to them ([`authority::may_act`]). The person's role is the higher
/// of their client row's and their membership's.
///
/// Errors: [`AppError::NotFound`] for a client of another organization,
/// [`AppError::Forbidden`] when the actor ranks below the person.
pub async fn target(
    db: &Db,
    actor: &CurrentSession,
    client_id: ClientId,
    action: Action,
) -> Result<db::clients::ClientListRow, AppError> {
    let org = actor.organization_id;
    let client = db::clients::get(&db.pool, org, client_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut role = Role::parse(&client.role).unwrap_or(Role::Client);
    if let Some(user_id) = client.user_id
        && let Some(member) = db::users::membership_role(&db.pool, org, user_id).await?
    {
        role = authority::higher(role, member);
    }
    let actor = authority::Person {
        user_id: Some(actor.user_id),
        role: actor.role,
    };
    let person = authority::Person {
        user_id: client.user_id,
        role,
    };
    authority::may_act(actor, person, action)?;
    Ok(client)
}
/// Creates a client in the caller's organization: the owner of a new
/// account, or a member of an existing one (`input.account`). With an email,
/// the invitation is queued in the same transaction for a guest always (the
/// owner asked for them), for an owner when the organization invites
/// automatically.
///
/// Errors: field errors (names, email, role, place, language); not found
/// for an account of another organization.
pub async fn create(
    db: &Db,
    actor: &CurrentSession,
    input: NewClient,
    now: i64,
) -> Result<Created, AppError> {
    let org = actor.organization_id;
    let request = Request::new(actor.user_id, Purpose::Client(org), &input.request_key)?;
    let repeat = |id: i64| Created {
        client_id: ClientId(id),
        invited: false,
        new: false,
    };
    if let Some(id) = request.earlier(db).await? {
        return Ok(repeat(id));
    }
    let mut v = Validator::default();
    let first = v.take("first_name", rules::name(&input.first_name));
    let last = v.take("last_name", rules::name(&input.last_name));
    let email = if input.email.trim().is_empty() {
        Some(None)
    } else {
        v.take("email", rules::email(&input.email)).map(Some)
    };
    let role = v.take("role", role_to_grant(actor.role, &input.role));
    let language = v.take("language", rules::client_language(&input.language));
    let place = v.take(
        "place",
        match (input.account, input.place.as_str()) {
            (None, _) => Ok(Place::Owner),
            (Some(_), place) => Place::parse(place).ok_or(Problem::PlaceChoose),
        },
    );
    let (Some(first), Some(last), Some(email), Some(role), Some(language), Some(place)) =
        (first, last, email, role, language, place)
    else {
        return Err(v.into_error());
    };
    let account = match input.account {
        Some(id) => Some(
            db::client_accounts::get(&db.pool, org, id)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    if let Some(e) = &email
        && let Err(taken) = check_email_free(db, org, e).await
    {
        return request.or_earlier(db, taken).await.map(repeat);
    }

    let mut tx = db.begin().await?;
    if let Err(Repeat) = request.claim(&mut tx, now).await? {
        tx.rollback().await?;
        return request.or_earlier(db, AppError::NotFound).await.map(repeat);
    }
    let person = Person {
        first_name: &first,
        last_name: &last,
        email: email.as_deref(),
        role: &role,
        language,
    };
    let added = match &account {
        None => client_accounts::open(&mut tx, org, &person, Some(actor.user_id), now).await,
        Some(account) => {
            // The account may have gone since it was read (its last member
            // moved away): it is locked and read again here.
            let Some(name) =
                db::client_accounts::lock(&mut tx, db.backend, org, account.id).await?
            else {
                return Err(AppError::NotFound);
            };
            let new = db::clients::NewClient {
                organization_id: org,
                account: (account.id, &name),
                place,
                first_name: &first,
                last_name: &last,
                email: email.as_deref(),
                role: &role,
                language,
                created_by: Some(actor.user_id),
            };
            db::clients::insert(&mut tx, &new, now).await
        }
    };
    let client_id = match added {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => return Err(email_in_use()),
        Err(e) => return Err(e.into()),
    };
    request.record(&mut tx, client_id.0).await?;
    let (auto_invite, _) = db::orgs::invitation_settings(&mut tx, org).await?;
    // A guest is invited at once, as the owner who asked for them expects.
    let invite = auto_invite || place == Place::Guest;
    let invited = match &email {
        Some(address) if invite => {
            match invite_in(
                &mut tx,
                org,
                client_id,
                address,
                Some(actor.user_id),
                Expiry::Renew,
                now,
            )
            .await
            {
                Ok(()) => {}
                Err(AppError::Conflict(Problem::SeatsFull)) => {
                    return Err(AppError::field("role", Problem::SeatsFull));
                }
                Err(e) => return Err(e),
            }
            true
        }
        _ => false,
    };
    tx.commit().await?;
    tracing::info!(client_id = %client_id, organization_id = %org, invited, "client created");
    Ok(Created {
        client_id,
        invited,
        new: true,
    })
}

/// Sends (or resends) the invitation of `client`, a person the actor may
/// invite (from [`target`] with [`Action::SendInvitation`]). A pending
/// invitation gets a fresh expiry and one more email with a new link; its
/// earlier links keep their own expiry. Refused while the portal is off
/// ([`super::portal::require_on`]).
pub async fn send_invitation(
    db: &Db,
    actor: &CurrentSession,
    client: db::clients::ClientListRow,
    form: Option<i64>,
    now: i64,
) -> Result<(), AppError> {
    let org = actor.organization_id;
    let client_id = client.id;
    if client.user_id.is_some() {
        return Err(AppError::Conflict(Problem::AlreadyActive));
    }
    if client.disabled_at.is_some() {
        return Err(AppError::Conflict(Problem::ClientAccessDisabled));
    }
    let Some(email) = client.email else {
        return Err(AppError::Conflict(Problem::NoEmailToInvite));
    };
    super::portal::require_on(db, org, Role::parse(&client.role).unwrap_or(Role::Client)).await?;
    let mut tx = db.begin().await?;
    invite_in(
        &mut tx,
        org,
        client_id,
        &email,
        Some(actor.user_id),
        Expiry::Renew,
        now,
    )
    .await?;
    if let Some(form) = form {
        super::forms::send_in(&mut tx, org, form, &[client_id], Some(actor.user_id), now).await?;
    }
    tx.commit().await?;
    tracing::info!(client_id = %client_id, organization_id = %org, "invitation sent");
    Ok(())
}

/// Disables or enables a client's portal access. Disabling takes effect at
/// once: pending invitation links stop working and the person's sessions in
/// this organization end. Enabling a client who never activated sends a fresh
/// invitation, and so does enabling one who was never invited (their
/// first). Returns whether an email was queued.
pub async fn set_access(
    db: &Db,
    actor: &CurrentSession,
    client_id: ClientId,
    enabled: bool,
    now: i64,
) -> Result<bool, AppError> {
    let org = actor.organization_id;
    let action = if enabled {
        Action::Enable
    } else {
        Action::Disable
    };
    let client = target(db, actor, client_id, action).await?;
    // Access turned on for a member never invited (or whose invitation was
    // withdrawn) gives them their first invitation, as the switch reading
    // "off" for them promises; like any invitation made on its own, its
    // email waits while the portal is off.
    let uninvited = client.invitation_kind.is_none() || client.invitation_revoked_at.is_some();
    let first_invitation = enabled && client.user_id.is_none() && uninvited;
    if first_invitation && client.disabled_at.is_none() && client.email.is_none() {
        // Nothing to turn on: say why.
        return Err(AppError::Conflict(Problem::NoEmailToInvite));
    }
    if client.disabled_at.is_none() == enabled && !first_invitation {
        // Nothing changes: no links end, no invitation goes out (a repeated
        // "enable" must not become a way round the resend limit).
        return Ok(false);
    }
    let mut tx = db.begin().await?;
    // An active collaborator enabled again takes a seat back.
    if enabled
        && client.user_id.is_some()
        && client.role == "collaborator"
        && !seats::claim(&mut tx, org, Claim::New).await?
    {
        return Err(AppError::Conflict(Problem::SeatsFull));
    }
    db::clients::set_access(
        &mut tx,
        org,
        client_id,
        client.user_id,
        (!enabled).then_some(now),
    )
    .await?;
    if !enabled && let Some(user_id) = client.user_id {
        db::sessions::end_in_organization(&mut tx, user_id, org).await?;
    }
    // Disabling and enabling both end the links sent before: enabling never
    // brings back a link issued before the person was disabled.
    end_links(&mut tx, org, &client, now).await?;
    let reinvite = enabled && client.user_id.is_none() && client.email.is_some();
    if let (true, Some(email)) = (reinvite, &client.email) {
        invite_in(
            &mut tx,
            org,
            client_id,
            email,
            Some(actor.user_id),
            Expiry::Renew,
            now,
        )
        .await?;
    }
    let event = db::audit::Event {
        organization_id: Some(org),
        actor_id: Some(actor.user_id),
        user_id: client.user_id,
        client_id: Some(client_id),
        ..db::audit::Event::new(if enabled {
            AuditKind::AccessEnabled
        } else {
            AuditKind::AccessDisabled
        })
    };
    db::audit::record_in(&mut tx, &event, now).await?;
    db::clients::refresh_state(&mut tx, client_id).await?;
    tx.commit().await?;
    tracing::info!(
        client_id = %client_id,
        organization_id = %org,
        enabled,
        "client access changed"
    );
    Ok(reinvite)
}

/// Chooses the language of a client's emails and pages: "en", "fr", or
/// empty for the organization's. Their own choice, once they have an
/// account, still comes first.
///
/// Errors: a field error on `language` for any other value; not found or
/// forbidden as [`target`] decides.
pub async fn change_language(
    db: &Db,
    actor: &CurrentSession,
    client_id: ClientId,
    language: &str,
) -> Result<(), AppError> {
    let language = rules::client_language(language).map_err(|p| AppError::field("language", p))?;
    target(db, actor, client_id, Action::ChangeLanguage).await?;
    db::clients::set_language(db, actor.organization_id, client_id, language).await?;
    tracing::info!(client_id = %client_id, language = ?language, "client language chosen");
    Ok(())
}

/// Adds, changes or removes (empty) the email of a client who has not
/// activated. A pending invitation to the old address is revoked.
pub async fn change_email(
    db: &Db,
    actor: &CurrentSession,
    client_id: ClientId,
    email: &str,
    now: i64,
) -> Result<(), AppError> {
    let org = actor.organization_id;
    let client = target(db, actor, client_id, Action::ChangeEmail).await?;
    if client.user_id.is_some() {
        return Err(AppError::field("email", Problem::EmailIsTheirs));
    }
    let email = if email.trim().is_empty() {
        None
    } else {
        Some(rules::email(email).map_err(|p| AppError::field("email", p))?)
    };
    let unchanged =
        email.as_deref().map(str::to_lowercase) == client.email.as_deref().map(str::to_lowercase);
    if unchanged {
        return Ok(());
    }
    if let Some(e) = &email {
        check_email_free(db, org, e).await?;
    }
    let mut tx = db.begin().await?;
    match db::clients::set_email(
        &mut tx,
        org,
        client_id,
        email.as_deref(),
        &db::clients::search_text(
            &client.first_name,
            &client.last_name,
            email.as_deref(),
            &client.account_name,
        ),
    )
    .await
    {
        Ok(()) => {}
        Err(e) if is_unique_violation(&e) => return Err(email_in_use()),
        Err(e) => return Err(e.into()),
    }
    end_links(&mut tx, org, &client, now).await?;
    let event = db::audit::Event {
        organization_id: Some(org),
        actor_id: Some(actor.user_id),
        client_id: Some(client_id),
        // No detail: the address was removed.
        detail: email.as_deref(),
        ..db::audit::Event::new(AuditKind::EmailChanged)
    };
    db::audit::record_in(&mut tx, &event, now).await?;
    db::clients::refresh_state(&mut tx, client_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Ends every outstanding link of a person for one organization, inside
/// `tx`: their pending invitations (activation and join), their password
/// reset links, and confirmation links of applications from their address.
/// Every change of access or email goes through here.
async fn end_links(
    tx: &mut Tx,
    org: OrganizationId,
    client: &db::clients::ClientListRow,
    now: i64,
) -> Result<(), AppError> {
    db::invitations::revoke_pending(tx, client.id, now).await?;
    if let Some(user_id) = client.user_id {
        db::resets::end_all(tx, user_id, now).await?;
    }
    if let Some(email) = &client.email {
        db::signups::end_links(tx, org, email, now).await?;
    }
    Ok(())
}

/// What sending an invitation does to a pending invitation's expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Expiry {
    /// Staff sent it, or the person asked on an expired link: the
    /// invitation gets the organization's full lifetime again.
    Renew,
    /// A new link to the invitation as it stands ("Forgot your password?"
    /// for someone invited): nobody but staff keeps an invitation alive.
    Keep,
}

/// Queues an invitation email for a client inside `tx`: extends the pending
/// invitation if there is one, or creates a new one (a join invitation when the
/// address already has a Porchlight account). A pending invitation of the
/// wrong kind (the address got an account since) is revoked and replaced.
pub(super) async fn invite_in(
    tx: &mut Tx,
    org: OrganizationId,
    client_id: ClientId,
    email: &str,
    actor: Option<UserId>,
    expiry: Expiry,
    now: i64,
) -> Result<(), AppError> {
    let (_, lifetime_days) = db::orgs::invitation_settings(tx, org).await?;
    let expires_at = now + lifetime_days * DAY_MS;
    let kind = if db::users::has_account(tx, email).await? {
        InvitationKind::Join
    } else {
        InvitationKind::Activate
    };
    let pending = db::invitations::pending_for_client(tx, client_id).await?;
    // A collaborator invited takes a seat (one already invited keeps theirs),
    // counted under the seats lock in this transaction.
    if db::clients::role_of(tx, client_id).await?.as_deref() == Some("collaborator") {
        let claim = if pending.is_some() {
            Claim::Held
        } else {
            Claim::New
        };
        if !seats::claim(tx, org, claim).await? {
            return Err(AppError::Conflict(Problem::SeatsFull));
        }
    }
    let invitation_id = match pending {
        Some((id, pending_kind)) if pending_kind == kind.as_str() => {
            if expiry == Expiry::Renew {
                db::invitations::extend(tx, id, expires_at).await?;
            }
            id
        }
        pending => {
            if pending.is_some() {
                db::invitations::revoke_pending(tx, client_id, now).await?;
            }
            db::invitations::insert(tx, org, client_id, kind, email, actor, now, expires_at).await?
        }
    };
    // Numbered by the emails already queued: a double click or a retried
    // request queues the same key twice, and the second is ignored.
    let n = db::invitations::sends(tx, invitation_id).await? + 1;
    let email = db::outbox::NewEmail {
        organization_id: org,
        kind: EmailKind::Invitation,
        recipient: email,
        idempotency_key: &format!("invitation:{invitation_id}:{n}"),
        about: db::outbox::About {
            client_id: Some(client_id),
            invitation_id: Some(invitation_id),
            ..Default::default()
        },
    };
    db::outbox::enqueue(tx, &email, now).await?;
    db::clients::refresh_state(tx, client_id).await?;
    Ok(())
}

/// What the client list asks for: a 1-based `page`; `search`, words found
/// in names and emails; `status`, a filter name (`pending`, `failed`, … or
/// empty for all); `plan`, a plan's id (empty for any); `staff`, an assigned
/// staff member's id or `me` (empty for anyone); `sort`, `oldest` or newest
/// first.
#[derive(Debug, Clone, Default)]
pub struct ListRequest {
    pub page: i64,
    pub search: String,
    pub status: String,
    pub plan: String,
    pub staff: String,
    pub sort: String,
}

impl ListRequest {
    /// The plan filter; None for any plan (an id that is not a number
    /// matches nothing rather than everything).
    fn plan(&self) -> Option<PlanId> {
        match self.plan.trim() {
            "" => None,
            id => Some(PlanId(id.parse().unwrap_or(-1))),
        }
    }

    /// The database query for this request's page, `search` being its
    /// words as [`rules::search`] cleaned them.
    pub fn query<'a>(
        &self,
        actor: &CurrentSession,
        search: &'a str,
        now: i64,
    ) -> db::clients::ListQuery<'a> {
        db::clients::ListQuery {
            organization_id: actor.organization_id,
            search,
            status: ClientFilter::parse(&self.status),
            plan: self.plan(),
            staff: self.staff(actor),
            oldest_first: self.sort == "oldest",
            limit: CLIENT_PAGE_SIZE,
            offset: (self.page.clamp(1, 1_000_000) - 1) * CLIENT_PAGE_SIZE,
            now,
        }
    }

    /// The assigned staff filter, `me` being `actor`.
    fn staff(&self, actor: &CurrentSession) -> Option<UserId> {
        match self.staff.trim() {
            "" => None,
            "me" => Some(actor.user_id),
            id => Some(UserId(id.parse().unwrap_or(-1))),
        }
    }
}

/// One page of `actor`'s organization's client accounts with their
/// members, their statuses described at `now` (ms);
/// [`crate::model::CLIENT_PAGE_SIZE`] accounts at most. Counting stops at
/// [`db::clients::ListQuery::count_cap`] (`more` is then set).
pub async fn list(
    db: &Db,
    actor: &CurrentSession,
    request: &ListRequest,
    now: i64,
) -> Result<ClientPage, AppError> {
    let search = rules::search(&request.search);
    let query = request.query(actor, &search, now);
    let page = db::clients::page(db, &query).await?;
    let local = actor.local();
    let member_ids: Vec<i64> = page.members.iter().map(|m| m.id.0).collect();
    let forms = super::forms::list_states(db, actor, &member_ids).await?;
    let mut members: std::collections::HashMap<AccountId, Vec<ClientRow>> =
        std::collections::HashMap::new();
    for m in page.members {
        members.entry(m.account_id).or_default().push(ClientRow {
            form: forms.get(&m.id.0).cloned(),
            ..row(m, now, &local)
        });
    }
    let ids: Vec<i64> = page.accounts.iter().map(|a| a.id.0).collect();
    let new_uploads: std::collections::HashMap<AccountId, i64> =
        db::documents::new_uploads(&db.pool, actor.organization_id, &ids)
            .await?
            .into_iter()
            .collect();
    let rows = page
        .accounts
        .into_iter()
        .map(|a| {
            let of_account = members.remove(&a.id).unwrap_or_default();
            AccountRow {
                id: a.id.0,
                name: a.name,
                plan: a.plan,
                assigned_staff: a.assigned_staff,
                matched: of_account
                    .iter()
                    .map(|m| m.id)
                    .filter(|id| page.matched.contains(&ClientId(*id)))
                    .collect(),
                members: of_account,
                new_uploads: new_uploads.get(&a.id).copied().unwrap_or(0),
            }
        })
        .collect();
    Ok(ClientPage {
        rows,
        total: page.total.min(page.cap),
        more: page.total > page.cap,
    })
}

/// A list row for the browser, its status described at `now` in `local`'s
/// language and time zone.
pub fn row(r: db::clients::ClientListRow, now: i64, local: &dates::Local) -> ClientRow {
    let place = r.place();
    let facts = Facts {
        has_email: r.email.is_some(),
        disabled: r.disabled_at.is_some(),
        member: r.user_id.is_some(),
        last_login_at: r.last_login_at,
        invitation_kind: r.invitation_kind.as_deref().and_then(InvitationKind::parse),
        invitation_created_at: r.invitation_created_at,
        invitation_expires_at: r.invitation_expires_at,
        invitation_revoked: r.invitation_revoked_at.is_some(),
        mail_status: r.mail_status.as_deref().and_then(MailStatus::parse),
        mail_sent_at: r.mail_sent_at,
        mail_error: r.mail_error,
    };
    let (status, status_text) = status::describe(&facts, now, local);
    ClientRow {
        id: r.id.0,
        account_id: r.account_id.0,
        place,
        account_name: r.account_name,
        first_name: r.first_name,
        last_name: r.last_name,
        email: r.email,
        role: Role::parse(&r.role).unwrap_or(Role::Client),
        language: r.language.as_deref().and_then(Language::parse),
        created: local.date(r.created_at),
        status,
        status_text,
        form: None,
    }
}
