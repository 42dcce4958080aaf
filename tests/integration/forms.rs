//! Intake forms: built in Settings → Forms, sent with an invitation (one,
//! all owners, bulk), filled in by the client (drafts, a file, required
//! answers at their fields), read by staff on the client's page, filtered
//! in the list, exported as CSV; a changed form keeps old answers readable.

use reqwest::header::COOKIE;
use serde_json::{Value, json};

use crate::helpers::*;

/// The fields of the intake form the tests send.
fn intake_fields() -> Value {
    json!([
        {"key": "", "label": "Full legal name", "kind": "short_text", "required": true},
        {"key": "", "label": "Date of birth", "kind": "date"},
        {"key": "", "label": "Preferred contact", "kind": "one_choice", "choices": ["Email", "Phone"], "required": true},
        {"key": "", "label": "Subjects", "kind": "many_choices", "choices": ["Maths", "French", "Science"]},
        {"key": "", "label": "First time with us?", "kind": "yes_no"},
        {"key": "", "label": "ID document", "kind": "file", "required": true, "help": "A scan or a photo"}
    ])
}

/// Saves a form as `cookie` (`id` 0: new); returns the answer.
async fn save_form(
    app: &TestApp,
    cookie: &str,
    id: i64,
    title: &str,
    fields: &Value,
) -> FnResponse {
    app.call(
        "save_form",
        &[
            ("form_id", &id.to_string()),
            ("title", title),
            ("introduction", "Tell us about you."),
            ("fields", &fields.to_string()),
        ],
        Some(cookie),
    )
    .await
}

async fn new_form(app: &TestApp, cookie: &str, title: &str) -> i64 {
    let resp = save_form(app, cookie, 0, title, &intake_fields()).await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    resp.json().as_i64().unwrap()
}

async fn answer(
    app: &TestApp,
    cookie: &str,
    request: i64,
    answers: &[(&str, &str)],
    submit: bool,
) -> FnResponse {
    let request = request.to_string();
    let mut form: Vec<(String, String)> = vec![("request_id".into(), request)];
    for (k, v) in answers {
        form.push((format!("answers[{k}]"), (*v).to_owned()));
    }
    if submit {
        form.push(("submit".into(), "on".into()));
    }
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.call("save_form_answers", &form, Some(cookie)).await
}

#[tokio::test]
async fn a_form_sent_with_an_invitation_is_filled_in_by_the_client_and_read_by_staff() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    turn_off_auto_invite(&app, &owner).await;
    let form = new_form(&app, &owner, "Intake").await;
    let fields = app
        .call("get_form", &[("form_id", &form.to_string())], Some(&owner))
        .await
        .json();
    let keys: Vec<String> = fields["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["key"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(keys, ["f1", "f2", "f3", "f4", "f5", "f6"]);

    // Sent with Ana's invitation: the email says a form waits.
    let ana = app
        .create_client_id(&owner, "Ana", "Client", "ana@example.com")
        .await;
    let sent = app
        .call(
            "send_invitation",
            &[("client_id", &ana.to_string()), ("form", &form.to_string())],
            Some(&owner),
        )
        .await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    let mail = app.wait_for_mail_to("ana@example.com").await;
    assert!(
        mail.text.contains("A form is waiting for you: \"Intake\""),
        "{}",
        mail.text
    );
    let list = app.client_rows(&owner).await;
    assert_eq!(list[0]["form"], "Form Intake: waiting");

    // Activating lands her on the form.
    let activated = app.activate(&mail.token(), FIXTURE_PASSWORD).await;
    let cookie = activated.session_cookie().expect("signed in");
    let request = app
        .scalar("SELECT id FROM form_requests WHERE client_id = 1")
        .await;
    let landing = activated
        .headers
        .get("location")
        .or_else(|| activated.headers.get("serverfnredirect"))
        .map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(
        landing.as_deref(),
        Some(format!("/forms/{request}").as_str())
    );
    let waiting = app.call("my_forms", &[], Some(&cookie)).await.json();
    assert_eq!(waiting[0]["title"], "Intake");

    // A draft keeps what is there; bad values are named at their fields.
    let bad = answer(
        &app,
        &cookie,
        request,
        &[("f2", "31/12/1990"), ("f3", "Fax")],
        false,
    )
    .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(
        bad.body.contains("answers[f2]") && bad.body.contains("answers[f3]"),
        "{}",
        bad.body
    );
    let draft = answer(
        &app,
        &cookie,
        request,
        &[
            ("f1", "Ana María Client"),
            ("f4.0", "Maths"),
            ("f4.2", "Science"),
        ],
        false,
    )
    .await;
    assert_eq!(draft.status, 200, "{}", draft.body);
    let filled = app
        .call(
            "form_to_fill",
            &[("request_id", &request.to_string())],
            Some(&cookie),
        )
        .await
        .json();
    assert_eq!(filled["answers"]["f1"], json!(["Ana María Client"]));
    assert_eq!(filled["answers"]["f4"], json!(["Maths", "Science"]));
    assert!(filled["saved"].is_string() && filled["submitted"].is_null());

    // Submitting needs the required answers, each said at its field.
    let early = answer(&app, &cookie, request, &[("f1", "Ana María Client")], true).await;
    assert_eq!(early.status, 422, "{}", early.body);
    assert!(
        early.body.contains("answers[f3]") && early.body.contains("answers[f6]"),
        "{}",
        early.body
    );

    // The file goes up on its own and becomes a document of her account.
    let part = reqwest::multipart::Part::bytes(b"%PDF-1.7\n% id\n%%EOF\n".to_vec())
        .file_name("passport.pdf");
    let resp = app
        .client
        .post(format!("{}/forms/{request}/files/f6", app.address))
        .header(COOKIE, &cookie)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(
        location(&resp),
        Some(format!("/forms/{request}#field-f6").as_str())
    );
    let submitted = answer(
        &app,
        &cookie,
        request,
        &[
            ("f1", "Ana María Client"),
            ("f2", "1990-12-31"),
            ("f3", "Phone"),
            ("f4.0", "Maths"),
            ("f5", "yes"),
        ],
        true,
    )
    .await;
    assert_eq!(submitted.status, 200, "{}", submitted.body);
    // Submitted is final.
    let again = answer(&app, &cookie, request, &[("f1", "Changed")], true).await;
    assert_eq!(again.status, 409, "{}", again.body);
    assert_eq!(
        app.call("my_forms", &[], Some(&cookie)).await.json(),
        json!([])
    );

    // Staff read the answers as given, the file among them.
    let on_page = app
        .call(
            "client_forms",
            &[("client_id", &ana.to_string())],
            Some(&owner),
        )
        .await
        .json();
    assert!(
        on_page[0]["state"]
            .as_str()
            .unwrap()
            .starts_with("Submitted on"),
        "{on_page}"
    );
    let lines: Vec<(String, String)> = on_page[0]["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["label"].as_str().unwrap().to_owned(),
                a["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        lines[0],
        ("Full legal name".into(), "Ana María Client".into())
    );
    assert_eq!(lines[1], ("Date of birth".into(), "31 Dec 1990".into()));
    assert_eq!(lines[4], ("First time with us?".into(), "Yes".into()));
    assert_eq!(on_page[0]["answers"][5]["file"][1], "passport.pdf");
    let list = app.client_rows(&owner).await;
    assert!(
        list[0]["form"]
            .as_str()
            .unwrap()
            .starts_with("Form Intake: submitted on"),
        "{list:?}"
    );
    let filtered = app
        .call(
            "list_clients",
            &[("page", "1"), ("status", "form-submitted")],
            Some(&owner),
        )
        .await
        .json();
    assert_eq!(members_of(&filtered).len(), 1);
    let none = app
        .call(
            "list_clients",
            &[("page", "1"), ("status", "form-waiting")],
            Some(&owner),
        )
        .await
        .json();
    assert_eq!(members_of(&none).len(), 0);

    // Changing the form makes version 2; Ana's answers keep version 1's words.
    let mut changed = intake_fields();
    changed[0]["label"] = json!("Name as on your ID");
    for (i, f) in changed.as_array_mut().unwrap().iter_mut().enumerate() {
        f["key"] = json!(format!("f{}", i + 1));
    }
    let saved = save_form(&app, &owner, form, "Intake", &changed).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let now = app
        .call("get_form", &[("form_id", &form.to_string())], Some(&owner))
        .await
        .json();
    assert_eq!(now["version"], 2);
    let on_page = app
        .call(
            "client_forms",
            &[("client_id", &ana.to_string())],
            Some(&owner),
        )
        .await
        .json();
    assert_eq!(on_page[0]["answers"][0]["label"], "Full legal name");
    assert_eq!(on_page[0]["version"], 1);

    // The CSV has one row per submission, the latest labels, safe cells.
    let csv = app
        .get(&format!("/settings/forms/{form}/answers.csv"), Some(&owner))
        .await;
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header[5], "Name as on your ID");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][5], "Ana María Client");
    assert_eq!(&rows[0][6], "1990-12-31");
    // Clients cannot read it: the staff pages send them home.
    let refused = app
        .get(
            &format!("/settings/forms/{form}/answers.csv"),
            Some(&cookie),
        )
        .await;
    assert_eq!(refused.status(), 303);
    assert_eq!(location(&refused), Some("/dashboard"));
}

#[tokio::test]
async fn forms_go_with_invite_all_owners_and_bulk_and_stay_in_their_organization() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    turn_off_auto_invite(&app, &owner).await;
    let form = new_form(&app, &owner, "Welcome").await;

    // A bad form is refused at its fields and nothing is saved.
    let bad = save_form(
        &app,
        &owner,
        0,
        "",
        &json!([{"key": "", "label": "", "kind": "one_choice", "choices": ["Only"]}]),
    )
    .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    for field in ["title", "fields.0.label", "fields.0.choices"] {
        assert!(bad.body.contains(field), "{field}: {}", bad.body);
    }
    let count = app.scalar("SELECT COUNT(*) FROM forms").await;
    assert_eq!(count, 1);

    // Invite all owners with the form.
    let bo = app
        .create_client_id(&owner, "Bo", "Owner", "bo@example.com")
        .await;
    let account = app
        .scalar(&format!("SELECT account_id FROM clients WHERE id = {bo}"))
        .await;
    let owners = app
        .call(
            "invite_owners",
            &[
                ("account_id", &account.to_string()),
                ("form", &form.to_string()),
            ],
            Some(&owner),
        )
        .await;
    assert_eq!(owners.status, 200, "{}", owners.body);
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM form_requests WHERE client_id = {bo}"
        ))
        .await,
        1
    );

    // A bulk invitation with the form: each invited client gets it once.
    let cy = app
        .create_client_id(&owner, "Cy", "Client", "cy@example.com")
        .await;
    let preview = app
        .call(
            "preview_bulk_invite",
            &[("rule", "never_invited")],
            Some(&owner),
        )
        .await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    let key = preview.json()["request_key"].as_str().unwrap().to_owned();
    let started = app
        .call(
            "start_bulk_invite",
            &[
                ("request_key", &key),
                ("rule", "never_invited"),
                ("intake_form", &form.to_string()),
            ],
            Some(&owner),
        )
        .await;
    assert_eq!(started.status, 200, "{}", started.body);
    for _ in 0..100 {
        if app
            .scalar(&format!(
                "SELECT COUNT(*) FROM form_requests WHERE client_id = {cy}"
            ))
            .await
            == 1
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM form_requests WHERE client_id = {cy}"
        ))
        .await,
        1
    );
    let mail = app.wait_for_mail_to("cy@example.com").await;
    assert!(
        mail.text.contains("A form is waiting for you: \"Welcome\""),
        "{}",
        mail.text
    );
    // Sending it again keeps the one waiting.
    let resent = app
        .call(
            "send_invitation",
            &[("client_id", &cy.to_string()), ("form", &form.to_string())],
            Some(&owner),
        )
        .await;
    assert_eq!(resent.status, 200, "{}", resent.body);
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM form_requests WHERE client_id = {cy}"
        ))
        .await,
        1
    );

    // Another organization can neither send nor read this form; a client of
    // this one cannot open another client's form.
    let elsewhere = app
        .create_organization(&owner, "South Tutors", "south-tutors")
        .await;
    let dee = app
        .create_client_id(&elsewhere, "Dee", "Client", "dee@example.com")
        .await;
    let foreign = app
        .call(
            "send_invitation",
            &[("client_id", &dee.to_string()), ("form", &form.to_string())],
            Some(&elsewhere),
        )
        .await;
    assert_eq!(foreign.status, 404, "{}", foreign.body);
    assert_eq!(
        app.call(
            "get_form",
            &[("form_id", &form.to_string())],
            Some(&elsewhere)
        )
        .await
        .status,
        404
    );
    let cy_token = mail.token();
    let cy_cookie = app
        .activate(&cy_token, FIXTURE_PASSWORD)
        .await
        .session_cookie()
        .expect("signed in");
    let bo_request = app
        .scalar(&format!(
            "SELECT id FROM form_requests WHERE client_id = {bo}"
        ))
        .await;
    let peek = app
        .call(
            "form_to_fill",
            &[("request_id", &bo_request.to_string())],
            Some(&cy_cookie),
        )
        .await;
    assert_eq!(peek.status, 404);
    // Clients build no forms.
    assert_eq!(
        save_form(&app, &cy_cookie, 0, "Mine", &intake_fields())
            .await
            .status,
        403
    );
}
