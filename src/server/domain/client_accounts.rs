//! Client accounts: a person, a household or a company, with one or more
//! owners (co-owners) and guests. Every client is a member of one account;
//! creating a client opens an account of one owner named after them. Staff
//! rename accounts, put them on a plan, assign them to a staff member, add
//! and move members, and invite all of an account's owners at once.

use crate::model::{
    AccountChoices, AccountDetail, AccountMate, AppError, Choice, DashboardAccount, Language,
    OwnersInvited, Place, Plan, Problem, Role,
};
use crate::model::{AccountId, ClientId, OrganizationId, PlanId, UserId};
use crate::server::auth::CurrentSession;
use crate::server::db::{self, Db, Tx, is_unique_violation};
use crate::server::domain::authority::Action;
use crate::server::domain::clients::{self, Expiry};
use crate::server::domain::rules;

/// A person to add as a client.
#[derive(Debug, Clone)]
pub struct Person<'a> {
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub email: Option<&'a str>,
    pub role: &'a str,
    pub language: Option<Language>,
}

/// Opens a new account named after `person`, with them as its only owner,
/// inside `tx`; returns the person's client id. `by`: who added them (None:
/// they signed up).
///
/// Errors: a unique violation when the organization has a client with that
/// email already.
pub(super) async fn open(
    tx: &mut Tx,
    organization_id: OrganizationId,
    person: &Person<'_>,
    by: Option<UserId>,
    now: i64,
) -> Result<ClientId, sqlx::Error> {
    let name = format!("{} {}", person.first_name, person.last_name);
    let account = db::client_accounts::insert(tx, organization_id, &name, now).await?;
    let new = db::clients::NewClient {
        organization_id,
        account: (account, &name),
        place: Place::Owner,
        first_name: person.first_name,
        last_name: person.last_name,
        email: person.email,
        role: person.role,
        language: person.language,
        created_by: by,
    };
    db::clients::insert(tx, &new, now).await
}

/// Fills the lower-cased names a migration could not write the same way on
/// both databases (SQLite's LOWER folds ASCII only): the accounts made from
/// the clients before accounts. Run at start, before serving. Returns how
/// many were filled.
pub async fn fill_name_lower(db: &Db) -> Result<usize, sqlx::Error> {
    let mut filled = 0;
    loop {
        let rows = db::client_accounts::without_name_lower(&db.pool, 500).await?;
        if rows.is_empty() {
            return Ok(filled);
        }
        let mut tx = db.begin().await?;
        for (id, name) in &rows {
            db::client_accounts::set_name_lower(&mut tx, *id, &name.to_lowercase()).await?;
        }
        tx.commit().await?;
        filled += rows.len();
    }
}

/// An account of the actor's organization.
///
/// Errors: not found for another organization's account (or none).
async fn account_of(
    db: &Db,
    actor: &CurrentSession,
    id: AccountId,
) -> Result<db::client_accounts::AccountRow, AppError> {
    db::client_accounts::get(&db.pool, actor.organization_id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The account `id` with its members (described at `now`) and the plans
/// and staff it may be given.
///
/// Errors: not found for another organization's account.
pub async fn detail(
    db: &Db,
    actor: &CurrentSession,
    id: AccountId,
    now: i64,
) -> Result<AccountDetail, AppError> {
    let org = actor.organization_id;
    let account = account_of(db, actor, id).await?;
    let local = actor.local();
    let members = db::clients::of_account(&db.pool, org, id)
        .await?
        .into_iter()
        .map(|m| clients::row(m, now, &local))
        .collect();
    let AccountChoices { plans, mut staff } = choices(db, actor).await?;
    let organization_permissions = db::orgs::settings(&db.pool, org).await?.permissions();
    let overrides = account.overrides();
    // A staff member whose access was turned off stays assigned (and
    // shown) until someone else is chosen.
    if let (Some(id), Some(name)) = (account.assigned_staff_id, &account.assigned_staff)
        && !staff.iter().any(|c| c.id == id.0)
    {
        staff.push(Choice {
            id: id.0,
            name: name.clone(),
        });
    }
    Ok(AccountDetail {
        id: account.id.0,
        name: account.name,
        plan_id: account.plan_id.map(|p| p.0),
        assigned_staff_id: account.assigned_staff_id.map(|u| u.0),
        created: local.date(account.created_at),
        members,
        plans,
        staff,
        organization_permissions,
        overrides,
        can_manage: matches!(actor.role, Role::Owner | Role::Admin),
    })
}

/// The organization's plans and staff, for the client list's filters.
pub async fn choices(db: &Db, actor: &CurrentSession) -> Result<AccountChoices, AppError> {
    let org = actor.organization_id;
    Ok(AccountChoices {
        plans: db::client_accounts::plans(&db.pool, org)
            .await?
            .into_iter()
            .map(|(id, name, _)| Choice { id: id.0, name })
            .collect(),
        staff: db::client_accounts::staff_choices(&db.pool, org)
            .await?
            .into_iter()
            .map(|(id, name)| Choice { id: id.0, name })
            .collect(),
    })
}

/// What the account form submits: a name, a plan's id and a staff
/// member's id (empty: none).
#[derive(Debug, Clone, Default)]
pub struct AccountForm {
    pub name: String,
    pub plan: String,
    pub assigned_staff: String,
}

/// An optional id from a form: empty for none.
///
/// Errors: not found for text that is no id (nothing can have it).
fn optional_id(value: &str) -> Result<Option<i64>, AppError> {
    match value.trim() {
        "" => Ok(None),
        id => id.parse().map(Some).map_err(|_| AppError::NotFound),
    }
}

/// Saves an account's name, plan and assigned staff member; renaming also
/// renames what its members are found by. The plan and the staff member
/// are checked in the saving transaction (a staff member whose access was
/// turned off may stay assigned, not be newly chosen).
///
/// Errors: a field error on `name`; not found for an account, a plan or a
/// staff member that is not the organization's.
pub async fn update(
    db: &Db,
    actor: &CurrentSession,
    id: AccountId,
    form: &AccountForm,
) -> Result<(), AppError> {
    let org = actor.organization_id;
    let account = account_of(db, actor, id).await?;
    let name = rules::name(&form.name).map_err(|p| AppError::field("name", p))?;
    let plan_id = optional_id(&form.plan)?.map(PlanId);
    let assigned_staff_id = optional_id(&form.assigned_staff)?.map(UserId);
    let mut tx = db.begin().await?;
    if db::client_accounts::lock(&mut tx, db.backend, org, id)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    if let Some(plan) = plan_id
        && !db::client_accounts::plan_exists(&mut tx, org, plan).await?
    {
        return Err(AppError::NotFound);
    }
    if let Some(user) = assigned_staff_id
        && Some(user) != account.assigned_staff_id
        && !db::client_accounts::assignable(&mut tx, org, user).await?
    {
        return Err(AppError::NotFound);
    }
    let details = db::client_accounts::Details {
        name: &name,
        plan_id,
        assigned_staff_id,
    };
    db::client_accounts::set_details(&mut tx, org, id, &details).await?;
    if *name != account.name {
        for m in db::client_accounts::members_in(&mut tx, id).await? {
            let text =
                db::clients::search_text(&m.first_name, &m.last_name, m.email.as_deref(), &name);
            db::client_accounts::set_search_text(&mut tx, m.id, &text).await?;
        }
    }
    tx.commit().await?;
    tracing::info!(account_id = %id, organization_id = %org, "account saved");
    Ok(())
}

/// Whether an account whose members are `members` still has an owner once
/// `leaving` leaves it (or, with `becomes_guest`, stays as a guest). An
/// account left empty needs none: it goes.
fn keeps_an_owner(members: &[db::client_accounts::Member], leaving: ClientId) -> bool {
    let others: Vec<_> = members.iter().filter(|m| m.id != leaving).collect();
    others.is_empty() || others.iter().any(|m| m.place() == Place::Owner)
}

/// Moves the client `client_id` to the account `to`, at `place`. Their old
/// account keeps at least one owner; one left empty is deleted. Both
/// accounts are locked (in id order) and the member read again inside the
/// moving transaction, so two moves at once cannot leave an account without
/// an owner.
///
/// Errors: a field error on `place`; a field error on `account` when none
/// is chosen (0) or they are in it already; [`Problem::AccountKeepsOwner`]
/// when their old account would have members and no owner; not found for a
/// client or an account of another organization; forbidden when the actor
/// ranks below the client.
pub async fn move_member(
    db: &Db,
    actor: &CurrentSession,
    client_id: ClientId,
    to: AccountId,
    place: &str,
) -> Result<(), AppError> {
    let org = actor.organization_id;
    let place =
        Place::parse(place).ok_or_else(|| AppError::field("place", Problem::PlaceChoose))?;
    if to.0 == 0 {
        // The form was sent without an account chosen.
        return Err(AppError::field("account", Problem::AccountChoose));
    }
    let client = clients::target(db, actor, client_id, Action::ChangeAccount).await?;
    account_of(db, actor, to).await?;
    if client.account_id == to {
        return Err(AppError::field("account", Problem::SameAccount));
    }
    let mut tx = db.begin().await?;
    let (first, second) = if client.account_id < to {
        (client.account_id, to)
    } else {
        (to, client.account_id)
    };
    let first_name = db::client_accounts::lock(&mut tx, db.backend, org, first).await?;
    let second_name = db::client_accounts::lock(&mut tx, db.backend, org, second).await?;
    let target_name = if first == to { first_name } else { second_name };
    let Some(target_name) = target_name else {
        return Err(AppError::NotFound);
    };
    // Where they are now, read under the locks.
    let Some((from, _)) = db::client_accounts::of_member(&mut tx, org, client_id).await? else {
        return Err(AppError::NotFound);
    };
    if from == to {
        return Err(AppError::field("account", Problem::SameAccount));
    }
    if from != client.account_id {
        // Moved meanwhile: its account is not the one locked.
        db::client_accounts::lock(&mut tx, db.backend, org, from).await?;
    }
    let members = db::client_accounts::members_in(&mut tx, from).await?;
    if !keeps_an_owner(&members, client_id) {
        return Err(AppError::Conflict(Problem::AccountKeepsOwner));
    }
    let text = db::clients::search_text(
        &client.first_name,
        &client.last_name,
        client.email.as_deref(),
        &target_name,
    );
    db::client_accounts::place_member(&mut tx, client_id, to, place, &text).await?;
    db::client_accounts::delete_if_empty(&mut tx, from).await?;
    tx.commit().await?;
    tracing::info!(client_id = %client_id, organization_id = %org, from = %from, to = %to, "member moved");
    Ok(())
}

/// Makes a member an owner or a guest of their account, which keeps at
/// least one owner (checked with the account locked, inside the changing
/// transaction).
///
/// Errors: a field error on `place`; [`Problem::AccountKeepsOwner`] for the
/// last owner made a guest; not found or forbidden as [`clients::target`]
/// decides.
pub async fn set_place(
    db: &Db,
    actor: &CurrentSession,
    client_id: ClientId,
    place: &str,
) -> Result<(), AppError> {
    let org = actor.organization_id;
    let place =
        Place::parse(place).ok_or_else(|| AppError::field("place", Problem::PlaceChoose))?;
    let client = clients::target(db, actor, client_id, Action::ChangeAccount).await?;
    let mut tx = db.begin().await?;
    let Some(account_name) =
        db::client_accounts::lock(&mut tx, db.backend, org, client.account_id).await?
    else {
        return Err(AppError::NotFound);
    };
    let members = db::client_accounts::members_in(&mut tx, client.account_id).await?;
    let Some(me) = members.iter().find(|m| m.id == client_id) else {
        // Moved to another account meanwhile.
        return Err(AppError::Conflict(Problem::DidNotWork));
    };
    if me.place() == place {
        return Ok(());
    }
    let owners_left = members
        .iter()
        .filter(|m| m.id != client_id && m.place() == Place::Owner)
        .count();
    if place == Place::Guest && owners_left == 0 {
        return Err(AppError::Conflict(Problem::AccountKeepsOwner));
    }
    let text = db::clients::search_text(
        &client.first_name,
        &client.last_name,
        client.email.as_deref(),
        &account_name,
    );
    db::client_accounts::place_member(&mut tx, client_id, client.account_id, place, &text).await?;
    tx.commit().await?;
    Ok(())
}

/// Sends an invitation to every owner of the account who can get one, with
/// the bulk invitation's rules: owners already active, without an email,
/// disabled, ranking above the actor, or (collaborators) finding no seat
/// left are skipped and counted; a pending invitation is sent again with a
/// fresh expiry. Each owner's state is read with the account locked, in the
/// inviting transaction. With `form`, each invited owner is sent that form
/// too. Returns what it did and the members it invited.
///
/// Errors: not found for another organization's account;
/// [`Problem::PortalOff`] while the portal is off.
pub async fn invite_owners(
    db: &Db,
    actor: &CurrentSession,
    id: AccountId,
    form: Option<i64>,
    now: i64,
) -> Result<(OwnersInvited, Vec<ClientId>), AppError> {
    let org = actor.organization_id;
    account_of(db, actor, id).await?;
    super::portal::require_on(db, org, Role::Client).await?;
    // Who the actor may invite (ranks are read first: outside the
    // transaction, the pool is free).
    let mut out_of_reach = Vec::new();
    for member in db::clients::of_account(&db.pool, org, id).await? {
        if member.place() == Place::Owner {
            match clients::target(db, actor, member.id, Action::SendInvitation).await {
                Ok(_) => {}
                Err(AppError::Forbidden) => out_of_reach.push(member.id),
                Err(e) => return Err(e),
            }
        }
    }
    let mut outcome = OwnersInvited::default();
    let mut invited = Vec::new();
    let mut tx = db.begin().await?;
    if db::client_accounts::lock(&mut tx, db.backend, org, id)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    for member in db::client_accounts::members_in(&mut tx, id).await? {
        if member.place() != Place::Owner {
            continue;
        }
        let email = match (&member.email, member.user_id, member.disabled_at) {
            (_, Some(_), _) => {
                outcome.skipped_active += 1;
                continue;
            }
            (_, None, Some(_)) => {
                outcome.skipped_disabled += 1;
                continue;
            }
            (None, None, None) => {
                outcome.skipped_no_email += 1;
                continue;
            }
            (Some(email), None, None) => email,
        };
        if out_of_reach.contains(&member.id) {
            outcome.skipped_rank += 1;
            continue;
        }
        match clients::invite_in(
            &mut tx,
            org,
            member.id,
            email,
            Some(actor.user_id),
            Expiry::Renew,
            now,
        )
        .await
        {
            Ok(()) => invited.push(member.id),
            // No seat left for this collaborator: skipped, the others go.
            Err(AppError::Conflict(Problem::SeatsFull)) => outcome.skipped_seats += 1,
            Err(e) => return Err(e),
        }
    }
    if let Some(form) = form {
        super::forms::send_in(&mut tx, org, form, &invited, Some(actor.user_id), now).await?;
    }
    tx.commit().await?;
    outcome.invited = invited.len() as i64;
    tracing::info!(account_id = %id, organization_id = %org, invited = outcome.invited, "owners invited");
    Ok((outcome, invited))
}

/// The ids of an account's members (to announce a change to open pages).
pub async fn member_ids(
    db: &Db,
    organization_id: OrganizationId,
    id: AccountId,
) -> Result<Vec<ClientId>, AppError> {
    Ok(db::clients::of_account(&db.pool, organization_id, id)
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect())
}

/// Up to ten accounts of the actor's organization found by `words` (their
/// name, or a member's name or email), newest first: the choices of "Move
/// to another account".
pub async fn find(db: &Db, actor: &CurrentSession, words: &str) -> Result<Vec<Choice>, AppError> {
    let words = rules::search(words).trim().to_lowercase();
    if words.is_empty() {
        return Ok(Vec::new());
    }
    Ok(
        db::client_accounts::find(&db.pool, actor.organization_id, &words, 10)
            .await?
            .into_iter()
            .map(|(id, name)| Choice { id: id.0, name })
            .collect(),
    )
}

/// Plans may be changed by the organization's owners and admins; staff read
/// them (in the account form).
fn may_manage_plans(actor: &CurrentSession) -> Result<(), AppError> {
    if matches!(actor.role, Role::Owner | Role::Admin) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The organization's plans, by name, with how many accounts are on each.
pub async fn plans(db: &Db, actor: &CurrentSession) -> Result<Vec<Plan>, AppError> {
    Ok(db::client_accounts::plans(&db.pool, actor.organization_id)
        .await?
        .into_iter()
        .map(|(id, name, accounts)| Plan {
            id: id.0,
            name: name.clone(),
            accounts,
        })
        .collect())
}

/// Adds a plan name (owners and admins).
///
/// Errors: a field error on `name` (empty, too long, or the organization
/// has a plan of that name, in any case); forbidden for staff.
pub async fn add_plan(
    db: &Db,
    actor: &CurrentSession,
    name: &str,
    now: i64,
) -> Result<PlanId, AppError> {
    may_manage_plans(actor)?;
    let name = rules::name(name).map_err(|p| AppError::field("name", p))?;
    let mut tx = db.begin().await?;
    let id =
        match db::client_accounts::insert_plan(&mut tx, actor.organization_id, &name, now).await {
            Ok(id) => id,
            Err(e) if is_unique_violation(&e) => {
                return Err(AppError::field("name", Problem::PlanNameTaken));
            }
            Err(e) => return Err(e.into()),
        };
    tx.commit().await?;
    Ok(id)
}

/// Removes a plan (owners and admins); its accounts are then on no plan.
///
/// Errors: not found for another organization's plan; forbidden for staff.
pub async fn remove_plan(db: &Db, actor: &CurrentSession, id: PlanId) -> Result<(), AppError> {
    may_manage_plans(actor)?;
    let mut tx = db.begin().await?;
    if !db::client_accounts::delete_plan(&mut tx, actor.organization_id, id).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// The account `me` is a member of in their current organization, as their
/// dashboard shows it: its name and everyone in it with whether they joined.
/// Owners see the members' addresses; a guest sees only names.
pub async fn of_person(db: &Db, me: &CurrentSession) -> Result<Option<DashboardAccount>, AppError> {
    let Some((id, name, my_place)) =
        db::client_accounts::of_user(&db.pool, me.organization_id, me.user_id).await?
    else {
        return Ok(None);
    };
    let owner = Place::parse(&my_place) == Some(Place::Owner);
    let members = db::client_accounts::mates(&db.pool, id)
        .await?
        .into_iter()
        .map(|m| AccountMate {
            name: format!("{} {}", m.first_name, m.last_name),
            place: Place::parse(&m.place).unwrap_or(Place::Owner),
            joined: m.user_id.is_some() && m.disabled_at.is_none(),
            email: m.email.filter(|_| owner),
            you: m.user_id == Some(me.user_id),
        })
        .collect();
    Ok(Some(DashboardAccount { name, members }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use db::client_accounts::Member;

    fn member(id: i64, place: Place) -> Member {
        Member {
            id: ClientId(id),
            first_name: "A".into(),
            last_name: "B".into(),
            email: None,
            place: place.as_str().into(),
            user_id: None,
            disabled_at: None,
        }
    }

    #[test]
    fn an_account_keeps_an_owner_unless_it_empties() {
        let owner_and_guest = [member(1, Place::Owner), member(2, Place::Guest)];
        assert!(!keeps_an_owner(&owner_and_guest, ClientId(1)));
        assert!(keeps_an_owner(&owner_and_guest, ClientId(2)));
        let co_owners = [member(1, Place::Owner), member(2, Place::Owner)];
        assert!(keeps_an_owner(&co_owners, ClientId(1)));
        assert!(keeps_an_owner(&[member(1, Place::Owner)], ClientId(1)));
    }

    #[test]
    fn an_id_from_a_form_is_a_number_or_nothing() {
        assert_eq!(optional_id(" "), Ok(None));
        assert_eq!(optional_id("42"), Ok(Some(42)));
        assert_eq!(optional_id("4 2"), Err(AppError::NotFound));
    }
}
