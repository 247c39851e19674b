//! The outbox goes out through an SMTP server: a small fake server on loopback receives
//! what qaward sends, and sent mail is marked so that it goes only once.

use std::sync::Arc;

use qaward_app::mail::{Smtp, send_outbox};
use qaward_app::{App, Rubrics, Settings};
use qaward_domain::calendar::WorkingCalendar;
use qaward_domain::permission::UserKind;
use qaward_domain::policy::Policy;
use qaward_domain::rubric::Rubric;
use qaward_store::blobs::FsBlobStore;
use qaward_store::testing::TestDb;
use qaward_store::users::NewUser;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

const POLICY: &str = include_str!("../../../policy/xinzhou-2021.toml");

async fn app(db: &TestDb) -> App {
    App {
        store: db.store.clone(),
        blobs: FsBlobStore::new(std::env::temp_dir().join("qaward-mail-test-blobs")),
        policy: Arc::new(Policy::from_toml("policy", POLICY).unwrap()),
        calendar: Arc::new(
            WorkingCalendar::from_toml(
                "calendar",
                include_str!("../../../calendar/cn-working-days.toml"),
            )
            .unwrap(),
        ),
        rubrics: Arc::new(Rubrics {
            organization: Rubric::from_toml(
                "org",
                include_str!("../../../rubrics/org-gbt19580-2012.toml"),
            )
            .unwrap(),
            individual: Rubric::from_toml(
                "person",
                include_str!("../../../rubrics/individual-provisional.toml"),
            )
            .unwrap(),
        }),
        policy_source: Arc::from(POLICY),
        settings: Settings::default(),
    }
}

/// A minimal SMTP server that accepts one message per connection and hands back what it
/// received.
async fn fake_smtp() -> (u16, tokio::sync::mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = tokio::sync::mpsc::channel(8);
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let (r, mut w) = socket.into_split();
                let mut lines = BufReader::new(r).lines();
                w.write_all(b"220 fake.test ESMTP\r\n").await.unwrap();
                let mut data = String::new();
                let mut in_data = false;
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            let _ = tx.send(std::mem::take(&mut data)).await;
                            w.write_all(b"250 queued\r\n").await.unwrap();
                        } else {
                            data.push_str(&line);
                            data.push('\n');
                        }
                        continue;
                    }
                    let upper = line.to_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250 fake.test\r\n"
                    } else if upper.starts_with("DATA") {
                        in_data = true;
                        b"354 go ahead\r\n"
                    } else if upper.starts_with("QUIT") {
                        let _ = w.write_all(b"221 bye\r\n").await;
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    w.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, rx)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_outbox_goes_out_through_smtp_once() {
    let db = TestDb::sqlite().await;
    let app = app(&db).await;
    let mut tx = db.store.write().await.unwrap();
    let u = tx
        .create_user(NewUser {
            username: "a",
            display_name: "a",
            password_hash: "x",
            kind: UserKind::Staff,
            subject_id: None,
            email: Some("a@example.test"),
            service: false,
        })
        .await
        .unwrap();
    tx.notify(
        u.id,
        Some("a@example.test"),
        "text",
        "/",
        "您有新的待办事项",
        "请登录系统查看。",
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let (port, mut received) = fake_smtp().await;
    let smtp = Smtp {
        host: "127.0.0.1".into(),
        port,
        from: "qaward@example.test".into(),
        username: None,
        password: None,
    };
    assert!(!format!("{smtp:?}").contains("password: Some"));
    assert_eq!(send_outbox(&app, &smtp).await.unwrap(), 1);
    let message = tokio::time::timeout(std::time::Duration::from_secs(10), received.recv())
        .await
        .unwrap()
        .unwrap();
    assert!(message.contains("To: a@example.test"), "{message}");
    assert!(message.contains("From: qaward@example.test"), "{message}");
    assert!(db.store.outbox(10).await.unwrap()[0].sent_at.is_some());
    // Sent mail is not sent again.
    assert_eq!(send_outbox(&app, &smtp).await.unwrap(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_server_loses_no_mail() {
    let db = TestDb::sqlite().await;
    let app = app(&db).await;
    let mut tx = db.store.write().await.unwrap();
    let u = tx
        .create_user(NewUser {
            username: "b",
            display_name: "b",
            password_hash: "x",
            kind: UserKind::Staff,
            subject_id: None,
            email: None,
            service: false,
        })
        .await
        .unwrap();
    tx.notify(u.id, Some("b@example.test"), "text", "/", "s", "b")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    // A port nobody listens on.
    let port = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let smtp = Smtp {
        host: "127.0.0.1".into(),
        port,
        from: "qaward@example.test".into(),
        username: None,
        password: None,
    };
    assert_eq!(send_outbox(&app, &smtp).await.unwrap(), 0);
    assert!(db.store.outbox(10).await.unwrap()[0].sent_at.is_none());
}
