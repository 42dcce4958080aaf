//! Self sign-up at `/o/<slug>/signup`: applications, email confirmation,
//! automatic or approver approval, collaborator seats.

use crate::model::{
    AppError, Applicant, AuditKind, EmailKind, Problem, Role, SignupLinkPage, SignupPage,
    SignupStatus, Validator,
};
use crate::model::{OrganizationId, UserId};
use crate::server::auth::token::keyed_hash;
use crate::server::auth::{CurrentSession, password};
use crate::server::db::signups::{NewSignup, Signup};
use crate::server::db::{self, Db, Tx, is_unique_violation};
use crate::server::domain::client_accounts::{self, Person};
use crate::server::domain::rules;
use crate::server::domain::seats::{self, Claim};

/// How long an emailed confirmation link works, from when it is sent.
pub const LINK_LIFETIME: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);

/// The sign-up form as submitted.
#[derive(Debug, Clone, Default)]
pub struct SignupForm {
    pub first_name: String,
    pub last_name: String,
    pub username: String,
    pub email: String,
    pub password: String,
    /// client | collaborator; may be empty when only one role is open.
    pub role: String,
}

/// The roles a sign-up mode opens.
fn open_roles(mode: &str) -> &'static [Role] {
    match mode {
        "clients" => &[Role::Client],
        "collaborators" => &[Role::Collaborator],
        "both" => &[Role::Client, Role::Collaborator],
        _ => &[],
    }
}

fn closed(organization: &str) -> AppError {
    AppError::Conflict(Problem::SignupsClosed {
        organization: organization.to_owned(),
    })
}

fn seats_full(organization: &str) -> AppError {
    AppError::Conflict(Problem::SeatsFullAt {
        organization: organization.to_owned(),
    })
}

async fn organization(db: &Db, slug: &str) -> Result<db::orgs::SignupSettings, AppError> {
    db::orgs::signup_settings(&db.pool, slug)
        .await?
        .ok_or(AppError::NotFound)
}

fn portal_closed(organization: &str) -> AppError {
    AppError::Conflict(Problem::PortalClosed {
        organization: organization.to_owned(),
    })
}

/// What the sign-up page shows: no role is open while the portal is off.
pub async fn page(db: &Db, slug: &str) -> Result<SignupPage, AppError> {
    let org = organization(db, slug).await?;
    let portal_open = org.portal_enabled != 0;
    Ok(SignupPage {
        organization: org.name,
        roles: if portal_open {
            open_roles(&org.signup_mode).to_vec()
        } else {
            Vec::new()
        },
        portal_open,
    })
}

/// Whether the organization has a free collaborator seat.
async fn seat_free(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    org: &db::orgs::SignupSettings,
) -> Result<bool, AppError> {
    Ok(match org.collaborator_seats {
        None => true,
        Some(limit) => db::signups::collaborator_seats_used(db, org.id).await? < limit,
    })
}

/// Takes an application. The answer is the same whether the email is new or
/// already has an account (which gets an email saying so instead): the page
/// never tells who has an account. Returns the organization's id when an
/// email was queued.
pub async fn apply(
    db: &Db,
    slug: &str,
    form: SignupForm,
    now: i64,
) -> Result<OrganizationId, AppError> {
    let org = organization(db, slug).await?;
    if org.portal_enabled == 0 {
        return Err(portal_closed(&org.name));
    }
    let roles = open_roles(&org.signup_mode);
    if roles.is_empty() {
        return Err(closed(&org.name));
    }
    let mut v = Validator::default();
    let first = v.take("first_name", rules::name(&form.first_name));
    let last = v.take("last_name", rules::name(&form.last_name));
    let username = v.take("username", rules::username(&form.username));
    let email = v.take("email", rules::email(&form.email));
    let role = v.take(
        "role",
        match (form.role.trim(), Role::parse(form.role.trim()), roles) {
            ("", _, [only]) => Ok(*only),
            (_, Some(r), _) if roles.contains(&r) => Ok(r),
            (_, Some(Role::Client | Role::Collaborator), _) => Err(Problem::SignupRoleClosed),
            _ => Err(Problem::SignupRoleChoose),
        },
    );
    let pw = v.take(
        "password",
        rules::password(&form.password, form.email.trim()),
    );
    let (Some(first), Some(last), Some(username), Some(email), Some(role), Some(pw)) =
        (first, last, username, email, role, pw)
    else {
        return Err(v.into_error());
    };
    if db::signups::username_taken(&db.pool, &username).await? {
        return Err(AppError::field("username", Problem::UsernameTaken));
    }
    if role == Role::Collaborator && !seat_free(&db.pool, &org).await? {
        return Err(seats_full(&org.name));
    }
    // Hashing happens whatever the email, so both answers take as long.
    let hash = password::hash(pw.into_string()).await?;
    let mut tx = db.begin().await?;
    if db::users::has_account(&mut tx, &email).await? {
        // One such email an hour at most, whatever is submitted.
        let key = format!(
            "signup_exists:{}:{}:{}",
            org.id,
            email.to_lowercase(),
            now / 3_600_000
        );
        let mail = db::outbox::NewEmail {
            organization_id: org.id,
            kind: EmailKind::SignupExists,
            recipient: &email,
            idempotency_key: &key,
            about: db::outbox::About::default(),
        };
        db::outbox::enqueue(&mut tx, &mail, now).await?;
        tx.commit().await?;
        tracing::info!(organization_id = %org.id, "sign-up by an existing account");
        return Ok(org.id);
    }
    if let Some((_, status)) = db::signups::open_for_email(&mut *tx, org.id, &email).await?
        && status == Some(SignupStatus::Pending)
    {
        // Already waiting for a decision: nothing new to send.
        tracing::info!(organization_id = %org.id, "sign-up repeated while pending");
        return Ok(org.id);
    }
    // An earlier, unconfirmed application of this email gives way.
    db::signups::supersede_unconfirmed(&mut tx, org.id, &email).await?;
    let new = NewSignup {
        organization_id: org.id,
        first_name: &first,
        last_name: &last,
        username: &username,
        email: &email,
        role: role.as_str(),
        password_hash: &hash,
    };
    // Counted again, under the seats lock, now that this application is
    // about to take one: parallel sign-ups cannot share the last seat.
    if role == Role::Collaborator && !seats::claim(&mut tx, org.id, Claim::New).await? {
        return Err(seats_full(&org.name));
    }
    let id = db::signups::insert(&mut tx, &new, now).await?;
    let key = format!("signup_confirm:{id}");
    let mail = db::outbox::NewEmail {
        organization_id: org.id,
        kind: EmailKind::SignupConfirm,
        recipient: &email,
        idempotency_key: &key,
        about: db::outbox::About {
            signup_id: Some(id),
            ..Default::default()
        },
    };
    db::outbox::enqueue(&mut tx, &mail, now).await?;
    tx.commit().await?;
    tracing::info!(signup_id = id, organization_id = %org.id, "sign-up received");
    Ok(org.id)
}

/// A confirmation link's application, if the link can still be used.
enum Link {
    Open(Box<Signup>),
    Expired,
    Closed,
}

async fn resolve(db: &Db, secret: &[u8], token: &str, now: i64) -> Result<Link, AppError> {
    Ok(
        match db::signups::by_link(&db.pool, &keyed_hash(secret, token)).await? {
            Some((s, _)) if s.status() != Some(SignupStatus::Unconfirmed) => Link::Closed,
            Some((_, expires_at)) if expires_at <= now => Link::Expired,
            Some((s, _)) => Link::Open(Box::new(s)),
            None => Link::Closed,
        },
    )
}

/// What a confirmation link's page shows. Looking never confirms.
pub async fn link_page(
    db: &Db,
    secret: &[u8],
    token: &str,
    now: i64,
) -> Result<SignupLinkPage, AppError> {
    Ok(match resolve(db, secret, token, now).await? {
        Link::Open(s) => SignupLinkPage::Confirm {
            organization: s.organization_name,
            name: format!("{} {}", s.first_name, s.last_name),
        },
        Link::Expired => SignupLinkPage::Expired,
        Link::Closed => SignupLinkPage::Closed,
    })
}

/// What confirming did.
#[derive(Debug, Clone)]
pub enum Confirmed {
    /// Approved automatically: the person is a member, to be signed in.
    Admitted {
        user_id: UserId,
        organization_id: OrganizationId,
    },
    /// Waiting for an approver; the approvers were emailed.
    Waiting { organization_id: OrganizationId },
}

fn link_closed() -> AppError {
    AppError::Conflict(Problem::SignupLinkUnusable)
}

/// Consumes a confirmation link (once: of two submissions, one wins).
pub async fn confirm(db: &Db, secret: &[u8], token: &str, now: i64) -> Result<Confirmed, AppError> {
    let Link::Open(s) = resolve(db, secret, token, now).await? else {
        return Err(link_closed());
    };
    let settings = db::orgs::settings(&db.pool, s.organization_id).await?;
    if settings.portal_enabled == 0 {
        return Err(portal_closed(&s.organization_name));
    }
    let automatic = settings.signup_approval != "approver";
    let mut tx = db.begin().await?;
    let next = if automatic {
        SignupStatus::Approved
    } else {
        SignupStatus::Pending
    };
    // Counted while the application still holds its seat.
    if automatic
        && s.role == "collaborator"
        && !seats::claim(&mut tx, s.organization_id, Claim::Held).await?
    {
        return Err(seats_full(&s.organization_name));
    }
    if !db::signups::confirm(&mut tx, s.id, next, now).await? {
        return Err(link_closed());
    }
    if automatic {
        let user_id = admit(&mut tx, &s, None, now).await?;
        db::users::record_login(&mut tx, user_id, s.organization_id, now).await?;
        tx.commit().await?;
        tracing::info!(signup_id = s.id, user_id = %user_id, "sign-up confirmed and admitted");
        return Ok(Confirmed::Admitted {
            user_id,
            organization_id: s.organization_id,
        });
    }
    for (approver, _, email) in db::signups::approvers(&mut *tx, s.organization_id).await? {
        let key = format!("approval_request:{}:{approver}", s.id);
        let mail = db::outbox::NewEmail {
            organization_id: s.organization_id,
            kind: EmailKind::ApprovalRequest,
            recipient: &email,
            idempotency_key: &key,
            about: db::outbox::About {
                signup_id: Some(s.id),
                ..Default::default()
            },
        };
        db::outbox::enqueue(&mut tx, &mail, now).await?;
    }
    tx.commit().await?;
    tracing::info!(signup_id = s.id, "sign-up confirmed, waiting for approval");
    Ok(Confirmed::Waiting {
        organization_id: s.organization_id,
    })
}

/// Makes an approved applicant a member: their identity (with the password
/// and username they chose), their membership and their row in the client
/// list, shown as Active.
async fn admit(tx: &mut Tx, s: &Signup, by: Option<UserId>, now: i64) -> Result<UserId, AppError> {
    let taken = || {
        AppError::Conflict(Problem::ApplicantTaken {
            name: format!("{} {}", s.first_name, s.last_name),
        })
    };
    let name = format!("{} {}", s.first_name, s.last_name);
    let user_id = match db::users::insert(tx, &s.email, &name, &s.password_hash, now).await {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => return Err(taken()),
        Err(e) => return Err(e.into()),
    };
    match db::users::set_username(tx, user_id, &s.username).await {
        Ok(()) => {}
        Err(e) if is_unique_violation(&e) => return Err(taken()),
        Err(e) => return Err(e.into()),
    }
    let role = Role::parse(&s.role).unwrap_or(Role::Client);
    db::users::add_membership(tx, s.organization_id, user_id, role, now).await?;
    // A client row of this email (added by an admin) becomes theirs, if it
    // is for the same role: an application never takes over an invitation
    // to another role (a staff invitation stays for its own link).
    let existing = db::clients::unlinked_with_email(tx, s.organization_id, &s.email).await?;
    let client_id = match existing {
        Some((id, role)) if role == s.role => {
            db::invitations::revoke_pending(tx, id, now).await?;
            id
        }
        Some((_, role)) => {
            return Err(AppError::Conflict(Problem::ApplicantInvited {
                name: format!("{} {}", s.first_name, s.last_name),
                role: Role::parse(&role).unwrap_or(Role::Client),
            }));
        }
        None => {
            let person = Person {
                first_name: &s.first_name,
                last_name: &s.last_name,
                email: Some(&s.email),
                role: &s.role,
                language: None,
            };
            client_accounts::open(tx, s.organization_id, &person, by, now).await?
        }
    };
    db::clients::set_user(tx, client_id, user_id).await?;
    db::clients::refresh_state(tx, client_id).await?;
    db::signups::set_user(tx, s.id, user_id).await?;
    let event = db::audit::Event {
        organization_id: Some(s.organization_id),
        actor_id: by,
        user_id: Some(user_id),
        client_id: Some(client_id),
        ..db::audit::Event::new(AuditKind::SignupApproved)
    };
    db::audit::record_in(tx, &event, now).await?;
    Ok(user_id)
}

/// Who may decide applications: the chosen approvers and the owner.
async fn may_decide(db: &Db, actor: &CurrentSession) -> Result<bool, AppError> {
    if actor.role == Role::Owner {
        return Ok(true);
    }
    Ok(db::signups::approvers(&db.pool, actor.organization_id)
        .await?
        .iter()
        .any(|(id, ..)| *id == actor.user_id.0))
}

/// The approval queue: applications waiting for a decision, oldest first.
pub async fn queue(db: &Db, actor: &CurrentSession, now: i64) -> Result<Vec<Applicant>, AppError> {
    if !may_decide(db, actor).await? {
        return Err(AppError::Forbidden);
    }
    let local = actor.local();
    Ok(db::signups::pending(&db.pool, actor.organization_id)
        .await?
        .into_iter()
        .map(|s| Applicant {
            id: s.id,
            name: format!("{} {}", s.first_name, s.last_name),
            username: s.username,
            email: s.email,
            role: Role::parse(&s.role).unwrap_or(Role::Client),
            applied: local.ago(s.created_at, now),
        })
        .collect())
}

/// The most applications decided at once.
pub const MAX_DECIDED: usize = 500;

/// Approves or rejects applications (`ids`, comma-separated, at most
/// [`MAX_DECIDED`]); a reason goes into the rejection
/// email. Each application is decided in its own transaction, in order; the
/// first refusal stops there. Returns how many were decided.
pub async fn decide(
    db: &Db,
    actor: &CurrentSession,
    ids: &str,
    approve: bool,
    reason: &str,
    now: i64,
) -> Result<usize, AppError> {
    if !may_decide(db, actor).await? {
        return Err(AppError::Forbidden);
    }
    let ids = rules::id_list(ids, MAX_DECIDED).map_err(|e| {
        AppError::field(
            "ids",
            match e {
                rules::IdListError::NotIds => Problem::ApplicationsFromList,
                rules::IdListError::TooMany => Problem::ApplicationsTooMany,
            },
        )
    })?;
    let reason = match rules::free_text(reason, 500) {
        Ok(r) => r,
        Err(_) if reason.trim().chars().count() > 500 => {
            return Err(AppError::field("reason", Problem::ReasonTooLong));
        }
        Err(p) => return Err(AppError::field("reason", p)),
    };
    let reason = reason.as_str();
    if ids.is_empty() {
        return Err(AppError::Conflict(Problem::ApplicationsNone));
    }
    let org = actor.organization_id;
    for &id in &ids {
        let Some(s) = db::signups::by_id(&db.pool, id).await? else {
            return Err(AppError::NotFound);
        };
        if s.organization_id != org {
            return Err(AppError::NotFound);
        }
        let mut tx = db.begin().await?;
        // The application holds a seat already; approving keeps it, so
        // only a limit lowered since refuses.
        if approve && s.role == "collaborator" && !seats::claim(&mut tx, org, Claim::Held).await? {
            return Err(seats_full(&s.organization_name));
        }
        let reason = (!approve && !reason.is_empty()).then_some(reason);
        if !db::signups::decide(&mut tx, org, id, approve, actor.user_id, reason, now).await? {
            return Err(AppError::Conflict(Problem::ApplicationDecided {
                name: format!("{} {}", s.first_name, s.last_name),
            }));
        }
        if approve {
            admit(&mut tx, &s, Some(actor.user_id), now).await?;
        } else {
            let detail = format!("{} {} <{}>", s.first_name, s.last_name, s.email);
            let event = db::audit::Event {
                organization_id: Some(org),
                actor_id: Some(actor.user_id),
                detail: Some(&detail),
                ..db::audit::Event::new(AuditKind::SignupRejected)
            };
            db::audit::record_in(&mut tx, &event, now).await?;
        }
        let key = format!("signup_decided:{id}");
        let mail = db::outbox::NewEmail {
            organization_id: org,
            kind: if approve {
                EmailKind::SignupApproved
            } else {
                EmailKind::SignupRejected
            },
            recipient: &s.email,
            idempotency_key: &key,
            about: db::outbox::About {
                signup_id: Some(id),
                ..Default::default()
            },
        };
        db::outbox::enqueue(&mut tx, &mail, now).await?;
        tx.commit().await?;
        tracing::info!(signup_id = id, approve, "application decided");
    }
    Ok(ids.len())
}

/// Why an applicant with the right password cannot sign in yet, if that is
/// who is signing in: only the password's owner learns it.
pub fn application_refusal(s: &Signup) -> AppError {
    if s.status() == Some(SignupStatus::Pending) {
        AppError::Conflict(Problem::ApplicationWaiting {
            organization: s.organization_name.clone(),
        })
    } else {
        AppError::Conflict(Problem::ApplicationRejected {
            organization: s.organization_name.clone(),
        })
    }
}
