//! Self sign-up: every mode, automatic and approver approval, seats,
//! enumeration, and who may enter.

use serde_json::Value;

use crate::helpers::*;

const PASSWORD: &str = "a brand new password";

/// Saves the sign-up section of the settings.
async fn open_signup(app: &TestApp, owner: &str, mode: &str, approval: &str, seats: &str) {
    let owner_id = app.scalar("SELECT id FROM users ORDER BY id LIMIT 1").await;
    let owner_id = owner_id.to_string();
    let resp = save_settings(
        app,
        owner,
        "signup",
        &[
            ("signup_mode", mode),
            ("signup_approval", approval),
            ("approvers", &owner_id),
            ("collaborator_seats", seats),
        ],
    )
    .await;
    assert_eq!(resp.status, 200, "{}", resp.body);
}

async fn sign_up(app: &TestApp, username: &str, email: &str, role: &str) -> FnResponse {
    app.call(
        "sign_up",
        &[
            ("slug", "north-tutors"),
            ("first_name", "Pat"),
            ("last_name", "Applicant"),
            ("username", username),
            ("email", email),
            ("password", PASSWORD),
            ("role", role),
        ],
        None,
    )
    .await
}

/// The confirmation token in an email's link.
fn confirm_token(text: &str) -> String {
    let start =
        text.find("/signup/confirm/").expect("a confirmation link") + "/signup/confirm/".len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

fn fields(resp: &FnResponse) -> Vec<String> {
    let body: Value = resp.json();
    body["Invalid"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["field"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

async fn signups(app: &TestApp) -> i64 {
    app.scalar("SELECT COUNT(*) FROM signups").await
}

#[tokio::test]
async fn with_sign_up_off_the_page_says_so_and_the_server_refuses() {
    let app = spawn_app().await;
    app.setup_owner().await;
    let page = app
        .call("signup_page", &[("slug", "north-tutors")], None)
        .await
        .json();
    assert_eq!(page["organization"], "North Tutors");
    assert_eq!(page["roles"].as_array().unwrap().len(), 0);
    let resp = sign_up(&app, "pat", "pat@example.com", "client").await;
    assert_eq!(resp.status, 409);
    assert!(
        resp.says().contains("does not take sign-ups"),
        "{}",
        resp.body
    );
    assert_eq!(signups(&app).await, 0);
    let html = app
        .get("/o/north-tutors/signup", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("North Tutors does not take sign-ups here"),
        "{html}"
    );
}

#[tokio::test]
async fn each_mode_opens_only_its_roles() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    for (mode, open, closed) in [
        ("clients", "client", "collaborator"),
        ("collaborators", "collaborator", "client"),
    ] {
        open_signup(&app, &owner, mode, "automatic", "").await;
        let page = app
            .call("signup_page", &[("slug", "north-tutors")], None)
            .await
            .json();
        assert_eq!(page["roles"], serde_json::json!([open]), "{mode}");
        let refused = sign_up(
            &app,
            &format!("no-{mode}"),
            &format!("no-{mode}@example.com"),
            closed,
        )
        .await;
        assert_eq!(refused.status, 422, "{mode}");
        assert_eq!(fields(&refused), ["role"], "{mode}");
        let taken = sign_up(
            &app,
            &format!("yes-{mode}"),
            &format!("yes-{mode}@example.com"),
            open,
        )
        .await;
        assert_eq!(taken.status, 200, "{mode}: {}", taken.body);
    }
    open_signup(&app, &owner, "both", "automatic", "").await;
    let page = app
        .call("signup_page", &[("slug", "north-tutors")], None)
        .await
        .json();
    assert_eq!(page["roles"], serde_json::json!(["client", "collaborator"]));
    assert_eq!(
        sign_up(&app, "both-c", "bc@example.com", "client")
            .await
            .status,
        200
    );
    assert_eq!(
        sign_up(&app, "both-k", "bk@example.com", "collaborator")
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn bad_fields_are_refused_at_each_field_and_nothing_is_kept() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    open_signup(&app, &owner, "clients", "automatic", "").await;
    let resp = app
        .call(
            "sign_up",
            &[
                ("slug", "north-tutors"),
                ("first_name", ""),
                ("last_name", "Applicant"),
                ("username", "no spaces"),
                ("email", "not-an-email"),
                ("password", "short"),
            ],
            None,
        )
        .await;
    assert_eq!(resp.status, 422);
    assert_eq!(
        fields(&resp),
        ["first_name", "username", "email", "password"]
    );
    assert_eq!(signups(&app).await, 0);
}

#[tokio::test]
async fn automatic_approval_admits_on_confirmation_once() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    open_signup(&app, &owner, "clients", "automatic", "").await;
    let resp = sign_up(&app, "Pat.A", "pat@example.com", "").await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    let mail = app.wait_for_mail(1).await.remove(0);
    assert_eq!(mail.to, "pat@example.com");
    assert_eq!(mail.subject, "Confirm your email for North Tutors");
    let token = confirm_token(&mail.text);
    let stored: Vec<(String,)> = sqlx::query_as("SELECT token_hash FROM signup_links")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    assert!(
        stored.iter().all(|(h,)| h != &token),
        "only a keyed hash is stored"
    );

    // Looking at the link, twice, confirms nothing.
    for _ in 0..2 {
        let page = app
            .call("signup_link", &[("token", &token)], None)
            .await
            .json();
        assert_eq!(page["Confirm"]["organization"], "North Tutors");
    }
    // The username is taken whatever its case, already while unconfirmed.
    let again = sign_up(&app, "pat.a", "other@example.com", "").await;
    assert_eq!(fields(&again), ["username"]);

    let done = app.call("confirm_signup", &[("token", &token)], None).await;
    assert_eq!(done.status, 200, "{}", done.body);
    let cookie = done.session_cookie().expect("signed in");
    assert_eq!(app.get("/dashboard", Some(&cookie)).await.status(), 200);
    let rows = app.client_rows(&owner).await;
    let row = rows
        .iter()
        .find(|r| r["email"] == "pat@example.com")
        .unwrap();
    assert_eq!(row["status"], "Active");

    let twice = app.call("confirm_signup", &[("token", &token)], None).await;
    assert_eq!(twice.status, 409, "a link works once");
    let page = app
        .call("signup_link", &[("token", &token)], None)
        .await
        .json();
    assert_eq!(page, "Closed");
    assert_eq!(app.login("pat@example.com", PASSWORD).await.status, 200);
}

#[tokio::test]
async fn an_existing_account_gets_the_same_answer_and_an_email_saying_so() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    open_signup(&app, &owner, "clients", "automatic", "").await;
    let new = sign_up(&app, "newcomer", "new@example.com", "").await;
    let existing = sign_up(&app, "someone", OWNER_EMAIL, "").await;
    assert_eq!(new.status, existing.status);
    assert_eq!(
        new.body, existing.body,
        "the page never tells who has an account"
    );
    let mails = app.wait_for_mail(2).await;
    let to_owner = mails
        .iter()
        .find(|m| m.to.eq_ignore_ascii_case(OWNER_EMAIL))
        .unwrap();
    assert_eq!(
        to_owner.subject,
        "You already have an account for North Tutors"
    );
    assert!(
        to_owner
            .text
            .contains("sign in with your existing password, or reset it")
    );
    assert!(!to_owner.text.contains("/signup/confirm/"));
    assert_eq!(
        signups(&app).await,
        1,
        "no application for the existing account"
    );
}

#[tokio::test]
async fn approval_by_an_approver_over_a_real_smtp_server() {
    let smtp = SmtpServer::start();
    let app = spawn_app_with(|c| c.smtp_url = Some(smtp.url())).await;
    let owner = app.setup_owner().await;
    open_signup(&app, &owner, "clients", "approver", "").await;
    assert_eq!(
        sign_up(&app, "pat", "pat@example.com", "").await.status,
        200
    );
    let confirm = decode_quoted_printable(&smtp.wait_for(1).await.remove(0));
    assert!(confirm.contains("To: pat@example.com"), "{confirm}");
    let token = confirm_token(&confirm);
    let done = app.call("confirm_signup", &[("token", &token)], None).await;
    assert_eq!(done.status, 200);
    assert_eq!(done.json(), "Waiting", "{}", done.body);
    assert!(
        done.session_cookie().is_none(),
        "not signed in while pending"
    );

    let to_approver = decode_quoted_printable(&smtp.wait_for(2).await.remove(1));
    assert!(
        to_approver
            .to_lowercase()
            .contains(&format!("to: {}", OWNER_EMAIL.to_lowercase())),
        "{to_approver}"
    );
    assert!(
        to_approver.contains("Subject: Pat Applicant asks to join North Tutors"),
        "{to_approver}"
    );
    assert!(to_approver.contains("/approvals"));

    // Pending: the right password says why; a wrong one says nothing.
    let pending = app.login("pat@example.com", PASSWORD).await;
    assert_eq!(pending.status, 409);
    assert!(
        pending.says().contains("waiting for approval"),
        "{}",
        pending.body
    );
    assert_eq!(
        app.login("pat@example.com", "a wrong password!")
            .await
            .status,
        401
    );

    let queue = app.call("approval_queue", &[], Some(&owner)).await.json();
    let id = queue[0]["id"].as_i64().unwrap();
    assert_eq!(queue[0]["username"], "pat");
    let approved = app
        .call(
            "decide_signups",
            &[("ids", &id.to_string()), ("approve", "true")],
            Some(&owner),
        )
        .await;
    assert_eq!(approved.status, 200, "{}", approved.body);
    let welcome = decode_quoted_printable(&smtp.wait_for(3).await.remove(2));
    assert!(
        welcome.contains("Subject: Welcome to North Tutors: your application was approved"),
        "{welcome}"
    );
    let signed_in = app.login("pat@example.com", PASSWORD).await;
    assert_eq!(signed_in.status, 200, "{}", signed_in.body);
    let rows = app.client_rows(&owner).await;
    assert_eq!(
        rows.iter()
            .find(|r| r["email"] == "pat@example.com")
            .unwrap()["status"],
        "Active"
    );
    let again = app
        .call(
            "decide_signups",
            &[("ids", &id.to_string()), ("approve", "false")],
            Some(&owner),
        )
        .await;
    assert_eq!(again.status, 409, "decided once");
}

#[tokio::test]
async fn a_rejection_carries_its_reason_and_keeps_the_applicant_out() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    open_signup(&app, &owner, "clients", "approver", "").await;
    sign_up(&app, "pat", "pat@example.com", "").await;
    let token = confirm_token(&app.wait_for_mail(1).await.remove(0).text);
    app.call("confirm_signup", &[("token", &token)], None).await;
    let queue = app.call("approval_queue", &[], Some(&owner)).await.json();
    let id = queue[0]["id"].as_i64().unwrap().to_string();
    let resp = app
        .call(
            "decide_signups",
            &[
                ("ids", &id),
                ("approve", "false"),
                ("reason", "We only take current pupils."),
            ],
            Some(&owner),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    let mails = app.wait_for_mail(3).await;
    let rejection = mails
        .iter()
        .find(|m| m.subject == "Your application to North Tutors")
        .unwrap();
    assert!(
        rejection
            .text
            .contains("The reason given: We only take current pupils.")
    );
    let refused = app.login("pat@example.com", PASSWORD).await;
    assert_eq!(refused.status, 409);
    assert!(refused.says().contains("was not approved"));
    assert_eq!(
        app.call("approval_queue", &[], Some(&owner)).await.json(),
        serde_json::json!([])
    );
}

#[tokio::test]
async fn collaborator_seats_limit_sign_up_and_approval() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    open_signup(&app, &owner, "collaborators", "approver", "2").await;
    for (i, who) in ["kim", "lee"].iter().enumerate() {
        assert_eq!(
            sign_up(&app, who, &format!("{who}@example.com"), "")
                .await
                .status,
            200
        );
        let token = confirm_token(&app.wait_for_mail(i * 2 + 1).await[i * 2].text);
        app.call("confirm_signup", &[("token", &token)], None).await;
        app.wait_for_mail(i * 2 + 2).await;
    }
    let full = sign_up(&app, "max", "max@example.com", "").await;
    assert_eq!(full.status, 409);
    assert!(
        full.says()
            .contains("All collaborator seats of North Tutors are taken"),
        "{}",
        full.body
    );

    // The limit lowered below what is held: approving is refused too.
    open_signup(&app, &owner, "collaborators", "approver", "1").await;
    let queue = app.call("approval_queue", &[], Some(&owner)).await.json();
    let first = queue[0]["id"].as_i64().unwrap().to_string();
    let refused = app
        .call(
            "decide_signups",
            &[("ids", &first), ("approve", "true")],
            Some(&owner),
        )
        .await;
    assert_eq!(refused.status, 409);
    assert!(refused.body.contains("seats"), "{}", refused.body);
    open_signup(&app, &owner, "collaborators", "approver", "2").await;
    let ok = app
        .call(
            "decide_signups",
            &[("ids", &first), ("approve", "true")],
            Some(&owner),
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
}

#[tokio::test]
async fn only_approvers_and_the_owner_decide() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    open_signup(&app, &owner, "clients", "approver", "").await;
    let created = app
        .call(
            "create_client",
            &[
                ("request_key", request_key().as_str()),
                ("first_name", "Sam"),
                ("last_name", "Staff"),
                ("email", "sam@example.com"),
                ("role", "staff"),
            ],
            Some(&owner),
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    let token = app.wait_for_mail(1).await.remove(0).token();
    let staff = app
        .activate(&token, PASSWORD)
        .await
        .session_cookie()
        .unwrap();
    assert_eq!(
        app.call("approval_queue", &[], Some(&staff)).await.status,
        403
    );
    assert_eq!(
        app.call(
            "decide_signups",
            &[("ids", "1"), ("approve", "true")],
            Some(&staff)
        )
        .await
        .status,
        403
    );
}

#[tokio::test]
async fn parallel_sign_ups_cannot_share_the_last_collaborator_seat() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    open_signup(&app, &owner, "collaborators", "automatic", "1").await;
    let names: Vec<String> = (0..6).map(|n| format!("pat{n}")).collect();
    let emails: Vec<String> = (0..6).map(|n| format!("pat{n}@example.com")).collect();
    let tries = (0..6).map(|n| sign_up(&app, &names[n], &emails[n], ""));
    let answers = futures::future::join_all(tries).await;
    let taken = answers.iter().filter(|a| a.status == 200).count();
    assert_eq!(taken, 1, "one seat, one application");
    for refused in answers.iter().filter(|a| a.status != 200) {
        assert_eq!(refused.status, 409, "{}", refused.body);
        assert!(
            refused.says().contains("All collaborator seats"),
            "{}",
            refused.body
        );
    }
    let token = confirm_token(&app.wait_for_mail(1).await[0].text);
    let confirmed = app.call("confirm_signup", &[("token", &token)], None).await;
    assert!(confirmed.status.is_success() || confirmed.status.is_redirection());
    let collaborators = app
        .scalar("SELECT COUNT(*) FROM memberships WHERE role = 'collaborator'")
        .await;
    assert_eq!(collaborators, 1);

    // No seat left: staff cannot invite one more collaborator either.
    let added = app
        .call(
            "create_client",
            &[
                ("request_key", request_key().as_str()),
                ("first_name", "Cole"),
                ("last_name", "Lab"),
                ("email", "cole@example.com"),
                ("role", "collaborator"),
            ],
            Some(&owner),
        )
        .await;
    assert_eq!(added.status, 422, "{}", added.body);
    assert_eq!(added.json()["Invalid"][0]["field"], "role");
    let queued = app
        .scalar("SELECT COUNT(*) FROM email_outbox WHERE recipient = 'cole@example.com'")
        .await;
    assert_eq!(queued, 0, "no invitation went out");
    let rows = app
        .scalar("SELECT COUNT(*) FROM clients WHERE email = 'cole@example.com'")
        .await;
    assert_eq!(rows, 0, "a refusal writes nothing");
}

#[tokio::test]
async fn decisions_refuse_ids_that_are_not_ids() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    for ids in ["1,abc", "1;DROP", &"1,".repeat(600)] {
        let resp = app
            .call(
                "decide_signups",
                &[("ids", ids), ("approve", "true")],
                Some(&owner),
            )
            .await;
        assert_eq!(resp.status, 422, "{ids}: {}", resp.body);
        assert_eq!(resp.json()["Invalid"][0]["field"], "ids");
    }
}
