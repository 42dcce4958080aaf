//! Who may act on whom. Every action one person takes on another (changing
//! their email, sending them an invitation or a password reset, disabling or
//! enabling their access) goes through [`may_act`], so the rule lives here
//! once: the actor must work in the portal and rank at least as high as the
//! person (owner > admin > staff > collaborator and client), an owner's
//! access is changed only by another owner, and nobody disables themselves.

use crate::model::UserId;
use crate::model::{AppError, Problem, Role};

/// What one person does to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    ChangeEmail,
    /// Choosing the language of a client's emails and pages.
    ChangeLanguage,
    SendInvitation,
    SendReset,
    Disable,
    Enable,
    /// Moving a member to another account, or changing their place in it.
    ChangeAccount,
}

impl Action {
    /// Every action, for tests that walk them all.
    pub const ALL: [Action; 7] = [
        Action::ChangeEmail,
        Action::ChangeLanguage,
        Action::SendInvitation,
        Action::SendReset,
        Action::Disable,
        Action::Enable,
        Action::ChangeAccount,
    ];
}

/// A person in an organization: their identity (none until they activate)
/// and the highest role they hold there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Person {
    pub user_id: Option<UserId>,
    pub role: Role,
}

/// A role's rank: owner 4, admin 3, staff 2, collaborator and client 1.
pub const fn rank(role: Role) -> u8 {
    match role {
        Role::Owner => 4,
        Role::Admin => 3,
        Role::Staff => 2,
        Role::Collaborator | Role::Client => 1,
    }
}

/// The higher of two roles (a person's client row and their membership may
/// disagree; the higher one counts).
pub fn higher(a: Role, b: Role) -> Role {
    if rank(a) >= rank(b) { a } else { b }
}

/// Every role `actor` may act on (none for a role outside the portal's
/// staff): the roles at or below its rank.
pub fn within_reach(actor: Role) -> Vec<Role> {
    if !actor.is_staff() {
        return Vec::new();
    }
    [
        Role::Owner,
        Role::Admin,
        Role::Staff,
        Role::Collaborator,
        Role::Client,
    ]
    .into_iter()
    .filter(|r| rank(*r) <= rank(actor))
    .collect()
}

/// Whether `actor` may do `action` to `target` in one organization.
///
/// Errors: [`AppError::Forbidden`] when the actor does not work in the portal
/// or ranks below the target; [`AppError::Conflict`] when someone tries to
/// disable themselves.
pub fn may_act(actor: Person, target: Person, action: Action) -> Result<(), AppError> {
    if !actor.role.is_staff() || rank(actor.role) < rank(target.role) {
        return Err(AppError::Forbidden);
    }
    if action == Action::Disable && actor.user_id.is_some() && actor.user_id == target.user_id {
        return Err(AppError::Conflict(Problem::CannotDisableSelf));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLES: [Role; 5] = [
        Role::Owner,
        Role::Admin,
        Role::Staff,
        Role::Collaborator,
        Role::Client,
    ];

    #[test]
    fn every_action_needs_a_rank_at_least_the_targets() {
        for action in Action::ALL {
            for actor_role in ROLES {
                for target_role in ROLES {
                    let actor = Person {
                        user_id: Some(UserId(1)),
                        role: actor_role,
                    };
                    let target = Person {
                        user_id: Some(UserId(2)),
                        role: target_role,
                    };
                    let allowed = actor_role.is_staff() && rank(actor_role) >= rank(target_role);
                    assert_eq!(
                        may_act(actor, target, action).is_ok(),
                        allowed,
                        "{actor_role:?} {action:?} {target_role:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn only_an_owner_changes_an_owners_access() {
        let owner = Person {
            user_id: Some(UserId(2)),
            role: Role::Owner,
        };
        for role in [Role::Admin, Role::Staff] {
            let actor = Person {
                user_id: Some(UserId(1)),
                role,
            };
            assert_eq!(
                may_act(actor, owner, Action::Disable),
                Err(AppError::Forbidden)
            );
        }
        let other_owner = Person {
            user_id: Some(UserId(1)),
            role: Role::Owner,
        };
        assert!(may_act(other_owner, owner, Action::Disable).is_ok());
    }

    #[test]
    fn nobody_disables_themselves() {
        for role in [Role::Owner, Role::Admin, Role::Staff] {
            let me = Person {
                user_id: Some(UserId(7)),
                role,
            };
            assert!(matches!(
                may_act(me, me, Action::Disable),
                Err(AppError::Conflict(_))
            ));
            assert!(may_act(me, me, Action::Enable).is_ok());
        }
    }

    #[test]
    fn within_reach_agrees_with_may_act() {
        for actor in ROLES {
            for target in ROLES {
                let a = Person {
                    user_id: Some(UserId(1)),
                    role: actor,
                };
                let t = Person {
                    user_id: Some(UserId(2)),
                    role: target,
                };
                assert_eq!(
                    within_reach(actor).contains(&target),
                    may_act(a, t, Action::SendInvitation).is_ok(),
                    "{actor:?} → {target:?}"
                );
            }
        }
    }

    #[test]
    fn the_higher_role_counts() {
        assert_eq!(higher(Role::Client, Role::Owner), Role::Owner);
        assert_eq!(higher(Role::Admin, Role::Staff), Role::Admin);
    }
}
