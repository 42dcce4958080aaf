//! The staff overview (`/`): the funnel, invitations per week, what needs
//! attention; and forms that create cannot create twice.

use serde_json::Value;

use crate::helpers::*;

async fn overview(app: &TestApp, cookie: &str) -> Value {
    let resp = app.call("overview", &[], Some(cookie)).await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    resp.json()
}

fn names(list: &Value) -> Vec<&str> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn the_overview_counts_the_funnel_the_weeks_and_what_needs_attention() {
    let app = spawn_app().await;
    let owner = every_kind_of_client(&app).await;
    let seen = overview(&app, &owner).await;

    // Nine clients in North; five were ever invited; Ada joined. South's
    // client is not counted.
    assert_eq!(
        seen["funnel"],
        serde_json::json!({ "created": 9, "invited": 5, "joined": 1 })
    );

    let weeks = seen["weeks"].as_array().unwrap();
    assert_eq!(weeks.len(), 12);
    let sum = |key: &str| weeks.iter().map(|w| w[key].as_i64().unwrap()).sum::<i64>();
    assert_eq!((sum("sent"), sum("accepted")), (5, 1));
    assert!(
        weeks[11]["sent"].as_i64().unwrap() >= 3,
        "Ada, Rita and Fay were invited this week: {weeks:?}"
    );

    // Fay's email failed; Wes has waited ten days (Rita was invited today,
    // Eli's invitation expired).
    assert_eq!(seen["failed"]["total"], 1);
    assert_eq!(names(&seen["failed"]), ["Fay Failed"]);
    assert_eq!(seen["waiting"]["total"], 1);
    assert_eq!(names(&seen["waiting"]), ["Wes Waiting"]);
    let wes = &seen["waiting"]["items"][0];
    assert!(wes["href"].as_str().unwrap().starts_with("/clients/"));
    assert!(
        wes["detail"].as_str().unwrap().starts_with("Invited on "),
        "{wes}"
    );
    assert_eq!(seen["applications"]["total"], 0);
    assert_eq!(seen["jobs_running"], false);

    // The page itself, for staff at "/".
    let page = app.get("/", Some(&owner)).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for words in [
        "Onboarding",
        "Invitations per week",
        "Emails that failed",
        "Wes Waiting",
    ] {
        assert!(html.contains(words), "{words} on the overview");
    }
    assert!(html.contains("<svg"), "the chart is drawn on the server");
}

#[tokio::test]
async fn the_overview_is_for_staff_only() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    // A fresh organization's overview says what to do first.
    let html = app.get("/", Some(&owner)).await.text().await.unwrap();
    assert!(html.contains("No clients yet"), "the empty state");
    assert_eq!(app.call("overview", &[], None).await.status, 401);
    let (_, client) = app.add_member(&owner, "cy@example.com", "client").await;
    assert_eq!(app.call("overview", &[], Some(&client)).await.status, 403);
    let home = app.get("/", Some(&client)).await;
    assert_eq!(location(&home), Some("/dashboard"));
    let signed_out = app.get("/", None).await;
    assert_eq!(location(&signed_out), Some("/login"));
}

#[tokio::test]
async fn a_client_form_sent_twice_adds_the_client_once() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let key = request_key();
    let send = |key: String| {
        let app = &app;
        let owner = owner.clone();
        async move {
            app.call(
                "create_client",
                &[
                    ("request_key", key.as_str()),
                    ("first_name", "Walk-in"),
                    ("last_name", "Swimmer"),
                    ("email", ""),
                    ("role", "client"),
                ],
                Some(&owner),
            )
            .await
        }
    };
    // A double click: both at once; then the page sent again later.
    let (a, b) = tokio::join!(send(key.clone()), send(key.clone()));
    let again = send(key.clone()).await;
    for resp in [&a, &b, &again] {
        assert_eq!(resp.status, 200, "{}", resp.body);
    }
    assert_eq!(a.json(), b.json());
    assert_eq!(
        a.json(),
        again.json(),
        "the repeat answers with the first client"
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM clients").await, 1);

    // The next form has its own key: a second walk-in is a second client.
    assert_eq!(send(request_key()).await.status, 200);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM clients").await, 2);

    // With an email too: the repeat is not refused as "address in use" by
    // the client the first request made.
    let with_email = request_key();
    let ann = [
        ("request_key", with_email.as_str()),
        ("first_name", "Ann"),
        ("last_name", "Lee"),
        ("email", "ann@example.com"),
        ("role", "client"),
    ];
    let send_ann = || app.call("create_client", &ann, Some(&owner));
    let (a, b) = tokio::join!(send_ann(), send_ann());
    let again = send_ann().await;
    for resp in [&a, &b, &again] {
        assert_eq!(resp.status, 200, "{}", resp.body);
    }
    assert_eq!((a.json(), b.json()), (again.json(), again.json()));
    assert_eq!(app.scalar("SELECT COUNT(*) FROM clients").await, 3);

    // Without a key, nothing is written and the form says so.
    let keyless = app
        .call(
            "create_client",
            &[
                ("first_name", "No"),
                ("last_name", "Key"),
                ("email", ""),
                ("role", "client"),
            ],
            Some(&owner),
        )
        .await;
    assert_eq!(keyless.status, 422);
    assert_eq!(keyless.json()["Invalid"][0]["field"], "request_key");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM clients").await, 3);
}

#[tokio::test]
async fn an_organization_form_sent_twice_creates_one_organization() {
    let app = spawn_app().await;
    // The session changes with the organization: a page sent again carries
    // the new session.
    let mut cookie = app.setup_owner().await;
    let key = request_key();
    for _ in 0..2 {
        let resp = app
            .call(
                "create_organization",
                &[
                    ("request_key", key.as_str()),
                    ("organization_name", "South Swim"),
                    ("organization_slug", "south-swim"),
                ],
                Some(&cookie),
            )
            .await;
        cookie = resp
            .session_cookie()
            .unwrap_or_else(|| panic!("{}", resp.body));
    }
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM organizations WHERE slug = 'south-swim'")
            .await,
        1
    );
}
