//! Every action on a person checks the actor's rank against the person's
//! role (owner > admin > staff > collaborator and client), and a join never
//! shadows a role someone already holds.

use porchlight::model::{AppError, Problem};

use crate::helpers::*;

/// Adds a person with `role` (as the owner), unactivated; returns the client id.
async fn pending(app: &TestApp, owner: &str, email: &str, role: &str) -> i64 {
    let resp = app.create_person(owner, email, role).await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    resp.json().as_i64().unwrap()
}

fn rank(role: &str) -> u8 {
    match role {
        "owner" => 4,
        "admin" => 3,
        "staff" => 2,
        _ => 1,
    }
}

async fn email_of(app: &TestApp, id: i64) -> Option<String> {
    let (email,): (Option<String>,) = sqlx::query_as("SELECT email FROM clients WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    email
}

#[tokio::test]
async fn staff_cannot_take_over_an_admin_invitation() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let (_, staff) = app.add_member(&owner, "sam@example.com", "staff").await;
    let admin = pending(&app, &owner, "ada@example.com", "admin").await;

    let hijack = app
        .call(
            "change_client_email",
            &[
                ("client_id", &admin.to_string()),
                ("email", "sam2@example.com"),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(hijack.status, 403, "{}", hijack.body);
    assert_eq!(
        email_of(&app, admin).await.as_deref(),
        Some("ada@example.com")
    );
    let resend = app.send_invitation(&staff, admin).await;
    assert_eq!(resend.status, 403);
}

#[tokio::test]
async fn every_action_on_a_pending_person_needs_a_rank_at_least_theirs() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let (_, admin) = app.add_member(&owner, "ada@example.com", "admin").await;
    let (_, staff) = app.add_member(&owner, "sam@example.com", "staff").await;
    let actors = [("admin", &admin), ("staff", &staff)];
    let mut n = 0;
    for target_role in ["admin", "staff", "collaborator", "client"] {
        for (actor_role, actor) in actors {
            n += 1;
            let target = pending(&app, &owner, &format!("t{n}@example.com"), target_role).await;
            let id = target.to_string();
            let allowed = rank(actor_role) >= rank(target_role);
            let expect = |status: reqwest::StatusCode, what: &str| {
                if allowed {
                    assert!(
                        status.is_success(),
                        "{actor_role} {what} {target_role}: {status}"
                    );
                } else {
                    assert_eq!(status, 403, "{actor_role} {what} {target_role}");
                }
            };
            let resend = app.send_invitation(actor, target).await;
            expect(resend.status, "resends to");
            let new_email = format!("t{n}b@example.com");
            let change = app
                .call(
                    "change_client_email",
                    &[("client_id", &id), ("email", &new_email)],
                    Some(actor),
                )
                .await;
            expect(change.status, "changes the email of");
            let disable = app.set_access(actor, target, false).await;
            expect(disable.status, "disables");
            // Enabling is tried on a disabled person: disable as the owner first.
            app.set_access(&owner, target, false).await;
            let enable = app.set_access(actor, target, true).await;
            expect(enable.status, "enables");
        }
    }
}

#[tokio::test]
async fn every_action_on_an_active_person_needs_a_rank_at_least_theirs() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let (_, admin) = app.add_member(&owner, "ada@example.com", "admin").await;
    let (_, staff) = app.add_member(&owner, "sam@example.com", "staff").await;
    let mut n = 0;
    for target_role in ["admin", "staff", "client"] {
        for (actor_role, actor) in [("admin", &admin), ("staff", &staff)] {
            n += 1;
            let (target, _) = app
                .add_member(&owner, &format!("a{n}@example.com"), target_role)
                .await;
            let id = target.to_string();
            let allowed = rank(actor_role) >= rank(target_role);
            for (what, endpoint, form) in [
                (
                    "sends a reset to",
                    "send_password_reset",
                    vec![("client_id", id.as_str())],
                ),
                (
                    "disables",
                    "set_client_access",
                    vec![("client_id", id.as_str()), ("enabled", "false")],
                ),
                (
                    "enables",
                    "set_client_access",
                    vec![("client_id", id.as_str()), ("enabled", "true")],
                ),
            ] {
                let resp = app.call(endpoint, &form, Some(actor)).await;
                if allowed {
                    assert!(
                        resp.status.is_success(),
                        "{actor_role} {what} {target_role}: {} {}",
                        resp.status,
                        resp.body
                    );
                } else {
                    assert_eq!(resp.status, 403, "{actor_role} {what} {target_role}");
                }
            }
        }
    }
}

#[tokio::test]
async fn nobody_disables_themselves() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let (admin_id, admin) = app.add_member(&owner, "ada@example.com", "admin").await;
    let me = app.set_access(&admin, admin_id, false).await;
    assert_eq!(me.status, 409, "{}", me.body);
    assert_eq!(me.error(), AppError::Conflict(Problem::CannotDisableSelf));
    assert_eq!(me.says(), "You cannot disable your own access.");
}

#[tokio::test]
async fn a_member_of_staff_cannot_be_invited_as_a_client() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let (_, staff) = app.add_member(&owner, "sam@example.com", "staff").await;
    // The owner has no client row: their address is refused all the same.
    let as_client = app
        .create_client(&staff, "Olive", "Owner", "olive.owner@example.com")
        .await;
    assert_eq!(as_client.status, 422, "{}", as_client.body);
    assert_eq!(as_client.json()["Invalid"][0]["field"], "email");
    assert!(
        as_client.says().contains("already a member"),
        "{}",
        as_client.body
    );
    // Nor by changing a client's email to it.
    let id = app
        .create_client_id(&staff, "Cy", "Client", "cy@example.com")
        .await;
    let change = app
        .call(
            "change_client_email",
            &[("client_id", &id.to_string()), ("email", OWNER_EMAIL)],
            Some(&staff),
        )
        .await;
    assert_eq!(change.status, 422, "{}", change.body);
    assert_eq!(change.json()["Invalid"][0]["field"], "email");
}

#[tokio::test]
async fn a_join_never_shadows_a_role_already_held() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let id = app
        .create_client_id(&owner, "Cy", "Client", "cy@example.com")
        .await;
    app.wait_for_mail(1).await;
    // A client row with the owner's address (as data from before this rule),
    // invited: the owner's account makes it a join.
    sqlx::query("UPDATE clients SET email = $1, email_lower = $2 WHERE id = $3")
        .bind(OWNER_EMAIL)
        .bind(OWNER_EMAIL.to_lowercase())
        .bind(id)
        .execute(&app.db.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE invitations SET revoked_at = 1")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let sent = app.send_invitation(&owner, id).await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    let token = app.wait_for_mail(2).await.remove(1).token();
    let join = app.call("join", &[("token", &token)], Some(&owner)).await;
    assert_eq!(join.status, 409, "{}", join.body);
    assert!(join.says().contains("already a member"), "{}", join.body);
    let (linked,): (Option<i64>,) = sqlx::query_as("SELECT user_id FROM clients WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(linked, None, "the client row is not linked to the owner");
    let (role,): (String,) = sqlx::query_as("SELECT role FROM memberships")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(role, "owner");
}
