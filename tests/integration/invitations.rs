use serde_json::json;

use porchlight::model::{AppError, Problem};

use crate::helpers::*;

const PASSWORD: &str = "a brand new password";

#[tokio::test]
async fn creating_a_client_with_an_email_sends_an_activation_link_that_works_once() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let created = app
        .create_client(&owner, "Ann", "Lee", "Ann.Lee@example.com")
        .await;
    assert_eq!(created.status, 200, "{}", created.body);

    let mail = app.wait_for_mail(1).await.remove(0);
    assert_eq!(mail.to, "Ann.Lee@example.com");
    assert_eq!(mail.subject, "Activate your North Tutors portal account");
    assert!(mail.text.contains("Olive Owner invited you"));
    assert!(mail.html.contains("Activate your account"));
    let token = mail.token();
    assert_eq!(token.len(), 43);

    // Only a keyed hash of the token is stored, and nowhere in the outbox.
    let (links,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM invitation_links WHERE token_hash = $1")
            .bind(&token)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(links, 0);

    // Looking at the link (as a mail scanner would) does not use it up.
    for _ in 0..2 {
        let page = app.get(&format!("/activate/{token}"), None).await;
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("Welcome to North Tutors") && html.contains("Choose a password"));
    }

    let weak = app.activate(&token, "short").await;
    assert_eq!(weak.status, 422);
    assert_eq!(weak.json()["Invalid"][0]["field"], "password");

    let done = app.activate(&token, PASSWORD).await;
    assert_eq!(done.status, 200, "{}", done.body);
    let client_cookie = done.session_cookie().expect("the client is signed in");
    let me = app
        .call("dashboard", &[], Some(&client_cookie))
        .await
        .json();
    assert_eq!(me["email"], "Ann.Lee@example.com");
    assert_eq!(me["organizations"][0]["name"], "North Tutors");

    let again = app.activate(&token, PASSWORD).await;
    assert_eq!(again.status, 409);
    let used = app.activation_page(&token).await;
    assert!(used.contains("This link can no longer be used"));

    let rows = app.client_rows(&owner).await;
    assert_eq!(rows[0]["status"], "Active");
    let text = rows[0]["status_text"].as_str().unwrap();
    assert!(text.starts_with("Active, last login"), "{text}");
    // The client can sign in with the new password, and lands on the dashboard.
    assert_eq!(app.login("ann.lee@example.com", PASSWORD).await.status, 200);
}

#[tokio::test]
async fn an_unknown_link_and_a_used_one_look_the_same() {
    let app = spawn_app().await;
    app.setup_owner().await;
    let unknown = app
        .get(
            "/activate/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            None,
        )
        .await;
    assert_eq!(unknown.status(), 200);
    assert!(
        unknown
            .text()
            .await
            .unwrap()
            .contains("This link can no longer be used")
    );
}

#[tokio::test]
async fn a_duplicate_email_is_refused_at_its_field_in_any_case() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    app.create_client(&owner, "Ann", "Lee", "ann@example.com")
        .await;
    let dup = app
        .create_client(&owner, "Other", "Ann", "ANN@example.com")
        .await;
    assert_eq!(dup.status, 422);
    assert_eq!(
        dup.error(),
        AppError::field("email", Problem::ClientEmailExists)
    );
    assert_eq!(
        dup.says(),
        "Please correct the highlighted fields. email: A client with this email already exists in this organization."
    );
    assert_eq!(app.client_rows(&owner).await.len(), 1);
}

#[tokio::test]
async fn a_client_without_email_cannot_be_invited_until_it_has_one() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let id = app.create_client_id(&owner, "No", "Mail", "").await;
    let rows = app.client_rows(&owner).await;
    assert_eq!(rows[0]["status_text"], "No email");
    let send = app.send_invitation(&owner, id).await;
    assert_eq!(send.status, 409);
    let n = app.scalar("SELECT COUNT(*) FROM email_outbox").await;
    assert_eq!(n, 0);
}

#[tokio::test]
async fn a_resend_keeps_earlier_links_working_until_one_is_accepted() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let id = app
        .create_client_id(&owner, "Ann", "Lee", "ann@example.com")
        .await;
    app.wait_for_mail(1).await;
    let resend = app.send_invitation(&owner, id).await;
    assert_eq!(resend.status, 200, "{}", resend.body);
    let mails = app.wait_for_mail(2).await;
    let (first, second) = (mails[0].token(), mails[1].token());
    assert_ne!(first, second);
    for t in [&first, &second] {
        let html = app.activation_page(t).await;
        assert!(
            html.contains("Choose a password"),
            "both links work before acceptance"
        );
    }
    let done = app.activate(&second, PASSWORD).await;
    assert_eq!(done.status, 200);
    let late = app.activate(&first, PASSWORD).await;
    assert_eq!(
        late.status, 409,
        "the earlier link stops once the invitation is accepted"
    );

    let to_active = app.send_invitation(&owner, id).await;
    assert_eq!(
        to_active.error(),
        AppError::Conflict(Problem::AlreadyActive)
    );
    assert_eq!(
        to_active.says(),
        "Already active — send a password reset instead."
    );
}

#[tokio::test]
async fn an_expired_link_says_when_it_expired() {
    // 4 Oct 2026, 12:00 UTC: the invitation's 30 days end on 3 Nov.
    let app = spawn_app_with(|c| c.clock = Clock::fixed(1_791_115_200_000)).await;
    let owner = app.setup_owner().await;
    app.create_client(&owner, "Ann", "Lee", "ann@example.com")
        .await;
    let token = app.wait_for_mail(1).await.remove(0).token();
    assert!(
        app.activation_page(&token).await.contains("Activate"),
        "the link works before it expires"
    );
    app.pass_invitation_lifetime();
    let html = app.activation_page(&token).await;
    assert!(
        html.contains("This invitation expired on 3 Nov 2026"),
        "{html}"
    );
    let late = app.activate(&token, PASSWORD).await;
    assert_eq!(late.status, 409);
    let owner = app.owner_session().await;
    assert_eq!(app.client_rows(&owner).await[0]["status"], "Expired");
}

#[tokio::test]
async fn an_existing_account_is_asked_to_join_not_to_sign_up() {
    let app = spawn_app().await;
    let north = app.setup_owner().await;
    // Ann has an account: she is a client of North.
    app.create_client(&north, "Ann", "Lee", "ann@example.com")
        .await;
    let first = app.wait_for_mail(1).await.remove(0).token();
    assert_eq!(app.activate(&first, PASSWORD).await.status, 200);
    let south = app.create_organization(&north, "South Swim", "south").await;
    app.create_client(&south, "Ann", "Lee", "ann@example.com")
        .await;
    let mail = app.wait_for_mail(2).await.remove(1);
    assert_eq!(mail.subject, "South Swim invites you to its portal");
    assert!(mail.text.contains("sign in with it to accept"));
    let token = mail.token();
    assert_eq!(app.client_rows(&south).await[0]["status"], "WaitingToJoin");

    // Setting a password is not offered.
    let set = app.activate(&token, PASSWORD).await;
    assert_eq!(set.status, 409);
    let signed_out = app.call("join", &[("token", &token)], None).await;
    assert_eq!(signed_out.status, 401);

    let me = app
        .login("ann@example.com", PASSWORD)
        .await
        .session_cookie()
        .unwrap();
    let joined = app.call("join", &[("token", &token)], Some(&me)).await;
    assert_eq!(joined.status, 200, "{}", joined.body);
    let n = app.scalar("SELECT COUNT(*) FROM users").await;
    assert_eq!(n, 2, "no second identity for Ann");
}

#[tokio::test]
async fn an_admin_cannot_touch_another_organizations_clients() {
    let app = spawn_app().await;
    let north = app.setup_owner().await;
    let id = app.create_client_id(&north, "Ann", "Lee", "").await;
    let south = app.create_organization(&north, "South", "south").await;
    let send = app.send_invitation(&south, id).await;
    assert_eq!(send.status, 404);
    assert!(app.client_rows(&south).await.is_empty());
}

#[tokio::test]
async fn the_mailbox_shows_only_the_current_organizations_mail() {
    let app = spawn_app().await;
    let north = app.setup_owner().await;
    app.create_client(&north, "Ann", "Lee", "ann@example.com")
        .await;
    app.wait_for_mail(1).await;
    let south = app.create_organization(&north, "South", "south").await;
    assert_eq!(
        app.call("mailbox", &[], Some(&south)).await.json(),
        json!([])
    );
    let north_again = app
        .login(OWNER_EMAIL, OWNER_PASSWORD)
        .await
        .session_cookie()
        .unwrap();
    let inbox = app.call("mailbox", &[], Some(&north_again)).await.json();
    assert_eq!(inbox[0]["to"], "ann@example.com");
}

#[tokio::test]
async fn an_email_interrupted_mid_send_is_sent_again_and_a_fresh_claim_is_left_alone() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    app.create_client(&owner, "Ann", "Lee", "ann@example.com")
        .await;
    app.wait_for_mail(1).await;
    // Pretend one process died while sending (its lease ran out), and
    // another is sending now (its lease runs for a while yet).
    let now = app.now();
    sqlx::query(
        "UPDATE email_outbox SET status = 'sending', claimed_by = 'gone', claimed_at = $1, lease_until = $1",
    )
        .bind(now - 1)
        .execute(&app.db.pool)
        .await
        .unwrap();
    app.create_client(&owner, "Bo", "Ng", "bo@example.com")
        .await;
    let mails = app.wait_for_mail(3).await;
    assert_eq!(
        mails.iter().filter(|m| m.to == "ann@example.com").count(),
        2,
        "the interrupted email went out again"
    );

    sqlx::query(
        "UPDATE email_outbox SET status = 'sending', claimed_by = 'alive', claimed_at = $1, lease_until = $1 + 60000",
    )
        .bind(app.now())
        .execute(&app.db.pool)
        .await
        .unwrap();
    app.create_client(&owner, "Cy", "Oh", "cy@example.com")
        .await;
    app.wait_for_mail(4).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let n = app.scalar("SELECT COUNT(*) FROM dev_mailbox").await;
    assert_eq!(n, 4, "emails claimed moments ago are not taken over");
}

#[tokio::test]
async fn a_change_that_fails_leaves_no_email_behind() {
    use porchlight::server::db::Backend;
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    // Make writing to the outbox fail, as a full disk or a crash mid-way would.
    match app.db.backend {
        Backend::Sqlite => {
            sqlx::query(
                "CREATE TRIGGER fail_outbox AFTER INSERT ON email_outbox
                 BEGIN SELECT RAISE(ABORT, 'outbox unavailable'); END",
            )
            .execute(&app.db.pool)
            .await
            .unwrap();
        }
        Backend::Postgres => {
            for sql in [
                "CREATE FUNCTION fail_outbox() RETURNS trigger AS $$
                 BEGIN RAISE EXCEPTION 'outbox unavailable'; END $$ LANGUAGE plpgsql",
                "CREATE TRIGGER fail_outbox AFTER INSERT ON email_outbox
                 FOR EACH ROW EXECUTE FUNCTION fail_outbox()",
            ] {
                sqlx::query(sql).execute(&app.db.pool).await.unwrap();
            }
        }
    }
    let resp = app
        .create_client(&owner, "Ann", "Lee", "ann@example.com")
        .await;
    assert_eq!(resp.status, 500);
    assert_eq!(
        resp.json(),
        json!("Internal"),
        "the cause stays on the server"
    );
    for table in ["clients", "invitations", "email_outbox"] {
        let n = app.scalar(&format!("SELECT COUNT(*) FROM {table}")).await;
        assert_eq!(n, 0, "{table} has a row from the failed change");
    }
}

#[tokio::test]
async fn an_expired_link_can_ask_for_a_new_one_sent_to_the_invited_address_at_most_every_15_minutes()
 {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let id = app
        .create_client_id(&owner, "Ann", "Lee", "ann@example.com")
        .await;
    let old = app.wait_for_mail(1).await.remove(0).token();
    app.pass_invitation_lifetime();

    let unknown = app
        .call("request_new_link", &[("token", "nope")], None)
        .await;
    let renewed = app.call("request_new_link", &[("token", &old)], None).await;
    assert_eq!(
        (renewed.status, &renewed.body),
        (unknown.status, &unknown.body),
        "same answer for every link"
    );
    let fresh = app.wait_for_mail(2).await.remove(1);
    assert_eq!(fresh.to, "ann@example.com");
    let page = app
        .get(&format!("/activate/{}", fresh.token()), None)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Choose a password"));

    // Asking again at once sends nothing more.
    app.call("request_new_link", &[("token", &old)], None).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let n = app.scalar("SELECT COUNT(*) FROM email_outbox").await;
    assert_eq!(n, 2);

    let owner = app.owner_session().await;
    assert!(
        app.timeline(&owner, id)
            .await
            .iter()
            .any(|t| t == "The client asked for a new link (the old one had expired)"),
        "the admin sees it in the timeline"
    );
}
