//! Uploads over HTTP, on SQLite and PostgreSQL: files judged by their content (a Java
//! archive or an installer is no Office document), names that cannot lie, downloads as
//! what was judged, the page forms answering like the API (413 past the limit, 422 for a
//! bad field, 408 for a stalled body), and the server serving on after each.

use std::convert::Infallible;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{Method, Request, StatusCode, header};
use futures_util::stream::{self, StreamExt};
use qaward_app::testing::Backend;
use qaward_app::testing::samples;

use crate::common::{HOST, MAX_UPLOAD, ORG, ORIGIN, Session, TestApp, location, ok};

qaward_app::testing::on_both!(
    office_lookalikes_are_refused_and_documents_kept_as_what_they_are,
    names_are_cleaned_and_downloads_offered_as_their_content,
    oversized_page_uploads_answer_413_like_the_api,
    page_uploads_refuse_bad_small_fields_and_the_server_keeps_serving,
    a_stalled_body_is_cut_off_with_408,
);

/// A request with the session's cookie and CSRF header.
fn with_session(method: Method, uri: &str, s: &Session) -> axum::http::request::Builder {
    Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, HOST)
        .header(header::ORIGIN, ORIGIN)
        .header(header::COOKIE, format!("qaward_session={}", s.cookie))
        .header("x-csrf-token", &s.csrf)
}

/// A multipart form: the small fields, then the file, as a browser sends them.
fn multipart(fields: &[(&str, &[u8])], filename: &str, file: &[u8]) -> (String, Vec<u8>) {
    let b = "qawardboundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!("--{b}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n").bytes(),
        );
        body.extend_from_slice(value);
        body.extend_from_slice(b"\r\n");
    }
    body.extend(
        format!("--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .bytes(),
    );
    body.extend_from_slice(file);
    body.extend(format!("\r\n--{b}--\r\n").bytes());
    (format!("multipart/form-data; boundary={b}"), body)
}

/// `bytes` sent in chunks of 16 KiB, as a network delivers them: after the first, one at
/// a time, so that the form is read while it arrives (an in-memory body would be read
/// whole at once). (Not before the first: multer 3.1 misreads a form whose first poll
/// finds nothing and whose second finds all of it, boundary and end.)
fn chunked(bytes: Vec<u8>) -> Body {
    let chunks: Vec<Result<Bytes, Infallible>> = bytes
        .chunks(16 * 1024)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    Body::from_stream(
        stream::iter(chunks.into_iter().enumerate()).then(|(i, c)| async move {
            if i > 0 {
                tokio::task::yield_now().await;
            }
            c
        }),
    )
}

async fn post_form(
    t: &TestApp,
    s: &Session,
    uri: &str,
    form: (String, Vec<u8>),
) -> crate::common::Answer {
    let req = with_session(Method::POST, uri, s)
        .header(header::CONTENT_TYPE, form.0)
        .body(chunked(form.1))
        .unwrap();
    t.send(req).await
}

async fn upload_raw(t: &TestApp, s: &Session, bytes: Vec<u8>) -> crate::common::Answer {
    t.send(
        with_session(Method::POST, "/api/v1/files", s)
            .body(Body::from(bytes))
            .unwrap(),
    )
    .await
}

async fn office_lookalikes_are_refused_and_documents_kept_as_what_they_are(backend: Backend) {
    let t = TestApp::new(backend).await;
    let s = t.login("applicant-org").await;
    for (bytes, says) in [
        (samples::jar(), "file-zip-not-office"),
        (samples::msi(), "file-ole-not-office"),
        (samples::docm(), "file-has-macros"),
        (samples::doc_with_macros(), "file-has-macros"),
    ] {
        let a = upload_raw(&t, &s, bytes).await;
        assert_eq!(
            (a.status, a.error("field")),
            (StatusCode::UNPROCESSABLE_ENTITY, "file".into())
        );
        assert_eq!(a.error("key"), says, "{}", a.body);
    }
    assert_eq!(t.blob_files(), 0, "nothing refused is kept");
    for (bytes, content_type) in [
        (
            samples::docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            samples::xlsx(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (samples::doc(), "application/msword"),
    ] {
        let a = upload_raw(&t, &s, bytes).await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
        assert_eq!(a.json()["content_type"], content_type);
    }
    assert_eq!(t.blob_files(), 3);
}

async fn names_are_cleaned_and_downloads_offered_as_their_content(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.user("applicant-org").await;
    let id = org.prepare(ORG).await;
    // "invoice" RLO "fdp.exe": shown as "invoiceexe.pdf" where the override is obeyed.
    let uri = format!(
        "/api/v1/applications/{id}/attachments?filename=invoice%E2%80%AEfdp.exe&class=internal&purpose=evidence"
    );
    let req = with_session(Method::POST, &uri, &org.s)
        .body(Body::from("%PDF-1.7 invoice"))
        .unwrap();
    let aid = ok(&t.send(req).await)["id"].as_i64().unwrap();
    // Through the page's form, with a name that claims another type.
    let form = multipart(
        &[
            ("csrf", org.s.csrf.as_bytes()),
            ("class", b"internal"),
            ("purpose", b"evidence"),
        ],
        "年报\u{2067}.png",
        &samples::docx(),
    );
    let a = post_form(&t, &org.s, &format!("/applications/{id}/attachments"), form).await;
    assert_eq!(
        (a.status, location(&a)),
        (
            StatusCode::SEE_OTHER,
            format!("/applications/{id}?done=attached")
        ),
        "{}",
        a.body
    );
    let v = org.read(&format!("/api/v1/applications/{id}")).await;
    let names: Vec<&str> = v["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["filename"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["年报.pdf", "invoicefdp.exe.pdf", "年报.png.docx"]);
    let a = org
        .get(&format!("/api/v1/applications/{id}/attachments/{aid}"))
        .await;
    let h = |k: &str| a.headers[k].to_str().unwrap().to_owned();
    assert_eq!(
        h("content-disposition"),
        "attachment; filename=\"invoicefdp.exe.pdf\"; filename*=UTF-8''invoicefdp.exe.pdf"
    );
    assert_eq!(h("content-type"), "application/pdf");
    assert_eq!(h("x-content-type-options"), "nosniff");
    let page = t.page(&format!("/applications/{id}"), Some(&org.s)).await;
    assert!(!page.contains('\u{202E}') && page.contains("invoicefdp.exe.pdf"));
}

async fn oversized_page_uploads_answer_413_like_the_api(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.user("applicant-org").await;
    let id = org.prepare(ORG).await;
    // A file within its limit in a request past the form's: a name of 70 KiB in the
    // part's header makes the request outgrow its bound while the file streams.
    let long_name = format!("{}.pdf", "n".repeat(70 * 1024));
    let file = samples_pdf(MAX_UPLOAD as usize - 1024);
    for (uri, fields) in [
        ("/files".to_owned(), vec![("csrf", org.s.csrf.as_bytes())]),
        (
            format!("/applications/{id}/attachments"),
            vec![
                ("csrf", org.s.csrf.as_bytes()),
                ("class", &b"internal"[..]),
                ("purpose", b"evidence"),
            ],
        ),
    ] {
        let a = post_form(&t, &org.s, &uri, multipart(&fields, &long_name, &file)).await;
        assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE, "{uri}: {}", a.body);
        // A file past its own limit, the same.
        let big = samples_pdf(MAX_UPLOAD as usize + 1);
        let a = post_form(&t, &org.s, &uri, multipart(&fields, "big.pdf", &big)).await;
        assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE, "{uri}: {}", a.body);
    }
    assert_eq!(t.blob_files(), 1, "only the scan of the in-unit notice");
    assert_eq!(t.get("/healthz", None).await.status, StatusCode::OK);
}

fn samples_pdf(size: usize) -> Vec<u8> {
    let mut b = b"%PDF-1.7 ".to_vec();
    b.resize(size, b'x');
    b
}

async fn page_uploads_refuse_bad_small_fields_and_the_server_keeps_serving(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.user("applicant-org").await;
    let id = org.prepare(ORG).await;
    let uri = format!("/applications/{id}/attachments");
    let csrf = org.s.csrf.as_bytes();
    for (fields, field) in [
        (
            vec![
                ("csrf", csrf),
                ("class", &b"intern\xffal"[..]),
                ("purpose", b"evidence"),
            ],
            "class",
        ),
        (
            vec![
                ("csrf", csrf),
                ("class", b"internal"),
                ("purpose", b"evidence"),
                ("section", b"4.1\x00"),
            ],
            "section",
        ),
    ] {
        let a = post_form(&t, &org.s, &uri, multipart(&fields, "a.pdf", b"%PDF-1.7 a")).await;
        assert_eq!(
            a.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            a.body
        );
        let label = qaward_web::i18n::Lang::Zh.field_label(field).unwrap();
        assert!(a.body.contains(label), "{field}: {}", a.body);
    }
    let a = post_form(
        &t,
        &org.s,
        "/files",
        multipart(&[("csrf", b"\xff\xfe")], "a.pdf", b"%PDF-1.7 a"),
    )
    .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
    assert_eq!(t.blob_files(), 1, "only the scan of the in-unit notice");
    // And the next upload goes through.
    let fields = [
        ("csrf", csrf),
        ("class", &b"internal"[..]),
        ("purpose", b"evidence"),
    ];
    let a = post_form(&t, &org.s, &uri, multipart(&fields, "a.pdf", b"%PDF-1.7 a")).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
}

async fn a_stalled_body_is_cut_off_with_408(backend: Backend) {
    let t = TestApp::new(backend).await;
    let s = t.login("applicant-org").await;
    let config = qaward_web::WebConfig {
        body_timeout: Duration::from_millis(300),
        ..crate::common::config()
    };
    let router = qaward_web::build(t.app.clone(), config);
    // A first chunk, then nothing.
    let stalled = || {
        Body::from_stream(
            stream::once(async { Ok::<_, Infallible>(Bytes::from_static(b"%PDF-1.7 ")) })
                .chain(stream::pending()),
        )
    };
    let login = Request::builder()
        .method(Method::POST)
        .uri("/login")
        .header(header::HOST, HOST)
        .header(header::ORIGIN, ORIGIN)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    for req in [
        with_session(Method::POST, "/api/v1/files", &s)
            .body(stalled())
            .unwrap(),
        login.body(stalled()).unwrap(),
    ] {
        let started = std::time::Instant::now();
        let resp = tower::ServiceExt::oneshot(router.clone(), req)
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::REQUEST_TIMEOUT);
        assert!(started.elapsed() < Duration::from_secs(5));
    }
    assert_eq!(t.blob_files(), 0);
}
