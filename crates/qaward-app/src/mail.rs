//! Sending the outbox through an SMTP server, when one is configured. Messages stay in the
//! outbox until the server accepts them, so a mail server that is down delays mail but
//! loses none. The connection is plain SMTP, optionally with a login, as intranet mail
//! relays offer; TLS to the relay is not supported yet.

use std::fmt;

use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::{App, AppError};

/// Where to send mail.
#[derive(Clone)]
pub struct Smtp {
    pub host: String,
    pub port: u16,
    /// The sender address, e.g. `qaward@zlj.xinzhou.gov.cn`.
    pub from: String,
    pub username: Option<String>,
    pub password: Option<String>,
}

impl fmt::Debug for Smtp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Smtp")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("from", &self.from)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .finish()
    }
}

/// Sends what waits in the outbox; returns how many were sent. A message the server
/// refuses is logged and left for the next round.
pub async fn send_outbox(app: &App, smtp: &Smtp) -> Result<usize, AppError> {
    let from = smtp
        .from
        .parse()
        .map_err(|e| AppError::Internal(format!("the sender address `{}`: {e}", smtp.from)))?;
    let mut builder =
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host).port(smtp.port);
    if let (Some(u), Some(p)) = (&smtp.username, &smtp.password) {
        builder = builder.credentials(Credentials::new(u.clone(), p.clone()));
    }
    let transport = builder.build();
    let mut sent = 0;
    for mail in app.store.unsent_mail(50).await? {
        let to = match mail.to_address.parse() {
            Ok(to) => to,
            Err(e) => {
                tracing::warn!(mail = mail.id, error = %e, "an outbox address does not parse; left unsent");
                continue;
            }
        };
        let message = Message::builder()
            .from(Clone::clone(&from))
            .to(to)
            .subject(&mail.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|e| AppError::Internal(e.to_string()))?;
        match transport.send(message).await {
            Ok(_) => {
                app.store.mark_sent(mail.id).await?;
                sent += 1;
            }
            Err(e) => {
                tracing::warn!(mail = mail.id, error = %e, "the mail server refused a message; it stays in the outbox");
                break;
            }
        }
    }
    Ok(sent)
}
