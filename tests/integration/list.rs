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
    members_of(page)
        .iter()
        .map(|r| r["first_name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn search_filters_order_and_pages_work_together() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let org = app.scalar("SELECT id FROM organizations").await;
    for i in 0..60_i64 {
        sqlx::query(
            "INSERT INTO clients (organization_id, first_name, last_name, role, created_at, search_text, list_state)
             VALUES ($1, $2, 'Bulk', 'client', $3, $4, 'no_email')",
        )
        .bind(org)
        .bind(format!("Bulk{i:02}"))
        .bind(1_000 + i)
        .bind(format!("bulk{i:02} bulk "))
        .execute(&app.db.pool)
        .await
        .unwrap();
    }
    app.give_accounts().await;
    app.create_client(&owner, "Zoë", "Percent_Sign", "zoe@example.com")
        .await;
    let reject = app
        .create_client_id(&owner, "Reject", "Me", "reject@example.com")
        .await;
    let disabled = app.create_client_id(&owner, "Dee", "Sabled", "").await;
    app.set_access(&owner, disabled, false).await;
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

    // Every other filter: a month passes, and a delivery failure is set directly.
    let nia = app.create_client_id(&owner, "Nia", "Later", "").await;
    app.call(
        "change_client_email",
        &[
            ("client_id", &nia.to_string()),
            ("email", "nia@example.com"),
        ],
        Some(&owner),
    )
    .await;
    for _ in 0..100 {
        let sent = app
            .scalar("SELECT COUNT(*) FROM email_outbox WHERE status = 'sent'")
            .await;
        if sent == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // A month later Zoë's invitation has expired; Reject's, sent again, is
    // refused by the mail server.
    app.pass_invitation_lifetime();
    let owner = app.owner_session().await;
    let resent = app.send_invitation(&owner, reject).await;
    assert_eq!(resent.status, 200, "{}", resent.body);
    app.wait_for_mail(3).await;
    sqlx::query("UPDATE email_outbox SET status = 'failed', last_error = '550 no' WHERE recipient = 'reject@example.com'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    app.refresh_list_states().await;
    assert_eq!(
        names(&list(&app, &owner, &[("status", "not-invited")]).await),
        ["Nia"]
    );
    assert_eq!(
        names(&list(&app, &owner, &[("status", "expired")]).await),
        ["Zoë"]
    );
    assert_eq!(
        names(&list(&app, &owner, &[("status", "failed")]).await),
        ["Reject"]
    );
    assert_eq!(
        list(&app, &owner, &[("status", "pending")]).await["total"],
        0
    );
}

#[tokio::test]
async fn counting_stops_past_ten_thousand_or_a_searchs_thousand_and_paging_goes_on() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    sqlx::query(
        "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 10001)
         INSERT INTO clients (organization_id, first_name, last_name, role, created_at, search_text, list_state)
         SELECT o.id, 'Many', 'Client', 'client', n.k, 'many client', 'no_email'
         FROM n CROSS JOIN organizations o",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    app.give_accounts().await;

    let first = list(&app, &owner, &[]).await;
    assert_eq!(first["total"], 10_000);
    assert_eq!(first["more"], true, "more than the count shown");
    let far = app
        .call("list_clients", &[("page", "201")], Some(&owner))
        .await
        .json();
    assert_eq!(
        far["rows"].as_array().unwrap().len(),
        1,
        "the 10,001st account"
    );

    let html = app
        .get("/clients", Some(&owner))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("More than 10,000 accounts"), "{html}");
    assert!(html.contains("rel=\"next\""), "Next is offered");

    // A search stops counting sooner (each candidate's text is compared),
    // and pages on the same.
    let searched = list(&app, &owner, &[("search", "many")]).await;
    assert_eq!(searched["total"], 1_000);
    assert_eq!(searched["more"], true);
    let far = app
        .call(
            "list_clients",
            &[("page", "201"), ("search", "many")],
            Some(&owner),
        )
        .await
        .json();
    assert_eq!(far["rows"].as_array().unwrap().len(), 1);
}

/// The list filters in SQL (on each client's stored state) and the status
/// rules in Rust must put every client in the same place.
#[tokio::test]
async fn the_databases_filters_agree_with_the_status_rules_for_every_kind_of_client() {
    use porchlight::model::{ClientFilter, ClientRow};

    let app = spawn_app().await;
    let owner = every_kind_of_client(&app).await;
    let all: Vec<ClientRow> =
        serde_json::from_value(Value::Array(members_of(&list(&app, &owner, &[]).await)))
            .expect("client rows");
    // The form filters are not statuses (see the forms tests).
    for filter in ClientFilter::ALL.iter().filter(|f| f.is_status()) {
        let mut by_rust: Vec<String> = all
            .iter()
            .filter(|r| r.status.filter() == *filter)
            .map(|r| r.first_name.clone())
            .collect();
        let mut by_sql = names(&list(&app, &owner, &[("status", filter.as_str())]).await);
        by_rust.sort();
        by_sql.sort();
        assert!(!by_sql.is_empty(), "the fixture has no {filter} client");
        assert_eq!(by_sql, by_rust, "{filter}");
    }
}
