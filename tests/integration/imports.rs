//! Importing clients from a CSV file: the preview and its problems, the
//! background job, the same file twice, encodings and separators, a file
//! that is not CSV, the mapping, updating, isolation and roles.

use serde_json::Value;

use crate::helpers::*;

/// Uploads `bytes` as `cookie`; returns where the server sends the browser.
async fn upload(app: &TestApp, cookie: &str, bytes: Vec<u8>) -> String {
    let part = reqwest::multipart::Part::bytes(bytes).file_name("clients.csv");
    let form = reqwest::multipart::Form::new().part("file", part);
    let resp = app
        .client
        .post(format!("{}/clients/import/upload", app.address))
        .header("cookie", cookie)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303, "{}", resp.text().await.unwrap());
    location(&resp).unwrap().to_owned()
}

/// Uploads a file that must become a preview; returns the import's id.
async fn preview_id(app: &TestApp, cookie: &str, text: &str) -> i64 {
    let to = upload(app, cookie, text.as_bytes().to_vec()).await;
    to.strip_prefix("/clients/import/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("not a preview: {to}"))
}

async fn import(app: &TestApp, cookie: &str, id: i64) -> Value {
    let resp = app
        .call(
            "get_import",
            &[("import_id", &id.to_string())],
            Some(cookie),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    resp.json()
}

async fn start(app: &TestApp, cookie: &str, id: i64, options: &[&str]) -> FnResponse {
    let id = id.to_string();
    let mut form = vec![("import_id", id.as_str())];
    form.extend(options.iter().map(|o| (*o, "on")));
    app.call("start_import", &form, Some(cookie)).await
}

/// Waits until the import is done; returns it.
async fn done(app: &TestApp, cookie: &str, id: i64) -> Value {
    for _ in 0..200 {
        let i = import(app, cookie, id).await;
        if i["status"] == "done" {
            return i;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the import did not finish");
}

const FILE: &str = "\
First name,Last name,Email,Household,Place,Plan,Assigned staff
Ana,Reyes,ana@example.com,The Reyes family,owner,Pro,Pat staff
Luis,Reyes,luis@example.com,The Reyes family,owner,,
Gil,Accountant,gil@example.com,The Reyes family,guest,,
Bo,Berg,,,,,
Bad,Address,not-an-email,,,,
NoLast,,nolast@example.com,,,,
Pia,Plan,pia@example.com,,,Gold,
";

#[tokio::test]
async fn a_file_is_previewed_with_its_problems_then_imported_by_a_job() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let (_, _staff) = app.add_member(&owner, "pat@example.com", "staff").await;
    turn_off_auto_invite(&app, &owner).await;
    app.call("add_plan", &[("name", "Pro")], Some(&owner)).await;
    let clients_before = app.scalar("SELECT COUNT(*) FROM clients").await;

    let id = preview_id(&app, &owner, FILE).await;
    let preview = import(&app, &owner, id).await;
    assert_eq!(preview["status"], "preview");
    assert_eq!(preview["rows"], 7);
    assert_eq!(preview["new_accounts"], 2, "the Reyes family and Bo Berg");
    assert_eq!(preview["new_members"], 4);
    assert_eq!(preview["problems"], 3);
    let problems: Vec<(i64, String)> = preview["shown_problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["line"].as_i64().unwrap(),
                p["column"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        problems,
        [
            (6, "Email".to_owned()),
            (7, "Last name".to_owned()),
            (8, "Plan".to_owned())
        ]
    );
    let columns: Vec<&str> = preview["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        columns,
        [
            "first_name",
            "last_name",
            "email",
            "account",
            "place",
            "plan",
            "assigned_staff"
        ]
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM clients").await,
        clients_before,
        "a preview writes no client"
    );

    // Rows with problems are never half-imported: the good rows only, when
    // asked for.
    let refused = start(&app, &owner, id, &["invite"]).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(
        refused.says().contains("Some rows have problems"),
        "{}",
        refused.body
    );
    assert_eq!(import(&app, &owner, id).await["status"], "preview");
    let started = start(&app, &owner, id, &["invite", "good_rows_only"]).await;
    assert_eq!(started.status, 200, "{}", started.body);
    let again = start(&app, &owner, id, &["invite", "good_rows_only"]).await;
    assert_eq!(again.status, 409, "started once");

    let finished = done(&app, &owner, id).await;
    assert_eq!(finished["created_members"], 4);
    assert_eq!(finished["created_accounts"], 2);
    assert_eq!(finished["invited"], 3, "Bo has no email");
    assert_eq!(finished["skipped"], 3);
    app.wait_for_mail_to("gil@example.com").await;

    let rows = app.client_rows(&owner).await;
    let reyes: Vec<&Value> = rows
        .iter()
        .filter(|m| m["account_name"] == "The Reyes family")
        .collect();
    assert_eq!(reyes.len(), 3);
    assert_eq!(
        reyes.iter().find(|m| m["first_name"] == "Gil").unwrap()["place"],
        "guest"
    );
    let page = app
        .call(
            "list_clients",
            &[("page", "1"), ("search", "reyes")],
            Some(&owner),
        )
        .await
        .json();
    assert_eq!(page["rows"][0]["plan"], "Pro");
    assert_eq!(page["rows"][0]["assigned_staff"], "Pat staff");

    // The skipped rows, with their line and reason, in a file to fix.
    let resp = app
        .get(&format!("/clients/import/{id}/skipped.csv"), Some(&owner))
        .await;
    assert_eq!(resp.status(), 200);
    let text = resp.text().await.unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{FEFF}').lines().collect();
    assert_eq!(
        lines[0],
        "First name,Last name,Email,Household,Place,Plan,Assigned staff,Line,Column,Reason"
    );
    assert_eq!(lines.len(), 4, "{text}");
    assert!(
        lines[3].starts_with("Pia,Plan,pia@example.com,,,Gold,,8,Plan,"),
        "{text}"
    );
}

#[tokio::test]
async fn the_same_file_twice_creates_nothing_the_second_time_and_may_update() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    turn_off_auto_invite(&app, &owner).await;
    // Élodie has no email: she is matched by her account and name, in any
    // case, on both databases (Rust folds case, not SQL).
    let file = "first name,last name,email,account\nAna,Reyes,ana@example.com,Reyes\nBo,Berg,,\nÉlodie,Côté,,\n";
    let first = preview_id(&app, &owner, file).await;
    assert_eq!(start(&app, &owner, first, &[]).await.status, 200);
    done(&app, &owner, first).await;
    let count = app.scalar("SELECT COUNT(*) FROM clients").await;
    let accounts = app.scalar("SELECT COUNT(*) FROM client_accounts").await;

    let second = preview_id(&app, &owner, file).await;
    let preview = import(&app, &owner, second).await;
    assert_eq!(preview["existing"], 3, "by email, and by account and name");
    assert_eq!(preview["new_members"], 0);
    assert_eq!(start(&app, &owner, second, &[]).await.status, 200);
    let finished = done(&app, &owner, second).await;
    assert_eq!(finished["skipped"], 3);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM clients").await, count);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM client_accounts").await,
        accounts
    );

    // With "update existing", the names change; nothing is added.
    let renamed = "first name,last name,email\nAnna,Reyes-Diaz,ANA@example.com\n";
    let third = preview_id(&app, &owner, renamed).await;
    assert_eq!(
        start(&app, &owner, third, &["update_existing"])
            .await
            .status,
        200
    );
    assert_eq!(done(&app, &owner, third).await["updated"], 1);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM clients").await, count);
    let found = app
        .call(
            "list_clients",
            &[("page", "1"), ("search", "reyes-diaz")],
            Some(&owner),
        )
        .await
        .json();
    assert_eq!(members_of(&found)[0]["first_name"], "Anna");
}

#[tokio::test]
async fn windows_1252_semicolons_a_bom_and_crlf_lines_import_alike() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    turn_off_auto_invite(&app, &owner).await;
    let mut latin = b"Pr\xe9nom;Nom;Courriel\r\n".to_vec();
    latin.extend_from_slice(b"Zo\xe9;No\xebl;zoe@example.com\r\n");
    let to = upload(&app, &owner, latin).await;
    let id: i64 = to.rsplit('/').next().unwrap().parse().unwrap();
    assert_eq!(import(&app, &owner, id).await["new_members"], 1);
    let utf8 = "\u{FEFF}First name;Last name\r\nÉlodie;Côté\r\n";
    let second = preview_id(&app, &owner, utf8).await;
    for id in [id, second] {
        assert_eq!(start(&app, &owner, id, &[]).await.status, 200);
        done(&app, &owner, id).await;
    }
    let names: Vec<String> = app
        .client_rows(&owner)
        .await
        .iter()
        .map(|m| {
            format!(
                "{} {}",
                m["first_name"].as_str().unwrap(),
                m["last_name"].as_str().unwrap()
            )
        })
        .collect();
    assert!(names.contains(&"Zoé Noël".to_owned()), "{names:?}");
    assert!(names.contains(&"Élodie Côté".to_owned()), "{names:?}");
}

#[tokio::test]
async fn a_file_that_is_not_csv_gets_one_clear_error_and_writes_nothing() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    for (bytes, problem) in [
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(), "not_csv"),
        (
            b"Hello, here is the list you asked for.\n".to_vec(),
            "not_csv",
        ),
        (b"First name,Last name\n".to_vec(), "empty"),
        (Vec::new(), "empty"),
    ] {
        assert_eq!(
            upload(&app, &owner, bytes).await,
            format!("/clients/import?problem={problem}")
        );
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM imports").await, 0);
    // The page says it at the file field.
    let html = app
        .get("/clients/import?problem=not_csv", Some(&owner))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("This is not a CSV file Porchlight can read"),
        "{html}"
    );
}

/// Chooses the columns' fields as the preview's form sends them.
async fn remap(app: &TestApp, cookie: &str, id: i64, fields: [&str; 3]) -> FnResponse {
    let mut form = vec![("import_id".to_owned(), id.to_string())];
    for (i, f) in fields.iter().enumerate() {
        form.push((format!("mapping[{i}]"), (*f).to_owned()));
    }
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.call("remap_import", &form, Some(cookie)).await
}

#[tokio::test]
async fn columns_not_recognised_wait_for_the_person_to_choose() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let id = preview_id(
        &app,
        &owner,
        "Email,Given,Family\nada@example.com,Ada,Lovelace\n",
    )
    .await;
    let preview = import(&app, &owner, id).await;
    assert_eq!(preview["columns"][1]["recognised"], false);
    assert_eq!(preview["new_members"], 0, "no names yet");
    let refused = start(&app, &owner, id, &[]).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(
        refused.says().contains("first name and the last name"),
        "{}",
        refused.body
    );

    let twice = remap(&app, &owner, id, ["email", "first_name", "first_name"]).await;
    assert_eq!(twice.status, 409, "{}", twice.body);
    let ok = remap(&app, &owner, id, ["email", "first_name", "last_name"]).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(import(&app, &owner, id).await["new_members"], 1);
    assert_eq!(start(&app, &owner, id, &[]).await.status, 200);
    done(&app, &owner, id).await;
    assert_eq!(app.client_rows(&owner).await[0]["last_name"], "Lovelace");
}

#[tokio::test]
async fn another_organizations_import_answers_not_found_and_clients_may_not_import() {
    let app = spawn_app().await;
    let north = app.setup_owner().await;
    let id = preview_id(&app, &north, "First name,Last name\nAda,North\n").await;
    let (_, client) = app.add_member(&north, "cy@example.com", "client").await;
    let south = app.create_organization(&north, "South", "south").await;
    let id_text = id.to_string();
    for endpoint in [
        "get_import",
        "start_import",
        "cancel_import",
        "remap_import",
    ] {
        let resp = app
            .call(endpoint, &[("import_id", &id_text)], Some(&south))
            .await;
        assert_eq!(resp.status, 404, "{endpoint}: {}", resp.body);
        let resp = app
            .call(endpoint, &[("import_id", &id_text)], Some(&client))
            .await;
        assert_eq!(resp.status, 403, "{endpoint}: {}", resp.body);
    }
    let skipped = app
        .get(&format!("/clients/import/{id}/skipped.csv"), Some(&south))
        .await;
    assert_eq!(skipped.status(), 404);
    let part =
        reqwest::multipart::Part::bytes(b"First name,Last name\nA,B\n".to_vec()).file_name("c.csv");
    let resp = app
        .client
        .post(format!("{}/clients/import/upload", app.address))
        .header("cookie", &client)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM imports").await, 1);
    // Discarding a preview; a finished import cannot be cancelled.
    let north = app.owner_session().await;
    let resp = app
        .call("cancel_import", &[("import_id", &id_text)], Some(&north))
        .await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    let again = app
        .call("cancel_import", &[("import_id", &id_text)], Some(&north))
        .await;
    assert_eq!(again.status, 409);
}

#[tokio::test]
async fn staff_are_not_imported_namesakes_keep_their_own_accounts_and_new_accounts_need_new_owners()
{
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    app.add_member(&owner, "stu@example.com", "staff").await;
    turn_off_auto_invite(&app, &owner).await;
    let john = app
        .create_client_id(&owner, "John", "Smith", "john@example.com")
        .await;
    let ana = app
        .create_client_id(&owner, "Ana", "Reyes", "ana@example.com")
        .await;
    let _ = ana;
    let file = format!(
        "First name,Last name,Email,Account,Place\n\
         Stu,Staff,STU@example.com,,\n\
         {}\n\
         John,Smith,other.john@example.com,,\n\
         Ana,Reyes,ana@example.com,Reyes family,owner\n\
         Luis,Reyes,luis@example.com,Reyes family,guest\n",
        format_args!("Owner,Person,{OWNER_EMAIL},,")
    );
    let id = preview_id(&app, &owner, &file).await;
    let preview = import(&app, &owner, id).await;
    let problems: Vec<(i64, String)> = preview["shown_problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["line"].as_i64().unwrap(),
                p["problem"]["problem"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        problems,
        [
            (2, "already_member".to_owned()),
            (3, "already_member".to_owned()),
            // Ana is a member already (not moved): the Reyes family would
            // hold Luis, a guest, alone.
            (6, "import_account_no_owner".to_owned()),
        ],
        "{preview}"
    );
    assert_eq!(
        start(&app, &owner, id, &["good_rows_only"]).await.status,
        200
    );
    let finished = done(&app, &owner, id).await;
    assert_eq!(finished["created_members"], 1, "the other John Smith");
    // The second John Smith has an account of his own, not the first one's.
    let accounts: Vec<i64> = sqlx::query_as::<_, (i64,)>(
        "SELECT account_id FROM clients WHERE first_name = 'John' ORDER BY id",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
    .into_iter()
    .map(|(a,)| a)
    .collect();
    assert_eq!(accounts.len(), 2);
    assert_ne!(accounts[0], accounts[1], "namesakes are not merged");
    let first_account: i64 = app
        .scalar(&format!("SELECT account_id FROM clients WHERE id = {john}"))
        .await;
    assert_eq!(accounts[0], first_account);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM clients WHERE email_lower = 'stu@example.com'")
            .await,
        1,
        "the staff member's own record only"
    );
}
