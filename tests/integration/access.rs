use serde_json::json;

use porchlight::model::{AppError, Problem};

use crate::helpers::*;

const PASSWORD: &str = "a brand new password";

/// A client who activated; returns (client id, client's session cookie).
async fn active_client(app: &TestApp, owner: &str) -> (i64, String) {
    let id = app
        .create_client_id(owner, "Ann", "Lee", "ann@example.com")
        .await;
    let token = app.wait_for_mail(1).await.remove(0).token();
    let done = app.activate(&token, PASSWORD).await;
    (id, done.session_cookie().unwrap())
}

#[tokio::test]
async fn disabling_ends_the_clients_sessions_and_sign_in_says_why() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let (id, client) = active_client(&app, &owner).await;
    assert_eq!(app.get("/dashboard", Some(&client)).await.status(), 200);

    assert_eq!(app.set_access(&owner, id, false).await.status, 200);
    let next = app.get("/dashboard", Some(&client)).await;
    assert_eq!(
        location(&next),
        Some("/login?next=%2Fdashboard"),
        "signed out at once"
    );
    assert_eq!(app.client_rows(&owner).await[0]["status_text"], "Disabled");

    let login = app.login("ann@example.com", PASSWORD).await;
    assert_eq!(login.status, 409);
    assert_eq!(
        login.error(),
        AppError::Conflict(Problem::AccessDisabledAt {
            organization: "North Tutors".into()
        })
    );
    assert_eq!(
        login.says(),
        "Your access to North Tutors is disabled. Contact them if you think this is a mistake."
    );
    // A wrong password still gets the usual answer: nothing is revealed.
    assert_eq!(
        app.login("ann@example.com", "wrong password!").await.json(),
        json!("InvalidCredentials")
    );

    assert_eq!(app.set_access(&owner, id, true).await.status, 200);
    assert_eq!(app.login("ann@example.com", PASSWORD).await.status, 200);
}

#[tokio::test]
async fn disabling_revokes_a_pending_invitation_and_enabling_sends_a_fresh_one() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let id = app
        .create_client_id(&owner, "Bo", "Ng", "bo@example.com")
        .await;
    let old = app.wait_for_mail(1).await.remove(0).token();

    app.set_access(&owner, id, false).await;
    let page = app.activation_page(&old).await;
    assert!(page.contains("This link can no longer be used"));
    let refused = app.send_invitation(&owner, id).await;
    assert_eq!(refused.status, 409);

    app.set_access(&owner, id, true).await;
    let fresh = app.wait_for_mail(2).await.remove(1).token();
    assert_ne!(fresh, old);
    let page = app.activation_page(&fresh).await;
    assert!(page.contains("Choose a password"));
    let old_again = app.activate(&old, PASSWORD).await;
    assert_eq!(old_again.status, 409, "the revoked link stays dead");
}

#[tokio::test]
async fn another_organization_cannot_disable_a_client() {
    let app = spawn_app().await;
    let north = app.setup_owner().await;
    let (id, client) = active_client(&app, &north).await;
    let south = app.create_organization(&north, "South", "south").await;
    assert_eq!(app.set_access(&south, id, false).await.status, 404);
    assert_eq!(app.get("/dashboard", Some(&client)).await.status(), 200);
}
