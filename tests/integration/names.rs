//! One name rule for every name field: printable text only, trimmed,
//! length-limited, refused at the field (names reach email text).

use crate::helpers::*;

const HOSTILE: [&str; 6] = [
    "Ann\nBcc: someone@example.com",
    "Ann\r\nLee",
    "Ann\u{0}",
    "Ann\u{1b}[2J",
    "Ann\u{202E}eeL",
    "Ann\u{2028}Lee",
];

#[tokio::test]
async fn client_names_refuse_control_characters_at_the_field() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    for name in HOSTILE {
        for field in ["first_name", "last_name"] {
            let (first, last) = if field == "first_name" {
                (name, "Lee")
            } else {
                ("Ann", name)
            };
            let resp = app.create_client(&owner, first, last, "").await;
            assert_eq!(resp.status, 422, "{name:?}: {}", resp.body);
            assert_eq!(resp.json()["Invalid"][0]["field"], field, "{name:?}");
        }
    }
    let n = app.scalar("SELECT COUNT(*) FROM clients").await;
    assert_eq!(n, 0, "nothing written");
}

#[tokio::test]
async fn organization_and_applicant_names_follow_the_same_rule() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    for name in HOSTILE {
        let org = app
            .call(
                "create_organization",
                &[
                    ("request_key", request_key().as_str()),
                    ("organization_name", name),
                    ("organization_slug", "south-swim"),
                ],
                Some(&owner),
            )
            .await;
        assert_eq!(org.status, 422, "{name:?}: {}", org.body);
        assert_eq!(org.json()["Invalid"][0]["field"], "organization_name");
    }
    let settings = save_settings(&app, &owner, "signup", &[("signup_mode", "clients")]).await;
    assert_eq!(settings.status, 200, "{}", settings.body);
    for (n, name) in HOSTILE.iter().enumerate() {
        let email = format!("pat{n}@example.com");
        let resp = app
            .call(
                "sign_up",
                &[
                    ("slug", "north-tutors"),
                    ("first_name", name),
                    ("last_name", "Applicant"),
                    ("username", "pat"),
                    ("email", &email),
                    ("password", "a brand new password"),
                ],
                None,
            )
            .await;
        assert_eq!(resp.status, 422, "{name:?}: {}", resp.body);
        assert_eq!(resp.json()["Invalid"][0]["field"], "first_name");
    }
    let n = app.scalar("SELECT COUNT(*) FROM signups").await;
    assert_eq!(n, 0, "nothing written");
}

#[tokio::test]
async fn a_search_with_control_characters_or_of_any_length_still_answers() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    app.create_client(&owner, "Ann", "Lee", "").await;
    let long = "ann ".repeat(5_000);
    for search in ["ann\u{0}", "\u{202E}ann", long.as_str()] {
        let resp = app
            .call(
                "list_clients",
                &[("page", "1"), ("search", search)],
                Some(&owner),
            )
            .await;
        assert_eq!(resp.status, 200, "{search:?}: {}", resp.body);
    }
}
