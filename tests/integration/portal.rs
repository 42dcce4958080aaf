//! The client portal's switch and address: while it is off clients and
//! collaborators are kept out and invitation email waits; the front door at
//! `/o/<slug>`; old addresses redirect and are kept for a year; the access
//! switch of a member never invited sends their first invitation.

use reqwest::StatusCode;

use crate::helpers::*;

const SLUG: &str = "north-tutors";

/// Saves Settings → Client portal as `cookie`.
async fn save_portal(app: &TestApp, cookie: &str, on: bool, slug: &str) -> FnResponse {
    let mut fields = vec![("slug", slug)];
    if on {
        fields.push(("portal_enabled", "on"));
    }
    save_settings(app, cookie, "portal", &fields).await
}

/// How many emails the outbox holds queued for `to`.
async fn queued_for(app: &TestApp, to: &str) -> i64 {
    app.scalar(&format!(
        "SELECT COUNT(*) FROM email_outbox WHERE recipient = '{to}' AND status = 'queued'"
    ))
    .await
}

#[tokio::test]
async fn while_the_portal_is_off_clients_are_kept_out_and_invitations_wait() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    // Ana is active, Bo invited, before the portal closes.
    app.create_client(&owner, "Ana", "Active", "ana@example.com")
        .await;
    let ana_link = app.wait_for_mail_to("ana@example.com").await.token();
    let activated = app.activate(&ana_link, FIXTURE_PASSWORD).await;
    assert!(activated.status.is_redirection() || activated.status.is_success());
    let ana = activated.session_cookie().expect("Ana is signed in");
    let bo = app
        .create_client_id(&owner, "Bo", "Invited", "bo@example.com")
        .await;
    let bo_link = app.wait_for_mail_to("bo@example.com").await.token();
    let sent_before = app.wait_for_mail(2).await.len();
    assert_eq!(app.call("dashboard", &[], Some(&ana)).await.status, 200);

    let resp = save_portal(&app, &owner, false, SLUG).await;
    assert_eq!(resp.status, 200, "{}", resp.body);

    // Ana's session ends and she cannot sign in: she is told why (her
    // password was right, so this tells nothing new).
    assert_eq!(app.call("dashboard", &[], Some(&ana)).await.status, 401);
    let login = app.login("ana@example.com", FIXTURE_PASSWORD).await;
    assert_eq!(login.status, 409, "{}", login.body);
    assert!(login.says().contains("closed for now"), "{}", login.says());
    // A wrong password says exactly what it says for an unknown address.
    let wrong = app.login("ana@example.com", "not her password").await;
    let unknown = app.login("nobody@example.com", "not her password").await;
    assert_eq!(wrong.status, unknown.status);
    assert_eq!(wrong.says(), unknown.says());

    // Bo's link says the portal is closed and accepts nothing.
    assert!(
        app.activation_page(&bo_link)
            .await
            .contains("closed for now")
    );
    let refused = app.activate(&bo_link, FIXTURE_PASSWORD).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM clients WHERE id = {bo} AND user_id IS NOT NULL"
        ))
        .await,
        0
    );

    // Sign-up pages say so too, and take nothing.
    let signup = save_settings(
        &app,
        &owner,
        "signup",
        &[("signup_mode", "clients"), ("signup_approval", "automatic")],
    )
    .await;
    assert_eq!(signup.status, 200, "{}", signup.body);
    let page = app
        .get(&format!("/o/{SLUG}/signup"), None)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("closed for now"), "{page}");
    let applied = app
        .call(
            "sign_up",
            &[
                ("slug", SLUG),
                ("first_name", "Pat"),
                ("last_name", "Applicant"),
                ("username", "pat"),
                ("email", "pat@example.com"),
                ("password", FIXTURE_PASSWORD),
            ],
            None,
        )
        .await;
    assert_eq!(applied.status, 409, "{}", applied.body);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM signups").await, 0);

    // Staff work as before; an explicit send is refused with the reason, an
    // automatic invitation is made and its email waits.
    let resend = app.send_invitation(&owner, bo).await;
    assert_eq!(resend.status, 409, "{}", resend.body);
    assert!(resend.says().contains("portal is off"), "{}", resend.says());
    app.create_client(&owner, "Cy", "Later", "cy@example.com")
        .await;
    assert_eq!(queued_for(&app, "cy@example.com").await, 1);
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    let held = app.scalar("SELECT COUNT(*) FROM dev_mailbox").await;
    assert_eq!(
        held as usize, sent_before,
        "nothing is sent while the portal is off"
    );
    assert_eq!(queued_for(&app, "cy@example.com").await, 1);

    // On again: Cy's invitation goes, once; Ana and Bo get in.
    let resp = save_portal(&app, &owner, true, SLUG).await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    let cy = app.wait_for_mail_to("cy@example.com").await;
    assert!(cy.text.contains("/activate/"));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM dev_mailbox WHERE recipient = 'cy@example.com'")
            .await,
        1
    );
    assert_eq!(
        app.login("ana@example.com", FIXTURE_PASSWORD).await.status,
        200
    );
    // Her old session ended when the portal closed: it does not come back.
    assert_eq!(app.call("dashboard", &[], Some(&ana)).await.status, 401);
    let accepted = app.activate(&bo_link, FIXTURE_PASSWORD).await;
    assert!(
        accepted.session_cookie().is_some(),
        "{} {}",
        accepted.status,
        accepted.body
    );
}

#[tokio::test]
async fn staff_keep_working_and_see_why_while_the_portal_is_off() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    assert_eq!(save_portal(&app, &owner, false, SLUG).await.status, 200);
    // The owner signs in again: staff are never kept out, and a member of
    // staff is invited and joins as usual.
    let owner = app.owner_session().await;
    let (_, sam) = app.add_member(&owner, "sam@example.com", "staff").await;
    assert_eq!(app.call("current_shell", &[], Some(&sam)).await.status, 200);
    let shell = app.call("current_shell", &[], Some(&owner)).await;
    assert_eq!(shell.status, 200, "{}", shell.body);
    assert_eq!(shell.json()["portal_enabled"], false);
    let page = app
        .get("/clients", Some(&owner))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("The client portal is off"), "{page}");
    let settings = app.call("organization_settings", &[], Some(&owner)).await;
    assert_eq!(settings.json()["portal_enabled"], false);
}

#[tokio::test]
async fn a_portal_address_follows_the_rules_and_an_old_one_redirects_for_a_year() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    for (slug, says) in [
        ("admin", "kept for the site"),
        ("No Caps", "lowercase"),
        ("ab", "characters"),
    ] {
        let resp = save_portal(&app, &owner, true, slug).await;
        assert_eq!(resp.status, 422, "{slug}: {}", resp.body);
        assert!(resp.says().contains(says), "{slug}: {}", resp.says());
    }
    let resp = save_portal(&app, &owner, true, "north").await;
    assert_eq!(resp.status, 200, "{}", resp.body);

    // The old address redirects, its path and query kept.
    let old = app.get(&format!("/o/{SLUG}"), None).await;
    assert_eq!(old.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(location(&old), Some("/o/north"));
    let signup = app.get(&format!("/o/{SLUG}/signup?from=mail"), None).await;
    assert_eq!(location(&signup), Some("/o/north/signup?from=mail"));
    let door = app.get("/o/north", None).await;
    assert_eq!(door.status(), StatusCode::OK);
    let html = door.text().await.unwrap();
    assert!(html.contains("Sign in to North Tutors"), "{html}");
    assert_eq!(
        app.get("/o/nobody-here", None).await.status(),
        StatusCode::NOT_FOUND
    );

    // No other organization may take it within the year, as a new
    // organization or by renaming.
    let made = app
        .call(
            "create_organization",
            &[
                ("request_key", request_key().as_str()),
                ("organization_name", "Copycat"),
                ("organization_slug", SLUG),
            ],
            Some(&owner),
        )
        .await;
    assert_eq!(made.status, 422, "{}", made.body);
    assert!(made.says().contains("taken"), "{}", made.says());
    let south = app
        .create_organization(&owner, "South Tutors", "south-tutors")
        .await;
    let taken = save_portal(&app, &south, true, SLUG).await;
    assert_eq!(taken.status, 422, "{}", taken.body);
    let current = save_portal(&app, &south, true, "north").await;
    assert_eq!(current.status, 422, "another's current address");

    // A year on, it is free: South takes it and it leads to South.
    app.advance(std::time::Duration::from_secs(366 * 24 * 3600));
    let owner = app.owner_session().await;
    let south_id = app
        .scalar("SELECT id FROM organizations WHERE name = 'South Tutors'")
        .await;
    let south = app
        .call(
            "switch_organization",
            &[("organization_id", &south_id.to_string())],
            Some(&owner),
        )
        .await
        .session_cookie()
        .expect("the owner works in South now");
    let resp = save_portal(&app, &south, true, SLUG).await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    let door = app.get(&format!("/o/{SLUG}"), None).await;
    assert_eq!(door.status(), StatusCode::OK);
    assert!(door.text().await.unwrap().contains("South Tutors"));
    // South's own old address leads to its new one.
    assert_eq!(
        location(&app.get("/o/south-tutors", None).await),
        Some(&*format!("/o/{SLUG}"))
    );
}

#[tokio::test]
async fn an_organization_may_take_its_own_old_address_back() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    assert_eq!(save_portal(&app, &owner, true, "north").await.status, 200);
    assert_eq!(save_portal(&app, &owner, true, SLUG).await.status, 200);
    let door = app.get(&format!("/o/{SLUG}"), None).await;
    assert_eq!(door.status(), StatusCode::OK);
    assert_eq!(
        location(&app.get("/o/north", None).await),
        Some(&*format!("/o/{SLUG}"))
    );
}

#[tokio::test]
async fn signing_in_at_a_front_door_lands_in_that_organization() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let south = app
        .create_organization(&owner, "South Tutors", "south-tutors")
        .await;
    assert!(!south.is_empty());
    let app = &app;
    let at = |slug: &'static str| async move {
        let resp = app
            .call(
                "login",
                &[
                    ("email", OWNER_EMAIL),
                    ("password", OWNER_PASSWORD),
                    ("organization", slug),
                ],
                None,
            )
            .await;
        let cookie = resp.session_cookie().expect("signed in");
        app.call("current_shell", &[], Some(&cookie)).await.json()["organization_name"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(at("south-tutors").await, "South Tutors");
    assert_eq!(at(SLUG).await, "North Tutors");
}

#[tokio::test]
async fn turning_access_on_for_someone_never_invited_sends_their_first_invitation() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    turn_off_auto_invite(&app, &owner).await;
    let dee = app
        .create_client_id(&owner, "Dee", "Never", "dee@example.com")
        .await;
    let rows = app.client_rows(&owner).await;
    assert_eq!(rows[0]["status"], "NotInvited");
    let resp = app.set_access(&owner, dee, true).await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    assert!(
        app.wait_for_mail_to("dee@example.com")
            .await
            .text
            .contains("/activate/")
    );
    // Turned on again: nothing more is sent.
    let again = app.set_access(&owner, dee, true).await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM email_outbox WHERE recipient = 'dee@example.com'")
            .await,
        1,
        "one email"
    );
    // Someone without an address is told why nothing happens.
    let eve = app.create_client_id(&owner, "Eve", "Nomail", "").await;
    let resp = app.set_access(&owner, eve, true).await;
    assert_eq!(resp.status, 409, "{}", resp.body);
}

#[tokio::test]
async fn an_invitation_held_while_the_portal_is_off_works_when_it_opens() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    app.create_client(&owner, "Bo", "Before", "bo@example.com")
        .await;
    let bo_link = app.wait_for_mail_to("bo@example.com").await.token();
    assert_eq!(save_portal(&app, &owner, false, SLUG).await.status, 200);
    app.create_client(&owner, "Cy", "Held", "cy@example.com")
        .await;
    // Longer than an invitation lasts.
    app.pass_invitation_lifetime();
    // Bo's link expired meanwhile, but says first that the portal is
    // closed, and offers no new link while it is.
    let page = app.activation_page(&bo_link).await;
    assert!(page.contains("closed for now"), "{page}");
    let renew = app
        .call("request_new_link", &[("token", &bo_link)], None)
        .await;
    assert_eq!(renew.status, 200, "answers as for any link");
    assert_eq!(queued_for(&app, "bo@example.com").await, 0);

    // Open again: Cy's waiting invitation works for a full lifetime.
    let owner = app.owner_session().await;
    assert_eq!(save_portal(&app, &owner, true, SLUG).await.status, 200);
    let cy_link = app.wait_for_mail_to("cy@example.com").await.token();
    let accepted = app.activate(&cy_link, FIXTURE_PASSWORD).await;
    assert!(
        accepted.session_cookie().is_some(),
        "{} {}",
        accepted.status,
        accepted.body
    );
}
