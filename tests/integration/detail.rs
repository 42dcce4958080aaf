use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn the_timeline_tells_the_whole_story_newest_first() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let id = app
        .create_client_id(&owner, "Ann", "Lee", "ann@example.com")
        .await;
    let token = app.wait_for_mail(1).await.remove(0).token();
    app.activate(&token, "a brand new password").await;
    let texts = app.timeline(&owner, id).await;
    assert_eq!(texts.len(), 6, "{texts:#?}");
    assert_eq!(texts[0], "Signed in");
    assert!(
        texts.contains(&"Confirmed: invitation #1 accepted".to_owned()),
        "{texts:#?}"
    );
    assert!(
        texts.contains(&"Email #1 accepted by the mail server".to_owned()),
        "{texts:#?}"
    );
    assert!(
        texts.contains(&"Email #1 to ann@example.com queued".to_owned()),
        "{texts:#?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("Invitation to ann@example.com by Olive Owner, expires ")),
        "{texts:#?}"
    );
    assert_eq!(texts.last().unwrap(), "Created by Olive Owner");
}

#[tokio::test]
async fn an_email_added_later_can_then_be_invited_and_a_changed_email_revokes_the_old_link() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let id = app.create_client_id(&owner, "No", "Mail", "").await;
    let id_s = id.to_string();
    let bad = app
        .call(
            "change_client_email",
            &[("client_id", &id_s), ("email", "nope")],
            Some(&owner),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["Invalid"][0]["field"], "email");

    let set = app
        .call(
            "change_client_email",
            &[("client_id", &id_s), ("email", "first@example.com")],
            Some(&owner),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.body);
    assert_eq!(
        app.client_rows(&owner).await[0]["status_text"],
        "Not invited"
    );
    app.call("send_invitation", &[("client_id", &id_s)], Some(&owner))
        .await;
    let old = app.wait_for_mail(1).await.remove(0).token();

    app.call(
        "change_client_email",
        &[("client_id", &id_s), ("email", "second@example.com")],
        Some(&owner),
    )
    .await;
    let page = app.activation_page(&old).await;
    assert!(
        page.contains("This link can no longer be used"),
        "the link to the old address is revoked"
    );
    app.call("send_invitation", &[("client_id", &id_s)], Some(&owner))
        .await;
    assert_eq!(app.wait_for_mail(2).await[1].to, "second@example.com");
}

#[tokio::test]
async fn every_client_function_answers_not_found_for_another_organizations_client() {
    let app = spawn_app().await;
    let north = app.setup_owner().await;
    let id = app
        .create_client_id(&north, "Ann", "Lee", "ann@example.com")
        .await
        .to_string();
    let south = app.create_organization(&north, "South", "south").await;
    for (endpoint, args) in [
        ("get_client", vec![("client_id", id.as_str())]),
        ("send_invitation", vec![("client_id", id.as_str())]),
        (
            "set_client_access",
            vec![("client_id", id.as_str()), ("enabled", "false")],
        ),
        (
            "change_client_email",
            vec![("client_id", id.as_str()), ("email", "x@example.com")],
        ),
    ] {
        let resp = app.call(endpoint, &args, Some(&south)).await;
        assert_eq!((endpoint, resp.status.as_u16()), (endpoint, 404));
        assert_eq!(resp.json(), json!("NotFound"));
    }
    let (email,): (Option<String>,) = sqlx::query_as("SELECT email FROM clients")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(email.as_deref(), Some("ann@example.com"));
}
