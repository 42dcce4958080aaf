//! Who may do what in an organization: owners and admins run it, staff manage
//! clients, clients and collaborators only see their dashboard.

use crate::helpers::*;

const PASSWORD: &str = "a brand new password";

/// Adds a person with `role` as `by`, has them activate, returns their session.
async fn member(app: &TestApp, by: &str, email: &str, role: &str, nth_mail: usize) -> String {
    let resp = app
        .call(
            "create_client",
            &[
                ("first_name", "Pat"),
                ("last_name", role),
                ("email", email),
                ("role", role),
            ],
            Some(by),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    let token = app
        .wait_for_mail(nth_mail)
        .await
        .remove(nth_mail - 1)
        .token();
    let done = app.activate(&token, PASSWORD).await;
    assert_eq!(done.status, 200, "{}", done.body);
    done.session_cookie().unwrap()
}

async fn save_settings(app: &TestApp, cookie: &str) -> FnResponse {
    app.call(
        "save_organization_settings",
        &[
            ("auto_invite", "on"),
            ("invitation_lifetime_days", "14"),
            ("accent_color", "#b44d12"),
        ],
        Some(cookie),
    )
    .await
}

#[tokio::test]
async fn owners_add_staff_and_admins_and_each_gets_their_rights() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let admin = member(&app, &owner, "ada@example.com", "admin", 1).await;
    let staff = member(&app, &owner, "sam@example.com", "staff", 2).await;
    let client = member(&app, &owner, "cy@example.com", "client", 3).await;

    // Staff manage clients but not settings, and cannot hand out rights.
    assert_eq!(
        app.call("list_clients", &[("page", "1")], Some(&staff))
            .await
            .status,
        200
    );
    assert_eq!(save_settings(&app, &staff).await.status, 403);
    let escalate = app
        .call(
            "create_client",
            &[
                ("first_name", "Eve"),
                ("last_name", "Admin"),
                ("email", "eve@example.com"),
                ("role", "admin"),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(escalate.status, 422);
    assert_eq!(escalate.json()["Invalid"][0]["field"], "role");
    let (eves,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM clients WHERE email = 'eve@example.com'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(eves, 0, "a refused form writes nothing");
    app.create_client_id(&staff, "Cleo", "Client", "cleo@example.com")
        .await;

    // Admins change settings and add staff.
    assert_eq!(save_settings(&app, &admin).await.status, 200);
    member(&app, &admin, "stu@example.com", "staff", 5).await;

    // Clients see only their dashboard.
    assert_eq!(
        app.call("list_clients", &[("page", "1")], Some(&client))
            .await
            .status,
        403
    );
    assert_eq!(save_settings(&app, &client).await.status, 403);
    let page = app.get("/clients", Some(&client)).await;
    assert_eq!(location(&page), Some("/dashboard"));
}
