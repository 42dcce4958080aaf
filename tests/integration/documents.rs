//! Documents and invoices: staff upload files to a client account, its
//! members read them while their permissions allow, with Uploads they add
//! their own (a "new upload" for staff until marked seen); files are typed
//! by their content, capped while they arrive, and kept whole or not at
//! all, in a folder or an S3 bucket; every upload and download is audited.

use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE, COOKIE, X_CONTENT_TYPE_OPTIONS};
use serde_json::Value;

use crate::helpers::*;

/// A small PDF (as its content says).
fn pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.7\n% {text}\n%%EOF\n").into_bytes()
}

/// Posts `bytes` named `name` to `path` as a file upload; returns where the
/// answer sends the browser.
async fn upload(app: &TestApp, cookie: &str, path: &str, name: &str, bytes: Vec<u8>) -> String {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
    let form = reqwest::multipart::Form::new().part("file", part);
    let resp = app
        .client
        .post(format!("{}{path}", app.address))
        .header(COOKIE, cookie)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303, "{path}: {}", resp.status());
    location(&resp).unwrap().to_owned()
}

/// The id of the file an upload answer names.
fn uploaded_id(to: &str) -> i64 {
    to.split_once("?uploaded=")
        .and_then(|(_, id)| id.parse().ok())
        .unwrap_or_else(|| panic!("not uploaded: {to}"))
}

async fn download(app: &TestApp, cookie: &str, id: i64) -> reqwest::Response {
    app.get(&format!("/documents/{id}/download"), Some(cookie))
        .await
}

/// Files kept under `dir`, at any depth.
fn files_in(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| {
                    if e.path().is_dir() {
                        files_in(&e.path())
                    } else {
                        1
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("a list: {list}"))
        .iter()
        .map(|d| d["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn staff_share_documents_and_invoices_and_only_the_account_s_members_read_them() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let (ana, ana_cookie) = app.active_client(&owner, "Ana", "ana@example.com").await;
    let (_, bo_cookie) = app.active_client(&owner, "Bo", "bo@example.com").await;
    let account = app.account_of(ana).await;
    let to_account = format!("/accounts/{account}/documents");

    // The browser's path and odd characters are cleaned off the name.
    let bytes = pdf("statement");
    let to = upload(
        &app,
        &owner,
        &to_account,
        "C:\\fakepath\\Relevé <2026>.pdf",
        bytes.clone(),
    )
    .await;
    assert!(
        to.starts_with(&format!("/accounts/{account}?uploaded=")),
        "{to}"
    );
    let statement = uploaded_id(&to);

    // Staff download it as an attachment of the type its content has.
    let got = download(&app, &owner, statement).await;
    assert_eq!(got.status(), 200);
    assert_eq!(got.headers()[CONTENT_TYPE], "application/pdf");
    assert_eq!(got.headers()[X_CONTENT_TYPE_OPTIONS], "nosniff");
    let disposition = got.headers()[CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(
        disposition.contains("filename*=UTF-8''Relev%C3%A9%20_2026_.pdf"),
        "{disposition}"
    );
    assert_eq!(got.bytes().await.unwrap().to_vec(), bytes);

    // Ana, a member, reads it; Bo (another account of the organization) and
    // another organization's staff do not even learn it exists.
    let mine = app.call("my_documents", &[], Some(&ana_cookie)).await;
    assert_eq!(names(&mine.json()), ["Relevé _2026_.pdf"]);
    assert_eq!(download(&app, &ana_cookie, statement).await.status(), 200);
    assert_eq!(download(&app, &bo_cookie, statement).await.status(), 404);
    let bo_docs = app.call("my_documents", &[], Some(&bo_cookie)).await;
    assert_eq!(names(&bo_docs.json()), Vec::<String>::new());
    assert_eq!(download(&app, "", statement).await.status(), 401);

    // A program named like a PDF is refused by its content; nothing stays.
    let refused = upload(
        &app,
        &owner,
        &to_account,
        "invoice.pdf",
        b"MZ\x90\x00\x03\x00\x00\x00".repeat(64),
    )
    .await;
    assert_eq!(refused, format!("/accounts/{account}?problem=file_type"));
    assert_eq!(app.scalar("SELECT COUNT(*) FROM documents").await, 1);
    assert_eq!(files_in(&app.files_dir()), 1);

    // An invoice: bad fields are refused together, at their fields.
    let invoice_pdf =
        uploaded_id(&upload(&app, &owner, &to_account, "INV-7.pdf", pdf("invoice")).await);
    let id = invoice_pdf.to_string();
    let bad = app
        .call(
            "save_invoice",
            &[
                ("document_id", id.as_str()),
                ("number", ""),
                ("issued_on", "2026-12-01"),
                ("due_on", "2026-11-01"),
                ("amount", "12.345"),
                ("currency", "dollars"),
                ("status", "open"),
                ("payment_url", "http://pay.example.com/7"),
            ],
            Some(&owner),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    for field in ["number", "due_on", "amount", "currency", "payment_url"] {
        assert!(
            bad.body.contains(&format!("\"{field}\"")),
            "{field}: {}",
            bad.body
        );
    }
    let invoice = |status: &'static str| {
        let id = id.clone();
        let owner = owner.clone();
        let app = &app;
        async move {
            app.call(
                "save_invoice",
                &[
                    ("document_id", id.as_str()),
                    ("number", "INV-7"),
                    ("issued_on", "2026-12-01"),
                    ("due_on", "2026-12-31"),
                    ("amount", "1234.5"),
                    ("currency", "cad"),
                    ("status", status),
                    ("payment_url", "https://pay.example.com/i/7"),
                ],
                Some(&owner),
            )
            .await
        }
    };
    let saved = invoice("open").await;
    assert_eq!(saved.status, 200, "{}", saved.body);

    // Ana sees it among her invoices (not her documents) with its Pay link.
    let invoices = app.call("my_invoices", &[], Some(&ana_cookie)).await.json();
    assert_eq!(names(&invoices), ["INV-7.pdf"]);
    assert_eq!(invoices[0]["invoice"]["amount"], "CAD 1,234.50");
    assert_eq!(invoices[0]["invoice"]["due_on"], "31 Dec 2026");
    assert_eq!(
        invoices[0]["invoice"]["payment_url"],
        "https://pay.example.com/i/7"
    );
    let docs = app.call("my_documents", &[], Some(&ana_cookie)).await;
    assert_eq!(names(&docs.json()), ["Relevé _2026_.pdf"]);
    // A paid invoice shows no Pay link.
    assert_eq!(invoice("paid").await.status, 200);
    let invoices = app.call("my_invoices", &[], Some(&ana_cookie)).await.json();
    assert!(invoices[0]["invoice"]["payment_url"].is_null());
    assert_eq!(invoice("open").await.status, 200);

    // Payments off: the link goes. Invoices off: the section and its
    // downloads answer 403, documents stay. Documents off: 403 too.
    let only = |allowed: &'static [&'static str]| {
        let owner = owner.clone();
        let app = &app;
        async move {
            let fields: Vec<(&str, &str)> = allowed.iter().map(|a| (*a, "on")).collect();
            let resp = save_settings(app, &owner, "permissions", &fields).await;
            assert_eq!(resp.status, 200, "{}", resp.body);
        }
    };
    only(&["allow_documents", "allow_invoices"]).await;
    let invoices = app.call("my_invoices", &[], Some(&ana_cookie)).await.json();
    assert!(invoices[0]["invoice"]["payment_url"].is_null());
    only(&["allow_documents"]).await;
    assert_eq!(
        app.call("my_invoices", &[], Some(&ana_cookie)).await.status,
        403
    );
    assert_eq!(download(&app, &ana_cookie, invoice_pdf).await.status(), 403);
    assert_eq!(download(&app, &ana_cookie, statement).await.status(), 200);
    only(&[]).await;
    assert_eq!(
        app.call("my_documents", &[], Some(&ana_cookie))
            .await
            .status,
        403
    );
    assert_eq!(download(&app, &ana_cookie, statement).await.status(), 403);
    let dashboard = app.call("dashboard", &[], Some(&ana_cookie)).await.json();
    assert_eq!(dashboard["sections"], serde_json::json!([]));
    // Staff are never limited.
    assert_eq!(download(&app, &owner, invoice_pdf).await.status(), 200);

    // Uploads and downloads are in the audit trail.
    let trail = app
        .call("audit_trail", &[("filter", "documents")], Some(&owner))
        .await
        .json();
    let events: Vec<(String, String)> = trail
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["event"].as_str().unwrap().to_owned(),
                l["detail"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        events.iter().filter(|(e, _)| e == "File uploaded").count(),
        2,
        "{events:?}"
    );
    assert!(
        events.contains(&(
            "File downloaded".into(),
            "Relevé _2026_.pdf · Ana Client".into()
        )),
        "{events:?}"
    );

    // Another organization's staff do not learn the files exist.
    let elsewhere = app
        .create_organization(&owner, "South Tutors", "south-tutors")
        .await;
    assert_eq!(download(&app, &elsewhere, statement).await.status(), 404);
    let listed = app
        .call(
            "account_documents",
            &[("account_id", &account.to_string())],
            Some(&elsewhere),
        )
        .await;
    assert_eq!(listed.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_file_over_the_cap_is_refused_as_it_arrives_and_leaves_nothing() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let ana = app
        .create_client_id(&owner, "Ana", "Client", "ana@example.com")
        .await;
    let account = app.account_of(ana).await;
    let mut big = pdf("big");
    big.resize(25 * 1024 * 1024 + 1, b' ');
    let to = upload(
        &app,
        &owner,
        &format!("/accounts/{account}/documents"),
        "big.pdf",
        big,
    )
    .await;
    assert_eq!(to, format!("/accounts/{account}?problem=file_too_large"));
    assert_eq!(app.scalar("SELECT COUNT(*) FROM documents").await, 0);
    assert_eq!(files_in(&app.files_dir()), 0, "no part of it stays");
    // Exactly the cap is fine.
    let mut full = pdf("full");
    full.resize(25 * 1024 * 1024, b' ');
    let to = upload(
        &app,
        &owner,
        &format!("/accounts/{account}/documents"),
        "full.pdf",
        full,
    )
    .await;
    uploaded_id(&to);
    // An empty file says so.
    let empty = upload(
        &app,
        &owner,
        &format!("/accounts/{account}/documents"),
        "empty.pdf",
        Vec::new(),
    )
    .await;
    assert_eq!(empty, format!("/accounts/{account}?problem=file_empty"));
}

#[tokio::test]
async fn clients_upload_with_the_paper_clip_and_staff_see_it_new_until_marked_seen() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let (ana, ana_cookie) = app.active_client(&owner, "Ana", "ana@example.com").await;
    let account = app.account_of(ana).await;

    // Uploads are off by default.
    let resp = app
        .client
        .post(format!("{}/documents/upload", app.address))
        .header(COOKIE, &ana_cookie)
        .multipart(reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(b"hello".to_vec()).file_name("note.txt"),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM documents").await, 0);

    // Her account is given Uploads: the paper clip works, into her own
    // account whatever she claims.
    let own = app
        .call(
            "save_account_permissions",
            &[("account_id", &account.to_string()), ("uploads", "on")],
            Some(&owner),
        )
        .await;
    assert_eq!(own.status, 200, "{}", own.body);
    let dashboard = app.call("dashboard", &[], Some(&ana_cookie)).await.json();
    assert!(
        dashboard["sections"]
            .as_array()
            .unwrap()
            .contains(&"uploads".into())
    );
    let to = upload(
        &app,
        &ana_cookie,
        "/documents/upload",
        "tax form.txt",
        "Revenu : 42 000 $\n".as_bytes().to_vec(),
    )
    .await;
    assert!(to.starts_with("/dashboard?uploaded="), "{to}");
    let note = uploaded_id(&to);

    // Staff see a new upload on the list, the client's page and the
    // account's files, until they mark it seen.
    let list = app
        .call("list_clients", &[("page", "1")], Some(&owner))
        .await
        .json();
    assert_eq!(list["rows"][0]["new_uploads"], 1, "{list}");
    let page = app
        .call(
            "get_client",
            &[("client_id", &ana.to_string())],
            Some(&owner),
        )
        .await
        .json();
    assert_eq!(page["new_uploads"], 1);
    let files = app
        .call(
            "account_documents",
            &[("account_id", &account.to_string())],
            Some(&owner),
        )
        .await
        .json();
    assert_eq!(files["can_delete"], true);
    let files = &files["documents"];
    assert_eq!(files[0]["name"], "tax form.txt");
    assert_eq!(files[0]["content_type"], "text/plain");
    assert_eq!(files[0]["new_upload"], true);
    assert_eq!(files[0]["from_client"], true);
    let by_client = app
        .call(
            "mark_upload_seen",
            &[("document_id", &note.to_string())],
            Some(&ana_cookie),
        )
        .await;
    assert_eq!(by_client.status, 403);
    let seen = app
        .call(
            "mark_upload_seen",
            &[("document_id", &note.to_string())],
            Some(&owner),
        )
        .await;
    assert_eq!(seen.status, 200, "{}", seen.body);
    let list = app
        .call("list_clients", &[("page", "1")], Some(&owner))
        .await
        .json();
    assert_eq!(list["rows"][0]["new_uploads"], 0);
    // Marking it again finds no unseen upload.
    let again = app
        .call(
            "mark_upload_seen",
            &[("document_id", &note.to_string())],
            Some(&owner),
        )
        .await;
    assert_eq!(again.status, 404);

    // Uploads live among the documents: with Documents off they stop too.
    let off = app
        .call(
            "save_account_permissions",
            &[
                ("account_id", &account.to_string()),
                ("uploads", "on"),
                ("documents", "off"),
            ],
            Some(&owner),
        )
        .await;
    assert_eq!(off.status, 200);
    let resp = app
        .client
        .post(format!("{}/documents/upload", app.address))
        .header(COOKIE, &ana_cookie)
        .multipart(reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(b"again".to_vec()).file_name("again.txt"),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);

    // Only owners and admins remove files; the bytes go with the row.
    let removed = app
        .call(
            "delete_document",
            &[("document_id", &note.to_string())],
            Some(&owner),
        )
        .await;
    assert_eq!(removed.status, 200, "{}", removed.body);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM documents").await, 0);
    assert_eq!(files_in(&app.files_dir()), 0);
}

#[tokio::test]
async fn documents_are_kept_in_an_s3_bucket_when_storage_url_names_one() {
    let s3 = S3Server::start().await;
    let storage = s3.storage("documents");
    let app = spawn_app_with(move |c| c.storage = storage).await;
    let owner = app.setup_owner().await;
    let ana = app
        .create_client_id(&owner, "Ana", "Client", "ana@example.com")
        .await;
    let account = app.account_of(ana).await;
    let path = format!("/accounts/{account}/documents");

    // Larger than one multipart part (5 MiB), to go through a real
    // multipart upload.
    let mut bytes = pdf("in a bucket");
    bytes.resize(6 * 1024 * 1024, b'.');
    let id = uploaded_id(&upload(&app, &owner, &path, "bucket.pdf", bytes.clone()).await);
    let (keys, open) = s3.contents().await;
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert!(keys[0].starts_with("documents/org-"), "{keys:?}");
    assert_eq!(open, 0);
    let got = download(&app, &owner, id).await;
    assert_eq!(got.status(), 200);
    assert_eq!(got.bytes().await.unwrap().len(), bytes.len());

    // Over the cap: the multipart upload is aborted, nothing stays.
    let mut big = pdf("too big");
    big.resize(25 * 1024 * 1024 + 1, b'.');
    let refused = upload(&app, &owner, &path, "big.pdf", big).await;
    assert!(refused.ends_with("?problem=file_too_large"), "{refused}");
    let (keys, open) = s3.contents().await;
    assert_eq!((keys.len(), open), (1, 0), "{keys:?}");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM documents").await, 1);

    // Removing the file removes its object.
    let removed = app
        .call(
            "delete_document",
            &[("document_id", &id.to_string())],
            Some(&owner),
        )
        .await;
    assert_eq!(removed.status, 200, "{}", removed.body);
    assert_eq!(s3.contents().await, (Vec::new(), 0));
}

#[tokio::test]
async fn an_account_emptied_by_a_move_keeps_its_files() {
    let app = spawn_app().await;
    let owner = app.setup_owner().await;
    let ana = app
        .create_client_id(&owner, "Ana", "Client", "ana@example.com")
        .await;
    let bo = app
        .create_client_id(&owner, "Bo", "Client", "bo@example.com")
        .await;
    let (from, to) = (app.account_of(ana).await, app.account_of(bo).await);
    let id = uploaded_id(
        &upload(
            &app,
            &owner,
            &format!("/accounts/{from}/documents"),
            "kept.pdf",
            pdf("kept"),
        )
        .await,
    );
    // Ana, its only member, moves to Bo's account: the move goes through and
    // the emptied account stays with its file.
    let moved = app
        .call(
            "move_member",
            &[
                ("client_id", &ana.to_string()),
                ("account_id", &to.to_string()),
                ("place", "owner"),
            ],
            Some(&owner),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    let files = app
        .call(
            "account_documents",
            &[("account_id", &from.to_string())],
            Some(&owner),
        )
        .await
        .json();
    assert_eq!(names(&files["documents"]), ["kept.pdf"]);
    assert_eq!(download(&app, &owner, id).await.status(), 200);
}
