//! The client list as a CSV file: what the list shows, one row per member,
//! safe to open in a spreadsheet.

use crate::helpers::*;

/// The export as `cookie` with the list's `query`, as (status, bytes).
async fn export(app: &TestApp, cookie: &str, query: &str) -> (reqwest::StatusCode, Vec<u8>) {
    let resp = app
        .get(&format!("/clients/export.csv?{query}"), Some(cookie))
        .await;
    let status = resp.status();
    if status == 200 {
        let kind = resp.headers()["content-type"].to_str().unwrap().to_owned();
        assert_eq!(kind, "text/csv; charset=utf-8");
        let disposition = resp.headers()["content-disposition"].to_str().unwrap();
        assert!(
            disposition.starts_with("attachment; filename=\"clients-"),
            "{disposition}"
        );
    }
    (status, resp.bytes().await.unwrap().to_vec())
}

/// The file's records (after its byte order mark), parsed as RFC 4180.
fn records(bytes: &[u8]) -> Vec<Vec<String>> {
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "a UTF-8 byte order mark"
    );
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[3..])
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[tokio::test]
async fn the_export_is_the_list_one_row_per_member_with_times_in_the_organizations_zone() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let saved = save_settings(
        &app,
        &owner,
        "language",
        &[("default_language", "en"), ("time_zone", "America/Toronto")],
    )
    .await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let ada = app
        .create_client_id(&owner, "Ada", "Lovelace, Countess", "ada@example.com")
        .await;
    let token = app.wait_for_mail_to("ada@example.com").await.token();
    assert_eq!(app.activate(&token, FIXTURE_PASSWORD).await.status, 200);
    let account: i64 = app
        .scalar(&format!("SELECT account_id FROM clients WHERE id = {ada}"))
        .await;
    let guest = app
        .call(
            "add_member",
            &[
                ("account_id", &account.to_string()),
                ("request_key", &request_key()),
                ("first_name", "=HYPERLINK(\"http://evil.example\")"),
                ("last_name", "Zoé \"Z\" Guest"),
                ("email", ""),
                ("place", "guest"),
                ("role", "client"),
            ],
            Some(&owner),
        )
        .await;
    assert_eq!(guest.status, 200, "{}", guest.body);
    app.create_client_id(&owner, "Bo", "Berg", "").await;

    let (status, bytes) = export(&app, &owner, "").await;
    assert_eq!(status, 200);
    let rows = records(&bytes);
    assert_eq!(
        rows[0],
        [
            "Account",
            "First name",
            "Last name",
            "Email",
            "Place",
            "Portal role",
            "Status",
            "Invited at",
            "Activated at",
            "Last login",
            "Access",
            "Plan",
            "Assigned staff"
        ]
    );
    assert_eq!(rows.len(), 4, "a header and three members: {rows:?}");
    // Newest account first; its one member.
    assert_eq!(rows[1][..3], ["Bo Berg", "Bo", "Berg"]);
    // Ada's account: the owner, then the guest.
    let ada_row = &rows[2];
    assert_eq!(
        ada_row[0], "Ada Lovelace, Countess",
        "a comma survives quoting"
    );
    assert_eq!(ada_row[4], "Owner");
    assert_eq!(ada_row[6], "Active");
    assert_eq!(ada_row[10], "Enabled");
    for time in [&ada_row[7], &ada_row[8], &ada_row[9]] {
        // ISO 8601 with Toronto's offset (EST or EDT).
        assert!(
            time.len() == 25 && (time.ends_with("-05:00") || time.ends_with("-04:00")),
            "{time}"
        );
    }
    let guest_row = &rows[3];
    assert_eq!(
        guest_row[1], "'=HYPERLINK(\"http://evil.example\")",
        "a formula is made text"
    );
    assert_eq!(
        guest_row[2], "Zoé \"Z\" Guest",
        "quotes and accents survive"
    );
    assert_eq!(guest_row[4], "Guest");
    assert_eq!(guest_row[7], "", "never invited");

    // The list's search narrows the export; a status filter too.
    let (_, bytes) = export(&app, &owner, "q=berg").await;
    assert_eq!(records(&bytes).len(), 2);
    let (_, bytes) = export(&app, &owner, "status=no-email").await;
    let rows = records(&bytes);
    let names: Vec<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
    assert_eq!(names.len(), 2, "Bo and the guest have no email: {names:?}");
    assert!(
        app.scalar("SELECT COUNT(*) FROM audit_events WHERE kind = 'clients_exported'")
            .await
            >= 3,
        "each export is in the audit trail"
    );
}

#[tokio::test]
async fn the_export_is_in_the_readers_language_and_holds_only_their_organization() {
    let app = spawn_app().await;
    let north = app.setup_owner().await;
    app.create_client_id(&north, "Ada", "North", "").await;
    let south = app.create_organization(&north, "South", "south").await;
    app.create_client_id(&south, "Bo", "South", "").await;
    let chosen = app
        .call("choose_language", &[("language", "fr")], Some(&south))
        .await;
    assert_eq!(chosen.status, 200, "{}", chosen.body);

    let (_, bytes) = export(&app, &south, "").await;
    let rows = records(&bytes);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0][0], "Compte");
    assert_eq!(rows[1][1], "Bo");
    assert_eq!(rows[1][4], "Titulaire");
}
