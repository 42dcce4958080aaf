//! Live status: `GET /events` streams an organization's changes to its staff.

use std::time::Duration;

use reqwest::header::COOKIE;

use crate::helpers::*;

/// An open event stream.
struct Stream {
    response: reqwest::Response,
    buffer: String,
}

impl Stream {
    async fn open(app: &TestApp, cookie: &str) -> Stream {
        let response = app
            .client
            .get(format!("{}/events", app.address))
            .header(COOKIE, cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"],
            "text/event-stream",
            "server-sent events"
        );
        Stream {
            response,
            buffer: String::new(),
        }
    }

    /// The next event as "kind data", or None if nothing comes `within`.
    async fn next(&mut self, within: Duration) -> Option<String> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let field = |name: &str| {
                    block
                        .lines()
                        .find_map(|l| l.strip_prefix(name))
                        .map(str::trim)
                        .map(str::to_owned)
                };
                if let (Some(kind), Some(data)) = (field("event:"), field("data:")) {
                    return Some(format!("{kind} {data}"));
                }
                continue; // a keep-alive comment
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk())
                .await
                .ok()?
                .unwrap()?;
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// The next events are exactly `expected`, in order (each given up to
    /// 10 s), and nothing more comes within half a second.
    async fn expect_exactly(&mut self, expected: &[&str]) {
        for (n, want) in expected.iter().enumerate() {
            let got = self.next(Duration::from_secs(10)).await;
            assert_eq!(got.as_deref(), Some(*want), "event {n} of {expected:?}");
        }
        let extra = self.next(Duration::from_millis(500)).await;
        assert_eq!(extra, None, "after {expected:?}");
    }

    /// Waits for an event about `client_id`, skipping others.
    async fn expect_client(&mut self, client_id: i64) {
        let wanted = client_id.to_string();
        while let Some(event) = self.next(Duration::from_secs(5)).await {
            if event
                .strip_prefix("clients ")
                .is_some_and(|ids| ids.split(',').any(|id| id == wanted))
            {
                return;
            }
        }
        panic!("no event about client {client_id}");
    }
}

#[tokio::test]
async fn staff_hear_their_own_organization_only() {
    let app = spawn_app().await;
    let north = app.setup_owner().await;
    let south = app
        .create_organization(&north, "South Tutors", "south-tutors")
        .await;
    // `north` switched to South when creating it; sign in again for North.
    let north = app
        .login(OWNER_EMAIL, OWNER_PASSWORD)
        .await
        .session_cookie()
        .unwrap();

    let mut north_stream = Stream::open(&app, &north).await;
    let mut south_stream = Stream::open(&app, &south).await;
    let in_south = app
        .create_client_id(&south, "Sam", "South", "sam@example.com")
        .await;
    south_stream.expect_client(in_south).await;
    let in_north = app
        .create_client_id(&north, "Nia", "North", "nia@example.com")
        .await;
    north_stream.expect_client(in_north).await;
    // North heard its own client's creation and delivery, nothing of South's.
    while let Some(event) = north_stream.next(Duration::from_millis(500)).await {
        assert!(
            !event.contains(&in_south.to_string()),
            "North heard about South's client: {event}"
        );
    }
}

#[tokio::test]
async fn a_client_s_stream_names_only_the_members_of_their_own_account() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    assert_eq!(app.get("/events", None).await.status(), 401);
    let ann = app
        .create_client_id(&owner, "Ann", "Lee", "ann@example.com")
        .await;
    let token = app.wait_for_mail_to("ann@example.com").await.token();
    let client = app
        .activate(&token, "a brand new password")
        .await
        .session_cookie()
        .unwrap();
    let mut stream = Stream::open(&app, &client).await;

    // Another client of the organization comes and is invited: not hers.
    let bo = app
        .create_client_id(&owner, "Bo", "Other", "bo@example.com")
        .await;
    app.wait_for_mail_to("bo@example.com").await;
    // A document shared with her account: her page hears about her.
    let account = app
        .scalar(&format!("SELECT account_id FROM clients WHERE id = {ann}"))
        .await;
    let part = reqwest::multipart::Part::bytes(b"%PDF-1.7\n%%EOF\n".to_vec()).file_name("a.pdf");
    let uploaded = app
        .client
        .post(format!("{}/accounts/{account}/documents", app.address))
        .header(COOKIE, &owner)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.status(), 303);
    let mut heard = Vec::new();
    while let Some(event) = stream.next(Duration::from_secs(2)).await {
        heard.push(event);
    }
    assert!(heard.contains(&format!("clients {ann}")), "{heard:?}");
    for event in &heard {
        let ids = event
            .strip_prefix("clients ")
            .unwrap_or_else(|| panic!("only client changes: {event}"));
        assert!(
            ids.split(',').all(|id| id == ann.to_string()),
            "she heard of someone else (Bo is {bo}): {heard:?}"
        );
    }
}

#[tokio::test]
async fn delivery_activation_and_sign_in_are_announced() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let mut stream = Stream::open(&app, &owner).await;
    let id = app
        .create_client_id(&owner, "Ann", "Lee", "ann@example.com")
        .await;
    let token = app.wait_for_mail(1).await.remove(0).token();
    let about = format!("clients {id}");
    // Exactly: created, then delivered by the worker.
    stream.expect_exactly(&[&about, &about]).await;
    app.activate(&token, "a brand new password").await;
    stream.expect_exactly(&[&about]).await; // activated
    app.login("ann@example.com", "a brand new password").await;
    stream.expect_exactly(&[&about]).await; // signed in
}

#[tokio::test]
async fn one_person_holds_a_bounded_number_of_streams() {
    use porchlight::server::events::STREAMS_PER_PERSON;
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let mut open = Vec::new();
    for _ in 0..STREAMS_PER_PERSON {
        open.push(Stream::open(&app, &owner).await);
    }
    assert_eq!(app.get("/events", Some(&owner)).await.status(), 429);
    // Closing one frees its place.
    drop(open.pop());
    for _ in 0..50 {
        if app.get("/events", Some(&owner)).await.status() == 200 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("a closed stream's place was not freed");
}

#[tokio::test]
#[ignore = "PostgreSQL only (one process per SQLite database): `make test-postgres` runs it"]
async fn events_cross_between_two_servers_on_one_postgresql_database() {
    assert!(on_postgres(), "needs PORCHLIGHT_TEST_POSTGRES_URL");
    let first = spawn_app().await;
    let owner = first.setup_owner().await;
    let second = first.replica().await;
    // The session lives in the shared database: it works on both servers.
    let mut on_second = Stream::open(&second, &owner).await;
    let id = first
        .create_client_id(&owner, "Ann", "Lee", "ann@example.com")
        .await;
    on_second.expect_client(id).await;
}
