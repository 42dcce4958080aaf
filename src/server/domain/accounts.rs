//! First-run setup and sign-in.

use crate::model::{AppError, AuditKind, Problem, Role, Validator};
use crate::model::{OrganizationId, UserId};
use crate::server::auth::password;
use crate::server::db::{self, Db, is_unique_violation};
use crate::server::domain::requests::{Purpose, Repeat, Request};
use crate::server::domain::rules;

/// What the first-run form submits.
pub struct SetupInput {
    pub organization_name: String,
    pub organization_slug: String,
    pub owner_name: String,
    pub owner_email: String,
    pub owner_password: String,
}

/// Who is signing in, and where they land.
#[derive(Debug, Clone, Copy)]
pub struct SignedIn {
    pub user_id: UserId,
    pub organization_id: OrganizationId,
    pub role: Role,
}

impl SignedIn {
    /// Where the person lands: the overview for staff, their own dashboard
    /// for clients.
    pub fn home(&self) -> &'static str {
        if self.role.is_staff() {
            "/"
        } else {
            "/dashboard"
        }
    }
}

/// Creates the first organization and its owner. Works exactly once per
/// installation; every later call is refused and writes nothing.
pub async fn setup(db: &Db, input: SetupInput, now: i64) -> Result<SignedIn, AppError> {
    let mut v = Validator::default();
    let (org_name, slug) =
        organization_fields(&mut v, &input.organization_name, &input.organization_slug);
    let owner_name = v.take("owner_name", rules::name(&input.owner_name));
    let email = v.take("owner_email", rules::email(&input.owner_email));
    let password = v.take(
        "owner_password",
        rules::password(&input.owner_password, &input.owner_email),
    );
    let (Some(org_name), Some(slug), Some(owner_name), Some(email), Some(password)) =
        (org_name, slug, owner_name, email, password)
    else {
        return Err(v.into_error());
    };

    if !db::orgs::needs_setup(&db.pool).await? {
        return Err(already_set_up());
    }
    let hash = password::hash(password.into_string()).await?;

    let mut tx = db.begin().await?;
    if let Err(e) = db::orgs::claim_installation(&mut tx, now).await {
        return Err(if is_unique_violation(&e) {
            already_set_up()
        } else {
            e.into()
        });
    }
    // A fresh installation holds no slug yet.
    let organization_id = db::orgs::insert(&mut tx, &slug, &org_name, now)
        .await?
        .ok_or_else(slug_taken)?;
    let user_id = db::users::insert(&mut tx, &email, &owner_name, &hash, now).await?;
    db::users::add_membership(&mut tx, organization_id, user_id, Role::Owner, now).await?;
    tx.commit().await?;
    tracing::info!(organization_id = %organization_id, user_id = %user_id, "first-run setup completed");
    Ok(SignedIn {
        user_id,
        organization_id,
        role: Role::Owner,
    })
}

/// The organization name and slug of a form, checked into `v`.
fn organization_fields(
    v: &mut Validator,
    name: &str,
    slug: &str,
) -> (Option<String>, Option<String>) {
    (
        v.take(
            "organization_name",
            rules::name(name).map(rules::Name::into_string),
        ),
        v.take("organization_slug", rules::slug(slug)),
    )
}

fn slug_taken() -> AppError {
    AppError::field("organization_slug", Problem::SlugTaken)
}

/// Creates another organization with the actor as its owner.
///
/// While email stays in the development mailbox (`dev_mailbox`), only an
/// owner may: the owner of a new organization reads its mailbox, which holds
/// working links for any address invited there, so a member of staff could
/// otherwise make an account for an address they do not hold.
///
/// A repeat of the request (the same `request_key`) returns the
/// organization the first one created.
///
/// Errors: [`AppError::Forbidden`] for that case, field errors for the name
/// and address, and a field error when the address is taken.
pub async fn create_organization(
    db: &Db,
    actor: &crate::server::auth::CurrentSession,
    dev_mailbox: bool,
    name: &str,
    slug: &str,
    request_key: &str,
    now: i64,
) -> Result<OrganizationId, AppError> {
    if dev_mailbox && actor.role != Role::Owner {
        return Err(AppError::Forbidden);
    }
    let owner_id = actor.user_id;
    let request = Request::new(owner_id, Purpose::Organization, request_key)?;
    if let Some(id) = request.earlier(db).await? {
        return Ok(OrganizationId(id));
    }
    let mut v = Validator::default();
    let (Some(name), Some(slug)) = organization_fields(&mut v, name, slug) else {
        return Err(v.into_error());
    };
    if db::orgs::slug_taken(&db.pool, &slug, now).await? {
        return request
            .or_earlier(db, slug_taken())
            .await
            .map(OrganizationId);
    }
    let mut tx = db.begin().await?;
    if let Err(Repeat) = request.claim(&mut tx, now).await? {
        tx.rollback().await?;
        return request
            .or_earlier(db, AppError::NotFound)
            .await
            .map(OrganizationId);
    }
    let organization_id = db::orgs::insert(&mut tx, &slug, &name, now)
        .await?
        .ok_or_else(slug_taken)?;
    request.record(&mut tx, organization_id.0).await?;
    db::users::add_membership(&mut tx, organization_id, owner_id, Role::Owner, now).await?;
    tx.commit().await?;
    tracing::info!(organization_id = %organization_id, owner_id = %owner_id, "organization created");
    Ok(organization_id)
}

/// Checks that `user_id` may work in `organization_id` as staff.
pub async fn staff_role_in(
    db: &Db,
    user_id: UserId,
    organization_id: OrganizationId,
) -> Result<(), AppError> {
    let orgs = db::orgs::organizations_of(&db.pool, user_id, true).await?;
    if orgs.iter().any(|o| o.id == organization_id) {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

fn already_set_up() -> AppError {
    AppError::Conflict(Problem::AlreadySetUp)
}

/// Checks an email and password. Every failure (unknown email, wrong password,
/// no password yet, no active membership) gives the same
/// [`AppError::InvalidCredentials`], after the same amount of hashing work.
/// `at`: the slug of the organization whose front door (`/o/<slug>`) the
/// person signs in at: they land there when they may, else where they
/// would anyway.
pub async fn sign_in(
    db: &Db,
    email: &str,
    password_input: String,
    at: Option<&str>,
    now: i64,
) -> Result<SignedIn, AppError> {
    let user = db::users::by_email(&db.pool, email).await?;
    // No account yet: perhaps an application waiting for a decision.
    let application = match &user {
        Some(_) => None,
        None => db::signups::of_email(&db.pool, email)
            .await?
            .into_iter()
            .next(),
    };
    let stored = match (&user, &application) {
        (Some(u), _) => u.password_hash.clone(),
        (None, Some(a)) => Some(a.password_hash.clone()),
        (None, None) => None,
    };
    let ok = password::verify(password_input, stored).await?;
    if let (true, Some(a)) = (ok, &application) {
        tracing::info!(
            signup_id = a.id,
            "sign-in refused: application not approved"
        );
        return Err(super::signup::application_refusal(a));
    }
    let user = match user {
        Some(u) if ok => u,
        Some(u) => {
            record_failure(db, u.id, now).await?;
            tracing::info!("sign-in failed");
            return Err(AppError::InvalidCredentials);
        }
        None => {
            tracing::info!("sign-in failed");
            return Err(AppError::InvalidCredentials);
        }
    };
    let chosen = match at {
        Some(slug) => db::users::usable_membership_at(&db.pool, user.id, slug).await?,
        None => None,
    };
    let chosen = match chosen {
        Some(membership) => Some(membership),
        None => db::users::first_active_membership(&db.pool, user.id).await?,
    };
    let Some((organization_id, role)) = chosen else {
        // The password was right, so saying why reveals nothing new.
        tracing::info!(user_id = %user.id, "sign-in refused: no membership to use");
        if let Some(organization) = db::users::closed_portals(&db.pool, user.id)
            .await?
            .into_iter()
            .next()
        {
            return Err(AppError::Conflict(Problem::PortalClosed { organization }));
        }
        let orgs = db::users::disabled_organizations(&db.pool, user.id).await?;
        return Err(match orgs.as_slice() {
            [] => AppError::InvalidCredentials,
            [one] => AppError::Conflict(Problem::AccessDisabledAt {
                organization: one.clone(),
            }),
            _ => AppError::Conflict(Problem::AccessDisabledEverywhere),
        });
    };
    let mut tx = db.begin().await?;
    db::users::record_login(&mut tx, user.id, organization_id, now).await?;
    tx.commit().await?;
    tracing::info!(user_id = %user.id, organization_id = %organization_id, "signed in");
    Ok(SignedIn {
        user_id: user.id,
        organization_id,
        role,
    })
}

/// What sign-in throttling needs: the server's key (buckets are keyed
/// hashes), the limits, and the client's address.
pub struct Throttle<'a> {
    pub secret: &'a [u8],
    pub limits: &'a crate::server::throttle::Limits,
    pub ip: &'a str,
}

/// [`sign_in`], counted against the limits per account (the email as typed,
/// whether or not it exists) and per address: the same refusal
/// ([`AppError::TooManyAttempts`]) whether the account exists or not. The
/// attempt is counted before the password is checked, so parallel guesses
/// cannot slip past the limit. Only an attempt that did not check a wrong
/// password is taken back: a success, a refusal that needed the right
/// password (access disabled, application pending), or a full hashing
/// queue; anything else, errors included, keeps counting.
pub async fn sign_in_throttled(
    db: &Db,
    throttle: &Throttle<'_>,
    email: &str,
    password_input: String,
    at: Option<&str>,
    now: i64,
) -> Result<SignedIn, AppError> {
    let limits = throttle.limits;
    let attempt = crate::server::throttle::take(
        db,
        throttle.secret,
        &[
            ("login", email, limits.login_per_account),
            ("login-ip", throttle.ip, limits.login_per_ip),
        ],
        now,
    )
    .await?;
    match sign_in(db, email, password_input, at, now).await {
        Ok(s) => {
            attempt.forget(db).await?;
            Ok(s)
        }
        Err(e @ (AppError::Conflict(_) | AppError::Busy)) => {
            attempt.forget(db).await?;
            Err(e)
        }
        Err(e) => Err(e),
    }
}

/// A wrong password for an existing account, in the audit trail of each of
/// its organizations.
async fn record_failure(db: &Db, user_id: UserId, now: i64) -> Result<(), AppError> {
    let orgs = db::users::organizations_with_client(&db.pool, user_id).await?;
    for (organization_id, _) in orgs {
        let event = db::audit::Event {
            organization_id: Some(organization_id),
            user_id: Some(user_id),
            ..db::audit::Event::new(AuditKind::LoginFailed)
        };
        db::audit::record(db, &event, now).await?;
    }
    Ok(())
}
