//! Languages and time zones: emails and pages are written in the reader's
//! language (their own choice, else the one chosen on their client record,
//! else the organization's; before signing in, the browser's where nobody
//! is known) and show dates in the organization's time zone.

use serde_json::Value;

use crate::helpers::*;

/// French by default, times in Toronto (or whatever `time_zone` says).
async fn set_language_and_zone(
    app: &TestApp,
    owner: &str,
    language: &str,
    zone: &str,
) -> FnResponse {
    save_settings(
        app,
        owner,
        "language",
        &[("default_language", language), ("time_zone", zone)],
    )
    .await
}

/// Adds the client Bo Park with `language` chosen for him.
async fn create_bo(app: &TestApp, owner: &str, language: &str) -> FnResponse {
    app.call(
        "create_client",
        &[
            ("request_key", request_key().as_str()),
            ("first_name", "Bo"),
            ("last_name", "Park"),
            ("email", "bo@example.com"),
            ("role", "client"),
            ("language", language),
        ],
        Some(owner),
    )
    .await
}

#[tokio::test]
async fn emails_follow_the_organizations_language_and_zone_unless_the_client_has_a_language() {
    // 4 Oct 2026, 02:30 UTC: a 30-day invitation ends on 3 Nov at 02:30 UTC,
    // which is still 2 Nov in Toronto.
    let app = spawn_app_with(|c| c.clock = Clock::fixed(1_791_081_000_000)).await;
    let owner = app.setup_owner().await;
    let saved = set_language_and_zone(&app, &owner, "fr", "America/Toronto").await;
    assert_eq!(saved.status, 200, "{}", saved.body);

    app.create_client(&owner, "Ann", "Lee", "ann@example.com")
        .await;
    let french = app.wait_for_mail(1).await.remove(0);
    assert_eq!(
        french.subject,
        "Activez votre compte sur le portail North Tutors"
    );
    assert!(
        french.text.contains("jusqu'au 2 nov. 2026"),
        "{}",
        french.text
    );
    assert!(french.html.contains(r#"<html lang="fr">"#));

    let english = create_bo(&app, &owner, "en").await;
    assert_eq!(english.status, 200, "{}", english.body);
    let english = app.wait_for_mail(2).await.remove(1);
    assert_eq!(english.subject, "Activate your North Tutors portal account");
    assert!(
        english.text.contains("until 2 Nov 2026"),
        "{}",
        english.text
    );
}

#[tokio::test]
async fn an_unknown_time_zone_or_language_is_refused_at_its_field_and_nothing_changes() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    for (language, zone, field) in [
        ("fr", "Mars/Olympus", "time_zone"),
        ("fr", "  ", "time_zone"),
        ("de", "Europe/Paris", "default_language"),
    ] {
        let refused = set_language_and_zone(&app, &owner, language, zone).await;
        assert_eq!(
            refused.status, 422,
            "{language:?} {zone:?}: {}",
            refused.body
        );
        assert!(refused.body.contains(field), "{}", refused.body);
    }
    let settings = app
        .call("organization_settings", &[], Some(&owner))
        .await
        .json();
    assert_eq!(settings["default_language"], "en");
    assert_eq!(settings["time_zone"], "UTC");

    // A zone is stored as the database spells it; a form without these
    // fields (or with them empty) leaves them as they are.
    let saved = set_language_and_zone(&app, &owner, "fr", "europe/paris").await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    // (This form leaves out the language and the zone.)
    turn_off_auto_invite(&app, &owner).await;
    let settings = app
        .call("organization_settings", &[], Some(&owner))
        .await
        .json();
    assert_eq!(settings["default_language"], "fr");
    assert_eq!(settings["time_zone"], "Europe/Paris");

    let refused = create_bo(&app, &owner, "xx").await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("language"), "{}", refused.body);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM clients").await, 0);
}

/// A client given French gets every email in French, in an organization
/// that writes in English: the invitation, the reset link, the notice that
/// the password changed.
#[tokio::test]
async fn a_client_given_a_language_gets_every_email_in_it() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    assert_eq!(create_bo(&app, &owner, "fr").await.status, 200);
    let invitation = app.wait_for_mail(1).await.remove(0);
    assert_eq!(
        invitation.subject,
        "Activez votre compte sur le portail North Tutors"
    );
    assert_eq!(
        app.activate(&invitation.token(), FIXTURE_PASSWORD)
            .await
            .status,
        200
    );

    app.call("forgot_password", &[("email", "bo@example.com")], None)
        .await;
    let reset = app.wait_for_mail(2).await.remove(1);
    assert_eq!(
        reset.subject,
        "Réinitialisez votre mot de passe pour North Tutors"
    );
    let token = reset.reset_token();
    let changed = app
        .call(
            "reset_password",
            &[("token", &token), ("password", "another long password")],
            None,
        )
        .await;
    assert!(
        changed.status.is_redirection() || changed.status.is_success(),
        "{}",
        changed.body
    );
    let notice = app.wait_for_mail(3).await.remove(2);
    assert_eq!(notice.subject, "Votre mot de passe a été modifié");
}

/// The `lang` of a page's `<html>`.
fn html_lang(page: &str) -> &str {
    page.split("<html lang=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no <html lang> in {page}"))
}

#[tokio::test]
async fn signed_out_pages_are_in_the_only_organizations_language_else_the_browsers() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    // One organization: its language, whatever the browser asks for.
    set_language_and_zone(&app, &owner, "fr", "UTC").await;
    let page = app.page_in("/login", None, "en-US,en").await;
    assert_eq!(html_lang(&page), "fr");
    assert!(page.contains("Mot de passe oublié\u{202f}?"), "{page}");

    // Two: nobody is known, the browser decides.
    app.create_organization(&owner, "South Tutors", "south-tutors")
        .await;
    let french = app.page_in("/login", None, "fr-CA,fr;q=0.9,en;q=0.8").await;
    assert_eq!(html_lang(&french), "fr");
    let english = app.page_in("/login", None, "en-GB").await;
    assert_eq!(html_lang(&english), "en");
    assert!(english.contains("Forgot your password?"));
    let german = app.page_in("/forgot", None, "de-DE,de;q=0.9").await;
    assert_eq!(html_lang(&german), "en", "none of ours: English");
}

#[tokio::test]
async fn a_link_opens_in_the_language_of_whoever_it_was_sent_to() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    // An English organization, a client given French: the activation page
    // is in French whatever the browser asks for, as his email was.
    assert_eq!(create_bo(&app, &owner, "fr").await.status, 200);
    let token = app.wait_for_mail(1).await.remove(0).token();
    let page = app
        .page_in(&format!("/activate/{token}"), None, "en-US,en")
        .await;
    assert_eq!(html_lang(&page), "fr");
    assert!(page.contains("Bienvenue chez North Tutors"), "{page}");
    assert!(page.contains("Choisissez un mot de passe"));

    // An unknown link names nobody: the only organization's language.
    let unknown = app.page_in("/activate/nope", None, "fr").await;
    assert_eq!(html_lang(&unknown), "en");

    // His reset link too, once he has an account.
    assert_eq!(app.activate(&token, FIXTURE_PASSWORD).await.status, 200);
    app.call("forgot_password", &[("email", "bo@example.com")], None)
        .await;
    let reset = app.wait_for_mail(2).await.remove(1).reset_token();
    let page = app.page_in(&format!("/reset/{reset}"), None, "en-US").await;
    assert_eq!(html_lang(&page), "fr");
    assert!(page.contains("Choisir un nouveau mot de passe"), "{page}");

    // The organization's own sign-up page is in its default language.
    set_language_and_zone(&app, &owner, "fr", "America/Toronto").await;
    let signup = app.page_in("/o/north-tutors/signup", None, "en-US").await;
    assert_eq!(html_lang(&signup), "fr");
}

#[tokio::test]
async fn a_person_reads_their_own_choice_before_the_organizations_and_keeps_it() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    set_language_and_zone(&app, &owner, "fr", "America/Toronto").await;

    // Staff read their organization's language, their statuses and dates
    // written on the server included.
    let clients = app.page_in("/clients", Some(&owner), "en-US").await;
    assert_eq!(html_lang(&clients), "fr");
    assert!(clients.contains("Ajouter un client"), "{clients}");
    app.create_client(&owner, "Ann", "Lee", "ann@example.com")
        .await;
    app.wait_for_mail(1).await;
    let rows = app.client_rows(&owner).await;
    let status = rows[0]["status_text"].as_str().unwrap();
    assert!(status.starts_with("Invitation envoyée"), "{status}");

    // A choice outside the catalogs is refused at its field.
    let refused = app
        .call("choose_language", &[("language", "de")], Some(&owner))
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(
        refused.error(),
        porchlight::model::AppError::field(
            "language",
            porchlight::model::Problem::LanguageFromList
        )
    );

    // Their own choice wins over the organization's, on every page and in
    // the words the server writes.
    let chosen = app
        .call("choose_language", &[("language", "en")], Some(&owner))
        .await;
    assert_eq!(chosen.status, 200, "{}", chosen.body);
    let clients = app.page_in("/clients", Some(&owner), "fr").await;
    assert_eq!(html_lang(&clients), "en");
    assert!(clients.contains("Add a client"));
    let rows = app.client_rows(&owner).await;
    let status = rows[0]["status_text"].as_str().unwrap();
    assert!(status.starts_with("Invitation sent"), "{status}");
    // And it is kept for their next sign-in.
    let again = app.login(OWNER_EMAIL, OWNER_PASSWORD).await;
    let cookie = again.session_cookie().unwrap();
    let clients = app.page_in("/clients", Some(&cookie), "fr").await;
    assert_eq!(html_lang(&clients), "en");
}

#[tokio::test]
async fn refusals_reach_the_page_as_values_it_words_in_its_language() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let refused = app
        .call(
            "create_client",
            &[
                ("request_key", request_key().as_str()),
                ("first_name", ""),
                ("last_name", "Lee"),
                ("email", "not an address"),
                ("role", "client"),
            ],
            Some(&owner),
        )
        .await;
    assert_eq!(refused.status, 422);
    let error = refused.error();
    let locale = porchlight::i18n::Locale::fr;
    assert_eq!(
        error.for_field("first_name").unwrap().text(locale),
        "Entrez un nom."
    );
    assert_eq!(
        error.for_field("email").unwrap().text(locale),
        "Entrez une adresse courriel comme nom@exemple.com."
    );
    assert_eq!(error.text(locale), "Veuillez corriger les champs signalés.");
}

#[tokio::test]
async fn staff_choose_a_clients_language_and_the_next_email_is_in_it() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    turn_off_auto_invite(&app, &owner).await;
    let id = app
        .create_client_id(&owner, "Ann", "Lee", "ann@example.com")
        .await;
    let choose = |language: &'static str| {
        let (app, owner) = (&app, &owner);
        async move {
            app.call(
                "change_client_language",
                &[("client_id", &id.to_string()), ("language", language)],
                Some(owner),
            )
            .await
        }
    };
    let refused = choose("xx").await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(app.client_rows(&owner).await[0]["language"], Value::Null);

    assert_eq!(choose("fr").await.status, 200);
    assert_eq!(app.client_rows(&owner).await[0]["language"], "fr");
    assert_eq!(app.send_invitation(&owner, id).await.status, 200);
    let invitation = app.wait_for_mail(1).await.remove(0);
    assert_eq!(
        invitation.subject,
        "Activez votre compte sur le portail North Tutors"
    );

    // Empty: back to the organization's language.
    assert_eq!(choose("").await.status, 200);
    assert_eq!(app.client_rows(&owner).await[0]["language"], Value::Null);
    assert_eq!(app.send_invitation(&owner, id).await.status, 200);
    let again = app.wait_for_mail(2).await.remove(1);
    assert_eq!(again.subject, "Activate your North Tutors portal account");
}
