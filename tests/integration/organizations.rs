use serde_json::json;

use porchlight::model::{AppError, Problem};

use crate::helpers::*;

async fn shell(app: &TestApp, cookie: &str) -> serde_json::Value {
    app.call("current_shell", &[], Some(cookie)).await.json()
}

#[tokio::test]
async fn an_owner_creates_a_second_organization_and_switches_between_them() {
    let app = spawn_app().await;
    let first = app.setup_owner().await;
    let first_id = shell(&app, &first).await["organization_id"]
        .as_i64()
        .unwrap();

    let created = app
        .call(
            "create_organization",
            &[
                ("request_key", request_key().as_str()),
                ("organization_name", "South Swim Club"),
                ("organization_slug", "south-swim"),
            ],
            Some(&first),
        )
        .await;
    let second = created
        .session_cookie()
        .expect("a new session for the new organization");
    assert_ne!(
        first, second,
        "the session id changes with the organization"
    );
    let info = shell(&app, &second).await;
    assert_eq!(info["organization_name"], "South Swim Club");
    assert_eq!(info["role"], "owner");
    let names: Vec<&str> = info["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["North Tutors", "South Swim Club"]);

    let back = app
        .call(
            "switch_organization",
            &[("organization_id", &first_id.to_string())],
            Some(&second),
        )
        .await;
    let third = back.session_cookie().unwrap();
    assert_eq!(
        shell(&app, &third).await["organization_name"],
        "North Tutors"
    );
    // The page shows the current organization too.
    let html = app
        .get("/clients", Some(&third))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("South Swim Club"),
        "the switcher lists the other organization"
    );
}

#[tokio::test]
async fn a_taken_portal_address_is_refused_at_its_field() {
    let app = spawn_app().await;
    let cookie = app.setup_owner().await;
    let resp = app
        .call(
            "create_organization",
            &[
                ("request_key", request_key().as_str()),
                ("organization_name", "Copy"),
                ("organization_slug", "north-tutors"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(resp.status, 422);
    assert_eq!(
        resp.error(),
        AppError::field("organization_slug", Problem::SlugTaken)
    );
    let n = app.scalar("SELECT COUNT(*) FROM organizations").await;
    assert_eq!(n, 1);
}

#[tokio::test]
async fn nobody_switches_into_an_organization_they_do_not_belong_to() {
    let app = spawn_app().await;
    let cookie = app.setup_owner().await;
    let other = sqlx::query_as::<_, (i64,)>(
        "INSERT INTO organizations (slug, name, created_at) VALUES ('other', 'Other', 0) RETURNING id",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
    .0;
    let resp = app
        .call(
            "switch_organization",
            &[("organization_id", &other.to_string())],
            Some(&cookie),
        )
        .await;
    assert_eq!(resp.status, 404);
    assert_eq!(resp.json(), json!("NotFound"));
    assert!(resp.session_cookie().is_none());
    assert_eq!(
        shell(&app, &cookie).await["organization_name"],
        "North Tutors"
    );
}

#[tokio::test]
async fn the_client_list_shows_only_the_current_organizations_clients() {
    let app = spawn_app().await;
    let north = app.setup_owner().await;
    let south = app.create_organization(&north, "South", "south").await;
    let orgs: Vec<(i64, String)> = sqlx::query_as("SELECT id, slug FROM organizations")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    for (id, slug) in &orgs {
        sqlx::query(
            "INSERT INTO clients (organization_id, first_name, last_name, role, created_at)
             VALUES ($1, $2, 'Client', 'client', 1)",
        )
        .bind(id)
        .bind(format!("Of-{slug}"))
        .execute(&app.db.pool)
        .await
        .unwrap();
    }
    app.give_accounts().await;
    let page = app
        .call("list_clients", &[("page", "1")], Some(&south))
        .await
        .json();
    assert_eq!(page["total"], 1);
    assert_eq!(members_of(&page)[0]["first_name"], "Of-south");
}
