//! Email over a real SMTP server process (aiosmtpd).

use porchlight::server::mail::failure::Failure;

use crate::helpers::*;

async fn wait_for_status(app: &TestApp, cookie: &str, status: &str) -> serde_json::Value {
    for _ in 0..100 {
        let rows = app.client_rows(cookie).await;
        if rows.first().is_some_and(|r| r["status"] == status) {
            return rows[0].clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the client never reached status {status}");
}

#[tokio::test]
async fn an_invitation_arrives_over_smtp_with_both_parts_and_a_working_link() {
    let smtp = SmtpServer::start();
    let app = spawn_app_with(|c| c.smtp_url = Some(smtp.url())).await;
    let owner = app.setup_owner().await;
    app.create_client(&owner, "Ann", "Lee", "ann@example.com")
        .await;

    let raw = smtp.wait_for(1).await.remove(0);
    assert!(raw.contains("To: ann@example.com"), "{raw}");
    assert!(
        raw.contains("Subject: Activate your North Tutors portal account"),
        "{raw}"
    );
    assert!(raw.contains("multipart/alternative"), "{raw}");
    assert!(
        raw.contains("text/plain") && raw.contains("text/html"),
        "{raw}"
    );
    let decoded = decode_quoted_printable(&raw);
    assert!(decoded.contains("Olive Owner invited you to the North Tutors portal"));
    assert!(
        decoded.contains("<a href=\"http://127.0.0.1:"),
        "the HTML part links"
    );
    let mail = Mail {
        to: String::new(),
        subject: String::new(),
        text: decoded,
        html: String::new(),
    };
    let token = mail.token();

    let row = wait_for_status(&app, &owner, "Sent").await;
    assert_eq!(row["status_text"], "Invitation sent just now");
    let page = app.activation_page(&token).await;
    assert!(page.contains("Choose a password"));
    let done = app.activate(&token, "a brand new password").await;
    assert_eq!(done.status, 200, "{}", done.body);
    // Nothing went to the development mailbox.
    let n = app.scalar("SELECT COUNT(*) FROM dev_mailbox").await;
    assert_eq!(n, 0);
}

#[tokio::test]
async fn a_permanent_refusal_shows_the_servers_reply() {
    let smtp = SmtpServer::start();
    let app = spawn_app_with(|c| c.smtp_url = Some(smtp.url())).await;
    let owner = app.setup_owner().await;
    app.create_client(&owner, "Rex", "Jected", "reject-me@example.com")
        .await;
    let row = wait_for_status(&app, &owner, "EmailFailed").await;
    let text = row["status_text"].as_str().unwrap();
    assert!(
        text.starts_with("Email failed:") && text.contains("mailbox unknown"),
        "{text}"
    );
    let attempts: Vec<(String,)> = sqlx::query_as("SELECT outcome FROM email_attempts")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(
        attempts,
        [("permanent".to_owned(),)],
        "no retry after a 5xx"
    );
}

#[tokio::test]
async fn a_temporary_refusal_is_retried_later() {
    let smtp = SmtpServer::start();
    let app = spawn_app_with(|c| c.smtp_url = Some(smtp.url())).await;
    let owner = app.setup_owner().await;
    app.create_client(&owner, "Bea", "Zee", "busy@example.com")
        .await;
    for _ in 0..100 {
        let n = app.scalar("SELECT COUNT(*) FROM email_attempts").await;
        if n > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let (outcome, detail, retry_at): (String, String, i64) =
        sqlx::query_as("SELECT outcome, detail, retry_at FROM email_attempts")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(outcome, "temporary");
    assert!(detail.contains("try again later"), "{detail}");
    let (status, next): (String, i64) =
        sqlx::query_as("SELECT status, next_attempt_at FROM email_outbox")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(status, "queued");
    assert_eq!(next, retry_at);
    assert!(
        retry_at - app.now() > 20_000,
        "the first retry waits about 30 s"
    );
    assert_eq!(
        wait_for_status(&app, &owner, "Queued").await["status_text"],
        "Invitation queued"
    );
}

#[tokio::test]
async fn temporary_failures_give_up_after_the_configured_attempts() {
    let smtp = SmtpServer::start();
    let app = spawn_app_with(|c| {
        c.smtp_url = Some(smtp.url());
        c.worker.max_attempts = 1;
    })
    .await;
    let owner = app.setup_owner().await;
    app.create_client(&owner, "Bea", "Zee", "busy@example.com")
        .await;
    let row = wait_for_status(&app, &owner, "EmailFailed").await;
    let text = row["status_text"].as_str().unwrap();
    assert!(
        text.starts_with("Email failed: gave up after 1 attempt:"),
        "{text}"
    );
}

/// A submission server (STARTTLS, then AUTH) and the URL to reach it with.
fn submission(password: &str) -> (SmtpServer, url::Url) {
    let smtp = SmtpServer::start_submission("porchlight", "s3cret pass");
    let url = format!(
        "smtp://porchlight:{password}@127.0.0.1:{}?tls=required",
        smtp.port
    )
    .parse()
    .unwrap();
    (smtp, url)
}

async fn first_attempt(app: &TestApp) -> (String, String) {
    for _ in 0..100 {
        let attempt: Option<(String, Option<String>)> =
            sqlx::query_as("SELECT outcome, detail FROM email_attempts ORDER BY id LIMIT 1")
                .fetch_optional(&app.db.pool)
                .await
                .unwrap();
        if let Some((outcome, detail)) = attempt {
            return (outcome, detail.unwrap_or_default());
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no delivery attempt was made");
}

#[tokio::test]
async fn mail_goes_over_starttls_with_auth_to_a_server_the_ca_file_vouches_for() {
    let (smtp, url) = submission("s3cret%20pass");
    let ca = std::fs::read(smtp.ca_file()).unwrap();
    let app = spawn_app_with(|c| {
        c.smtp_url = Some(url);
        c.smtp_ca = Some(ca);
    })
    .await;
    let owner = app.setup_owner().await;
    app.create_client(&owner, "Ann", "Lee", "ann@example.com")
        .await;
    let raw = smtp.wait_for(1).await.remove(0);
    assert!(raw.contains("To: ann@example.com"), "{raw}");
    assert_eq!(
        wait_for_status(&app, &owner, "Sent").await["status_text"],
        "Invitation sent just now"
    );
}

#[tokio::test]
async fn a_wrong_smtp_password_fails_the_email_with_the_servers_reply() {
    let (smtp, url) = submission("wrong");
    let ca = std::fs::read(smtp.ca_file()).unwrap();
    let app = spawn_app_with(|c| {
        c.smtp_url = Some(url);
        c.smtp_ca = Some(ca);
    })
    .await;
    let owner = app.setup_owner().await;
    app.create_client(&owner, "Ann", "Lee", "ann@example.com")
        .await;
    let (outcome, detail) = first_attempt(&app).await;
    assert_eq!(outcome, "permanent", "{detail}");
    assert!(detail.contains("535"), "{detail}");
    assert!(
        !detail.contains("wrong"),
        "the password is not in the log: {detail}"
    );
}

#[tokio::test]
async fn an_untrusted_certificate_is_never_sent_to() {
    // No SMTP_CA_FILE: the throwaway authority is not trusted.
    let (smtp, url) = submission("s3cret%20pass");
    let app = spawn_app_with(|c| c.smtp_url = Some(url)).await;
    let owner = app.setup_owner().await;
    app.create_client(&owner, "Ann", "Lee", "ann@example.com")
        .await;
    let (outcome, detail) = first_attempt(&app).await;
    assert_eq!(outcome, "temporary", "{detail}");
    assert!(detail.to_lowercase().contains("certificate"), "{detail}");
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let delivered = std::fs::read_dir(smtp.dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .any(|e| e.path().extension().is_some_and(|x| x == "eml"));
    assert!(!delivered, "nothing was handed over");
}

#[tokio::test]
async fn a_server_that_stops_answering_delays_the_email_and_frees_the_worker() {
    // Accepts connections and never says a word: not even the greeting.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let app = spawn_app_with(|c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{port}").parse().unwrap());
        c.worker.send_deadline = std::time::Duration::from_millis(500);
    })
    .await;
    let owner = app.setup_owner().await;
    app.create_client(&owner, "Ann", "Lee", "ann@example.com")
        .await;
    let (outcome, detail) = first_attempt(&app).await;
    assert_eq!(outcome, "temporary");
    assert_eq!(
        Failure::from_stored(&detail).to_string(),
        "the mail server did not answer in time"
    );
    // Back in the queue for a later retry, not stuck as 'sending'.
    let (status,): (String,) = sqlx::query_as("SELECT status FROM email_outbox")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(status, "queued");
    assert_eq!(
        wait_for_status(&app, &owner, "Queued").await["status_text"],
        "Invitation queued"
    );
    drop(silent);
}

#[tokio::test]
async fn an_international_domain_is_delivered_in_its_ascii_form() {
    let smtp = SmtpServer::start();
    let app = spawn_app_with(|c| c.smtp_url = Some(smtp.url())).await;
    let owner = app.setup_owner().await;
    let created = app
        .create_client(&owner, "Björn", "Bücher", "someone@bücher.example")
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    let raw = smtp.wait_for(1).await.remove(0);
    assert!(raw.contains("someone@xn--bcher-kva.example"), "{raw}");
    wait_for_status(&app, &owner, "Sent").await;
}

#[tokio::test]
async fn an_address_no_server_takes_is_refused_at_its_field() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let refused = app
        .create_client(&owner, "Zoë", "Lee", "zoë@example.com")
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(refused.json()["Invalid"][0]["field"], "email");
}
