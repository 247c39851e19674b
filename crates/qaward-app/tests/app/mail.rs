//! The outbox goes out through an SMTP server: a small fake server on loopback receives
//! what qaward sends, and sent mail is marked so that it goes only once.

use qaward_app::mail::{Smtp, send_outbox};
use qaward_app::testing::TestApp;
use qaward_domain::permission::UserKind;
use qaward_store::Backend;
use qaward_store::users::NewUser;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

qaward_store::on_both!(
    the_outbox_goes_out_through_smtp_once,
    an_unreachable_server_loses_no_mail
);

/// A staff account with an address and one notification waiting for it.
async fn one_mail_waiting(t: &TestApp, name: &str) {
    let email = format!("{name}@example.test");
    let mut tx = t.db.store.write().await.unwrap();
    let u = tx
        .create_user(NewUser {
            username: name,
            display_name: name,
            password_hash: "x",
            kind: UserKind::Staff,
            subject_id: None,
            email: Some(&email),
            service: false,
        })
        .await
        .unwrap();
    tx.notify(
        u.id,
        Some(&email),
        "text",
        "/",
        "您有新的待办事项",
        "请登录系统查看。",
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

fn smtp(port: u16) -> Smtp {
    Smtp {
        host: "127.0.0.1".into(),
        port,
        from: "qaward@example.test".into(),
        username: None,
        password: None,
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

async fn the_outbox_goes_out_through_smtp_once(backend: Backend) {
    let t = TestApp::new(backend).await;
    // The demo's own notifications go first; count ours from here.
    let before = t.db.store.outbox(1000).await.unwrap().len();
    one_mail_waiting(&t, "mail-a").await;
    let (port, mut received) = fake_smtp().await;
    let smtp = smtp(port);
    assert!(!format!("{smtp:?}").contains("password: Some"));
    let sent = send_outbox(&t.app, &smtp).await.unwrap();
    assert_eq!(sent, before + 1);
    let mut messages = Vec::new();
    for _ in 0..sent {
        let m = tokio::time::timeout(std::time::Duration::from_secs(10), received.recv());
        messages.push(m.await.unwrap().unwrap());
    }
    let message = messages
        .iter()
        .find(|m| m.contains("To: mail-a@example.test"))
        .expect("our mail");
    assert!(message.contains("From: qaward@example.test"), "{message}");
    assert!(
        t.db.store
            .outbox(1000)
            .await
            .unwrap()
            .iter()
            .all(|m| m.sent_at.is_some())
    );
    // Sent mail is not sent again.
    assert_eq!(send_outbox(&t.app, &smtp).await.unwrap(), 0);
}

async fn an_unreachable_server_loses_no_mail(backend: Backend) {
    let t = TestApp::new(backend).await;
    one_mail_waiting(&t, "mail-b").await;
    // A port nobody listens on.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    assert_eq!(send_outbox(&t.app, &smtp(port)).await.unwrap(), 0);
    assert!(
        t.db.store
            .outbox(1000)
            .await
            .unwrap()
            .iter()
            .all(|m| m.sent_at.is_none())
    );
}
