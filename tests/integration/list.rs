use serde_json::Value;

use crate::helpers::*;

async fn list(app: &TestApp, cookie: &str, args: &[(&str, &str)]) -> Value {
    let mut form = vec![("page", "1")];
    form.extend_from_slice(args);
    let resp = app.call("list_clients", &form, Some(cookie)).await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    resp.json()
}

fn names(page: &Value) -> Vec<String> {
    page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["first_name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn search_filters_order_and_pages_work_together() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let (org,): (i64,) = sqlx::query_as("SELECT id FROM organizations")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    for i in 0..60_i64 {
        sqlx::query(
            "INSERT INTO clients (organization_id, first_name, last_name, role, created_at, search_text)
             VALUES ($1, $2, 'Bulk', 'client', $3, $4)",
        )
        .bind(org)
        .bind(format!("Bulk{i:02}"))
        .bind(1_000 + i)
        .bind(format!("bulk{i:02} bulk "))
        .execute(&app.db.pool)
        .await
        .unwrap();
    }
    app.create_client(&owner, "Zoë", "Percent_Sign", "zoe@example.com")
        .await;
    app.create_client(&owner, "Reject", "Me", "reject@example.com")
        .await;
    let disabled = app
        .create_client(&owner, "Dee", "Sabled", "")
        .await
        .json()
        .as_i64()
        .unwrap();
    app.call(
        "set_client_access",
        &[("client_id", &disabled.to_string()), ("enabled", "false")],
        Some(&owner),
    )
    .await;
    app.wait_for_mail(2).await;

    let all = list(&app, &owner, &[]).await;
    assert_eq!(all["total"], 63);
    assert_eq!(all["rows"].as_array().unwrap().len(), 50);
    assert_eq!(names(&all)[0], "Dee", "newest first");
    let second = app
        .call("list_clients", &[("page", "2")], Some(&owner))
        .await
        .json();
    assert_eq!(second["rows"].as_array().unwrap().len(), 13);

    let oldest = list(&app, &owner, &[("sort", "oldest")]).await;
    assert_eq!(names(&oldest)[..2], ["Bulk00", "Bulk01"]);

    assert_eq!(
        names(&list(&app, &owner, &[("search", "ZOE@EXAMPLE")]).await),
        ["Zoë"]
    );
    assert_eq!(
        names(&list(&app, &owner, &[("search", "zoë percent")]).await),
        ["Zoë"]
    );
    // Wildcards are searched for literally.
    assert_eq!(
        names(&list(&app, &owner, &[("search", "t_s")]).await),
        ["Zoë"]
    );
    assert_eq!(list(&app, &owner, &[("search", "%")]).await["total"], 0);
    assert_eq!(
        list(&app, &owner, &[("search", "bulk0")]).await["total"],
        10
    );

    assert_eq!(
        names(&list(&app, &owner, &[("status", "disabled")]).await),
        ["Dee"]
    );
    assert_eq!(
        names(&list(&app, &owner, &[("status", "pending")]).await),
        ["Reject", "Zoë"]
    );
    assert_eq!(
        list(&app, &owner, &[("status", "no-email")]).await["total"],
        60
    );
    assert_eq!(
        list(&app, &owner, &[("status", "active")]).await["total"],
        0
    );
    assert_eq!(
        list(&app, &owner, &[("status", "no-email"), ("search", "bulk5")]).await["total"],
        10,
        "filters combine with the search"
    );
}
