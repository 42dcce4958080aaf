//! Client accounts: households and companies with owners and guests, plans,
//! assigned staff, "Invite all owners", the list by accounts, and who may
//! do what.

use serde_json::Value;

use crate::helpers::*;

/// Adds a member to an account as `cookie`.
async fn add(
    app: &TestApp,
    cookie: &str,
    account: i64,
    (first, last, email): (&str, &str, &str),
    place: &str,
) -> FnResponse {
    app.call(
        "add_member",
        &[
            ("account_id", &account.to_string()),
            ("request_key", &request_key()),
            ("first_name", first),
            ("last_name", last),
            ("email", email),
            ("place", place),
            ("role", "client"),
        ],
        Some(cookie),
    )
    .await
}

async fn add_id(
    app: &TestApp,
    cookie: &str,
    account: i64,
    person: (&str, &str, &str),
    place: &str,
) -> i64 {
    let resp = add(app, cookie, account, person, place).await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    resp.json().as_i64().unwrap()
}

async fn account(app: &TestApp, cookie: &str, id: i64) -> Value {
    let resp = app
        .call(
            "get_account",
            &[("account_id", &id.to_string())],
            Some(cookie),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    resp.json()
}

async fn list(app: &TestApp, cookie: &str, args: &[(&str, &str)]) -> Value {
    let mut form = vec![("page", "1")];
    form.extend_from_slice(args);
    let resp = app.call("list_clients", &form, Some(cookie)).await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    resp.json()
}

fn member_names(account: &Value) -> Vec<String> {
    account["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| format!("{} {}", m["first_name"].as_str().unwrap(), m["place"]))
        .collect()
}

async fn add_plan(app: &TestApp, cookie: &str, name: &str) -> FnResponse {
    app.call("add_plan", &[("name", name)], Some(cookie)).await
}

async fn save_account(app: &TestApp, cookie: &str, id: i64, fields: &[(&str, &str)]) -> FnResponse {
    let id = id.to_string();
    let mut form = vec![("account_id", id.as_str())];
    form.extend_from_slice(fields);
    app.call("save_account", &form, Some(cookie)).await
}

#[tokio::test]
async fn a_new_client_is_the_owner_of_an_account_named_after_them() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let ada = app.create_client_id(&owner, "Ada", "Lovelace", "").await;
    let page = list(&app, &owner, &[]).await;
    assert_eq!(page["total"], 1);
    let row = &page["rows"][0];
    assert_eq!(row["name"], "Ada Lovelace");
    assert_eq!(row["id"], app.account_of(ada).await);
    assert_eq!(member_names(row), ["Ada \"owner\""]);
}

#[tokio::test]
async fn a_guest_is_invited_at_once_and_an_owner_as_the_organization_says() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    turn_off_auto_invite(&app, &owner).await;
    let ana = app
        .create_client_id(&owner, "Ana", "Reyes", "ana@example.com")
        .await;
    let household = app.account_of(ana).await;

    let guest = add_id(
        &app,
        &owner,
        household,
        ("Gil", "Accountant", "gil@example.com"),
        "guest",
    )
    .await;
    let mail = app.wait_for_mail_to("gil@example.com").await;
    assert!(!mail.token().is_empty(), "the guest's invitation arrived");
    let co_owner = add_id(
        &app,
        &owner,
        household,
        ("Luis", "Reyes", "luis@example.com"),
        "owner",
    )
    .await;

    let page = account(&app, &owner, household).await;
    assert_eq!(
        member_names(&page),
        ["Ana \"owner\"", "Luis \"owner\"", "Gil \"guest\""],
        "owners first"
    );
    let status = |id: i64| {
        page["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id)
            .unwrap()["status"]
            .clone()
    };
    assert_ne!(status(guest), "NotInvited", "the guest was invited");
    assert_eq!(status(co_owner), "NotInvited", "no automatic invitation");
    assert_eq!(status(ana), "NotInvited");

    // A bad place, a missing name: refused at their fields, nothing added.
    let resp = add(&app, &owner, household, ("", "X", ""), "cousin").await;
    assert_eq!(resp.status, 422, "{}", resp.body);
    let says = resp.says();
    assert!(says.contains("owner or guest"), "{says}");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM clients").await,
        3,
        "nothing written"
    );
}

#[tokio::test]
async fn members_move_and_change_place_but_an_account_keeps_an_owner() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    turn_off_auto_invite(&app, &owner).await;
    let ana = app.create_client_id(&owner, "Ana", "Reyes", "").await;
    let a = app.account_of(ana).await;
    let gil = add_id(&app, &owner, a, ("Gil", "Guest", ""), "guest").await;
    let bo = app.create_client_id(&owner, "Bo", "Berg", "").await;
    let b = app.account_of(bo).await;

    let place = |id: i64, place: &'static str| {
        let app = &app;
        let owner = owner.clone();
        async move {
            app.call(
                "set_member_place",
                &[("client_id", &id.to_string()), ("place", place)],
                Some(&owner),
            )
            .await
        }
    };
    let move_to = |id: i64, to: i64, place: &'static str| {
        let app = &app;
        let owner = owner.clone();
        async move {
            app.call(
                "move_member",
                &[
                    ("client_id", &id.to_string()),
                    ("account_id", &to.to_string()),
                    ("place", place),
                ],
                Some(&owner),
            )
            .await
        }
    };

    // Ana is A's only owner and Gil stays: she may not leave nor step down.
    let resp = move_to(ana, b, "owner").await;
    assert_eq!(resp.status, 409, "{}", resp.body);
    assert!(
        resp.says().contains("at least one owner"),
        "{}",
        resp.says()
    );
    assert_eq!(place(ana, "guest").await.status, 409);
    assert_eq!(app.account_of(ana).await, a, "nothing moved");

    // With Gil an owner, Ana may go; her old account keeps Gil.
    assert_eq!(place(gil, "owner").await.status, 200);
    assert_eq!(move_to(ana, b, "guest").await.status, 200);
    assert_eq!(
        member_names(&account(&app, &owner, a).await),
        ["Gil \"owner\""]
    );
    assert_eq!(
        member_names(&account(&app, &owner, b).await),
        ["Bo \"owner\"", "Ana \"guest\""]
    );
    // Moving into the account they are in is refused at `account`.
    let resp = move_to(ana, b, "owner").await;
    assert_eq!(resp.status, 422, "{}", resp.body);

    // Gil alone moves away: the empty account goes.
    assert_eq!(move_to(gil, b, "guest").await.status, 200);
    let resp = app
        .call(
            "get_account",
            &[("account_id", &a.to_string())],
            Some(&owner),
        )
        .await;
    assert_eq!(resp.status, 404);
    assert_eq!(list(&app, &owner, &[]).await["total"], 1);
    // The search finds members under their new account's name.
    let found = list(&app, &owner, &[("search", "berg")]).await;
    assert_eq!(found["total"], 1);
    assert_eq!(found["rows"][0]["matched"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn invite_all_owners_skips_as_a_bulk_invitation_does_and_says_so() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    turn_off_auto_invite(&app, &owner).await;
    let first = app
        .create_client_id(&owner, "Olu", "First", "olu@example.com")
        .await;
    let a = app.account_of(first).await;
    add_id(&app, &owner, a, ("Nia", "NoEmail", ""), "owner").await;
    let off = add_id(&app, &owner, a, ("Dee", "Off", "dee@example.com"), "owner").await;
    assert_eq!(app.set_access(&owner, off, false).await.status, 200);
    add_id(
        &app,
        &owner,
        a,
        ("Gus", "Guest", "gus@example.com"),
        "guest",
    )
    .await;
    app.wait_for_mail_to("gus@example.com").await;

    let resp = app
        .call(
            "invite_owners",
            &[("account_id", &a.to_string())],
            Some(&owner),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    let done = resp.json();
    assert_eq!(done["invited"], 1);
    assert_eq!(done["skipped_no_email"], 1);
    assert_eq!(done["skipped_disabled"], 1);
    assert_eq!(done["skipped_active"], 0);
    app.wait_for_mail_to("olu@example.com").await;
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM email_outbox WHERE recipient = 'dee@example.com'")
            .await,
        0,
        "nothing to the disabled owner"
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM email_outbox WHERE recipient = 'gus@example.com'")
            .await,
        1,
        "the guest only got the invitation of their arrival"
    );
}

#[tokio::test]
async fn the_list_shows_accounts_sums_up_members_and_filters_by_plan_and_staff() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let (staff_id, _staff) = app.add_member(&owner, "sam@example.com", "staff").await;
    turn_off_auto_invite(&app, &owner).await;
    let sam_user = app
        .scalar(&format!(
            "SELECT user_id FROM clients WHERE id = {staff_id}"
        ))
        .await;
    let ana = app.create_client_id(&owner, "Ana", "Reyes", "").await;
    let household = app.account_of(ana).await;
    add_id(
        &app,
        &owner,
        household,
        ("Luis", "Reyes", "luis@example.com"),
        "owner",
    )
    .await;
    add_id(&app, &owner, household, ("Gil", "Accountant", ""), "guest").await;
    app.create_client_id(&owner, "Bo", "Berg", "").await;

    let pro = add_plan(&app, &owner, "Pro").await.json().as_i64().unwrap();
    let resp = save_account(
        &app,
        &owner,
        household,
        &[
            ("name", "The Reyes family"),
            ("plan", &pro.to_string()),
            ("assigned_staff", &sam_user.to_string()),
        ],
    )
    .await;
    assert_eq!(resp.status, 200, "{}", resp.body);

    let all = list(&app, &owner, &[]).await;
    assert_eq!(
        all["total"], 3,
        "Sam's, the Reyes family's and Bo's accounts"
    );
    let reyes = all["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "The Reyes family")
        .unwrap();
    assert_eq!(reyes["members"].as_array().unwrap().len(), 3);
    assert_eq!(reyes["plan"], "Pro");
    assert_eq!(reyes["assigned_staff"], "Pat staff");

    // By plan, by staff member; another organization's plan finds nothing.
    let on_pro = list(&app, &owner, &[("plan", &pro.to_string())]).await;
    assert_eq!(on_pro["total"], 1);
    assert_eq!(on_pro["rows"][0]["name"], "The Reyes family");
    let sams = list(&app, &owner, &[("staff", &sam_user.to_string())]).await;
    assert_eq!(sams["total"], 1);
    assert_eq!(list(&app, &owner, &[("staff", "me")]).await["total"], 0);

    // A status filter shows the accounts with a member in it, marked.
    let no_email = list(&app, &owner, &[("status", "no-email")]).await;
    let names: Vec<&str> = no_email["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Bo Berg", "The Reyes family"], "newest first");
    assert_eq!(
        no_email["rows"][1]["matched"].as_array().unwrap().len(),
        2,
        "Ana and Gil have no email; Luis has"
    );
    // Search by any member's email or the account's name.
    let by_email = list(&app, &owner, &[("search", "luis@")]).await;
    assert_eq!(by_email["total"], 1);
    assert_eq!(by_email["rows"][0]["name"], "The Reyes family");
    assert_eq!(
        list(&app, &owner, &[("search", "reyes family")]).await["total"],
        1
    );
}

/// The names of the accounts a list shows, newest first.
fn account_names(list: &Value) -> Vec<String> {
    list["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_status_filter_with_a_plan_or_staff_follows_accounts_and_members_as_they_change() {
    // The filtered list reads each member's copy of their account's plan and
    // staff (migration 0019): every way they change must reach it.
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let (staff_id, _staff) = app.add_member(&owner, "sam@example.com", "staff").await;
    turn_off_auto_invite(&app, &owner).await;
    let sam = app
        .scalar(&format!(
            "SELECT user_id FROM clients WHERE id = {staff_id}"
        ))
        .await
        .to_string();
    let pro = add_plan(&app, &owner, "Pro").await.json().as_i64().unwrap();
    let pro = pro.to_string();
    let ana = app.create_client_id(&owner, "Ana", "Reyes", "").await;
    let reyes = app.account_of(ana).await;
    let bo = app.create_client_id(&owner, "Bo", "Berg", "").await;
    let berg = app.account_of(bo).await;
    let on_pro = [("status", "no-email"), ("plan", pro.as_str())];
    let sams = [("status", "no-email"), ("staff", sam.as_str())];
    assert!(account_names(&list(&app, &owner, &on_pro).await).is_empty());

    // The account's plan and staff change: its members follow.
    let resp = save_account(
        &app,
        &owner,
        reyes,
        &[("name", "Reyes"), ("plan", &pro), ("assigned_staff", &sam)],
    )
    .await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    assert_eq!(account_names(&list(&app, &owner, &on_pro).await), ["Reyes"]);
    assert_eq!(account_names(&list(&app, &owner, &sams).await), ["Reyes"]);

    // A member added later, or moved in, takes the account's plan.
    let gil = add_id(&app, &owner, berg, ("Gil", "Berg", ""), "guest").await;
    let moved = app
        .call(
            "move_member",
            &[
                ("client_id", &gil.to_string()),
                ("account_id", &reyes.to_string()),
                ("place", "guest"),
            ],
            Some(&owner),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    add_id(&app, &owner, reyes, ("Lia", "Reyes", ""), "guest").await;
    let found = list(&app, &owner, &on_pro).await;
    assert_eq!(account_names(&found), ["Reyes"]);
    assert_eq!(
        found["rows"][0]["matched"].as_array().unwrap().len(),
        3,
        "Ana, Gil and Lia have no email: {found}"
    );

    // The plan removed: the account is on none, still Sam's.
    let resp = app
        .call("remove_plan", &[("plan_id", &pro)], Some(&owner))
        .await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    assert!(account_names(&list(&app, &owner, &on_pro).await).is_empty());
    assert_eq!(account_names(&list(&app, &owner, &sams).await), ["Reyes"]);
    // Sam taken off: nothing matches.
    let resp = save_account(&app, &owner, reyes, &[("name", "Reyes")]).await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    assert!(account_names(&list(&app, &owner, &sams).await).is_empty());
}

#[tokio::test]
async fn plans_are_named_once_and_removing_one_leaves_its_accounts_on_none() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let pro = add_plan(&app, &owner, "Pro").await.json().as_i64().unwrap();
    let twice = add_plan(&app, &owner, " pro ").await;
    assert_eq!(twice.status, 422);
    assert!(
        twice.says().contains("plan with this name"),
        "{}",
        twice.says()
    );
    assert_eq!(add_plan(&app, &owner, "").await.status, 422);

    let ada = app.create_client_id(&owner, "Ada", "Lovelace", "").await;
    let a = app.account_of(ada).await;
    let saved = save_account(
        &app,
        &owner,
        a,
        &[("name", "Ada Lovelace"), ("plan", &pro.to_string())],
    )
    .await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let plans = app.call("list_plans", &[], Some(&owner)).await.json();
    assert_eq!(plans[0]["accounts"], 1);

    let resp = app
        .call(
            "remove_plan",
            &[("plan_id", &pro.to_string())],
            Some(&owner),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    assert_eq!(account(&app, &owner, a).await["plan_id"], Value::Null);
    // A renamed account keeps its name rules: empty is refused at `name`.
    let resp = save_account(&app, &owner, a, &[("name", " ")]).await;
    assert_eq!(resp.status, 422);
    assert_eq!(account(&app, &owner, a).await["name"], "Ada Lovelace");
}

#[tokio::test]
async fn another_organizations_account_member_plan_or_staff_answers_not_found() {
    let app = spawn_app().await;
    let north = app.setup_owner().await;
    let ada = app.create_client_id(&north, "Ada", "North", "").await;
    let north_account = app.account_of(ada).await;
    let north_plan = add_plan(&app, &north, "Gold")
        .await
        .json()
        .as_i64()
        .unwrap();
    // Staff of North only (North's owner owns South too).
    let (nell, _) = app.add_member(&north, "nell@example.com", "staff").await;
    let north_staff = app
        .scalar(&format!("SELECT user_id FROM clients WHERE id = {nell}"))
        .await;
    let south = app.create_organization(&north, "South", "south").await;
    let bo = app.create_client_id(&south, "Bo", "South", "").await;
    let south_account = app.account_of(bo).await;

    let id = north_account.to_string();
    for (endpoint, form) in [
        ("get_account", vec![("account_id", id.as_str())]),
        ("invite_owners", vec![("account_id", id.as_str())]),
        (
            "save_account",
            vec![("account_id", id.as_str()), ("name", "Mine now")],
        ),
        (
            "move_member",
            vec![
                ("client_id", &*bo.to_string()),
                ("account_id", id.as_str()),
                ("place", "owner"),
            ],
        ),
        (
            "move_member",
            vec![
                ("client_id", &*ada.to_string()),
                ("account_id", &*south_account.to_string()),
                ("place", "owner"),
            ],
        ),
        (
            "set_member_place",
            vec![("client_id", &*ada.to_string()), ("place", "guest")],
        ),
        ("remove_plan", vec![("plan_id", &*north_plan.to_string())]),
    ] {
        let resp = app.call(endpoint, &form, Some(&south)).await;
        assert_eq!(resp.status, 404, "{endpoint} {form:?}: {}", resp.body);
    }
    let resp = add(
        &app,
        &south,
        north_account,
        ("Eve", "Intruder", ""),
        "guest",
    )
    .await;
    assert_eq!(resp.status, 404, "{}", resp.body);
    // South's own account given North's plan or North's owner as staff.
    for field in [
        ("plan", north_plan.to_string()),
        ("assigned_staff", north_staff.to_string()),
    ] {
        let resp = save_account(
            &app,
            &south,
            south_account,
            &[("name", "Bo South"), (field.0, &field.1)],
        )
        .await;
        assert_eq!(resp.status, 404, "{field:?}: {}", resp.body);
    }
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM clients").await,
        3,
        "nothing was added"
    );
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM clients WHERE account_id = {north_account}"
        ))
        .await,
        1
    );
}

#[tokio::test]
async fn clients_may_do_none_of_it_and_staff_may_not_change_plans() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let ada = app.create_client_id(&owner, "Ada", "Lovelace", "").await;
    let a = app.account_of(ada).await.to_string();
    let (_, client) = app.add_member(&owner, "cy@example.com", "client").await;
    let (_, staff) = app.add_member(&owner, "stu@example.com", "staff").await;
    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("get_account", vec![("account_id", &a)]),
        ("save_account", vec![("account_id", &a), ("name", "X")]),
        ("invite_owners", vec![("account_id", &a)]),
        ("list_plans", vec![]),
        ("add_plan", vec![("name", "Pro")]),
        ("account_choices", vec![]),
        ("find_accounts", vec![("search", "ada")]),
    ];
    for (endpoint, form) in &calls {
        let resp = app.call(endpoint, form, Some(&client)).await;
        assert_eq!(resp.status, 403, "{endpoint}: {}", resp.body);
    }
    // The export is a staff address: a client is sent to their dashboard,
    // a visitor to sign in, neither gets the file.
    let export = app.get("/clients/export.csv", Some(&client)).await;
    assert_eq!(location(&export), Some("/dashboard"));
    let export = app.get("/clients/export.csv", None).await;
    assert_eq!(
        location(&export),
        Some("/login?next=%2Fclients%2Fexport.csv")
    );

    // Staff work on accounts but leave plans to owners and admins.
    assert_eq!(
        app.call("get_account", &[("account_id", &a)], Some(&staff))
            .await
            .status,
        200
    );
    assert_eq!(add_plan(&app, &staff, "Pro").await.status, 403);
    let found = app
        .call("find_accounts", &[("search", "lovel")], Some(&staff))
        .await
        .json();
    assert_eq!(found[0]["name"], "Ada Lovelace");
}

#[tokio::test]
async fn members_see_their_account_and_guests_never_see_owners_addresses() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let ana = app
        .create_client_id(&owner, "Ana", "Reyes", "ana@example.com")
        .await;
    let a = app.account_of(ana).await;
    add_id(
        &app,
        &owner,
        a,
        ("Gil", "Guest", "gil@example.com"),
        "guest",
    )
    .await;
    add_id(&app, &owner, a, ("Kid", "Reyes", ""), "guest").await;
    let ana_token = app.wait_for_mail_to("ana@example.com").await.token();
    let gil_token = app.wait_for_mail_to("gil@example.com").await.token();
    let ana_session = app
        .activate(&ana_token, FIXTURE_PASSWORD)
        .await
        .session_cookie()
        .unwrap();
    let gil_session = app
        .activate(&gil_token, FIXTURE_PASSWORD)
        .await
        .session_cookie()
        .unwrap();

    let dashboard = |cookie: String| {
        let app = &app;
        async move { app.call("dashboard", &[], Some(&cookie)).await.json() }
    };
    let for_ana = dashboard(ana_session).await;
    let mates = for_ana["account"]["members"].as_array().unwrap().clone();
    assert_eq!(for_ana["account"]["name"], "Ana Reyes");
    assert_eq!(mates.len(), 3);
    let gil = mates.iter().find(|m| m["name"] == "Gil Guest").unwrap();
    assert_eq!(gil["joined"], true);
    assert_eq!(gil["email"], "gil@example.com", "owners see addresses");
    let kid = mates.iter().find(|m| m["name"] == "Kid Reyes").unwrap();
    assert_eq!(kid["joined"], false);

    let for_gil = dashboard(gil_session).await;
    let mates = for_gil["account"]["members"].as_array().unwrap();
    assert!(
        mates.iter().all(|m| m["email"].is_null()),
        "a guest sees no address: {mates:?}"
    );
    let me = mates.iter().find(|m| m["you"] == true).unwrap();
    assert_eq!(me["name"], "Gil Guest");
}

#[tokio::test]
async fn bulk_invitations_take_the_owners_of_selected_accounts_or_a_plans_members() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let (nell, _) = app.add_member(&owner, "nell@example.com", "staff").await;
    turn_off_auto_invite(&app, &owner).await;
    let ana = app
        .create_client_id(&owner, "Ana", "Reyes", "ana@example.com")
        .await;
    let a = app.account_of(ana).await;
    add_id(
        &app,
        &owner,
        a,
        ("Luis", "Reyes", "luis@example.com"),
        "owner",
    )
    .await;
    let gil = add_id(
        &app,
        &owner,
        a,
        ("Gil", "Guest", "gil@example.com"),
        "guest",
    )
    .await;
    app.wait_for_mail_to("gil@example.com").await;
    let bo = app
        .create_client_id(&owner, "Bo", "Berg", "bo@example.com")
        .await;
    let pro = add_plan(&app, &owner, "Pro").await.json().as_i64().unwrap();
    save_account(
        &app,
        &owner,
        app.account_of(bo).await,
        &[("name", "Bo Berg"), ("plan", &pro.to_string())],
    )
    .await;

    let preview = |form: Vec<(&'static str, String)>| {
        let app = &app;
        let owner = owner.clone();
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call("preview_bulk_invite", &form, Some(&owner)).await
        }
    };
    // Ticking the guest alone selects the owners of her account.
    let owners = preview(vec![
        ("rule", "owners_of_selected".into()),
        ("ids", gil.to_string()),
    ])
    .await;
    assert_eq!(owners.status, 200, "{}", owners.body);
    assert_eq!(owners.json()["activate"], 2, "Ana and Luis");
    assert!(
        owners.json()["description"]
            .as_str()
            .unwrap()
            .contains("Owners of the account of 1 selected member"),
        "{}",
        owners.body
    );
    let on_plan = preview(vec![("rule", "plan".into()), ("plan", pro.to_string())]).await;
    assert_eq!(on_plan.json()["activate"], 1, "Bo: {}", on_plan.body);
    assert!(on_plan.body.contains("Pro"), "{}", on_plan.body);
    // The list's plan filter narrows "everyone in the list".
    let listed = preview(vec![
        ("rule", "matching".into()),
        ("list_plan", pro.to_string()),
    ])
    .await;
    assert_eq!(listed.json()["activate"], 1, "{}", listed.body);
    // A plan is required by its rule, and must be the organization's; so
    // must a staff member, and the list's plan and staff filters.
    let none = preview(vec![("rule", "plan".into())]).await;
    assert_eq!(none.status, 422);
    let nell_user = app
        .scalar(&format!("SELECT user_id FROM clients WHERE id = {nell}"))
        .await;
    let by_staff = preview(vec![
        ("rule", "staff".into()),
        ("staff", nell_user.to_string()),
    ])
    .await;
    assert_eq!(by_staff.status, 200, "{}", by_staff.body);
    let south = app.create_organization(&owner, "South", "south").await;
    let preview_south = |form: Vec<(&'static str, String)>| {
        let app = &app;
        let south = south.clone();
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call("preview_bulk_invite", &form, Some(&south)).await
        }
    };
    for form in [
        vec![("rule", "plan".into()), ("plan", pro.to_string())],
        vec![("rule", "staff".into()), ("staff", nell_user.to_string())],
        vec![("rule", "matching".into()), ("list_plan", pro.to_string())],
        vec![
            ("rule", "matching".into()),
            ("list_staff", nell_user.to_string()),
        ],
    ] {
        let resp = preview_south(form.clone()).await;
        assert_eq!(
            resp.status, 404,
            "North's plan or staff from South: {form:?}"
        );
    }
}

#[tokio::test]
async fn two_owners_stepping_down_at_once_leave_one_owner() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let ana = app.create_client_id(&owner, "Ana", "Reyes", "").await;
    let a = app.account_of(ana).await;
    let luis = add_id(&app, &owner, a, ("Luis", "Reyes", ""), "owner").await;
    add_id(&app, &owner, a, ("Gil", "Guest", ""), "guest").await;
    let step_down = |id: i64| {
        let app = &app;
        let owner = owner.clone();
        async move {
            app.call(
                "set_member_place",
                &[("client_id", &id.to_string()), ("place", "guest")],
                Some(&owner),
            )
            .await
            .status
        }
    };
    let (first, second) = tokio::join!(step_down(ana), step_down(luis));
    let mut statuses = [first.as_u16(), second.as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409], "one steps down, the other is refused");
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM clients WHERE account_id = {a} AND place = 'owner'"
        ))
        .await,
        1
    );
}
