//! Who may do what in an organization: owners and admins run it, staff manage
//! clients, clients and collaborators only see their dashboard.

use crate::helpers::*;

async fn save_settings(app: &TestApp, cookie: &str) -> FnResponse {
    crate::helpers::save_settings(
        app,
        cookie,
        "invitations",
        &[("auto_invite", "on"), ("invitation_lifetime_days", "14")],
    )
    .await
}

#[tokio::test]
async fn owners_add_staff_and_admins_and_each_gets_their_rights() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let admin = app.add_member(&owner, "ada@example.com", "admin").await.1;
    let staff = app.add_member(&owner, "sam@example.com", "staff").await.1;
    let client = app.add_member(&owner, "cy@example.com", "client").await.1;

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
                ("request_key", request_key().as_str()),
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
    let eves = app
        .scalar("SELECT COUNT(*) FROM clients WHERE email = 'eve@example.com'")
        .await;
    assert_eq!(eves, 0, "a refused form writes nothing");
    app.create_client_id(&staff, "Cleo", "Client", "cleo@example.com")
        .await;

    // Admins change settings and add staff.
    assert_eq!(save_settings(&app, &admin).await.status, 200);
    app.add_member(&admin, "stu@example.com", "staff").await;

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
