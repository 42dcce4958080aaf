//! Where rendered email goes: an SMTP server (lettre, pooled connections) or,
//! without `SMTP_URL`, the development mailbox in the database.

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::Error as SmtpError;
use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use url::Url;

use super::templates::Rendered;
use crate::server::db::{self, Db};
use crate::server::now_ms;

/// What one attempt to hand a message over ended with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Accepted,
    /// Worth retrying: a 4xx reply, or the server could not be reached.
    Temporary(String),
    /// Not worth retrying: a 5xx reply, or an address the message cannot carry.
    Permanent(String),
}

#[derive(Clone)]
pub enum Transport {
    Smtp {
        mailer: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    DevMailbox {
        db: Db,
    },
}

impl Transport {
    /// An SMTP transport from a URL such as `smtp://user:pass@host:587?tls=required`
    /// (lettre's URL syntax: smtp:// with optional STARTTLS, smtps:// for TLS).
    /// `extra_ca` (PEM) is trusted for the server's certificate besides the
    /// system's authorities.
    pub fn smtp(
        url: &Url,
        from: Mailbox,
        extra_ca: Option<&[u8]>,
        connections: u32,
    ) -> Result<Transport, SmtpError> {
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.as_str())?
            .pool_config(PoolConfig::new().max_size(connections));
        if let (Some(pem), Some(host)) = (extra_ca, url.host_str()) {
            // The same TLS mode as the URL asks for, with the extra authority.
            let params = TlsParameters::builder(host.to_owned())
                .add_root_certificate(Certificate::from_pem(pem)?)
                .build()?;
            let mode = url
                .query_pairs()
                .find(|(k, _)| k == "tls")
                .map(|(_, v)| v.into_owned());
            builder = builder.tls(match (url.scheme(), mode.as_deref()) {
                ("smtps", _) => Tls::Wrapper(params),
                (_, Some("required")) => Tls::Required(params),
                (_, Some("opportunistic")) => Tls::Opportunistic(params),
                _ => Tls::None,
            });
        }
        Ok(Transport::Smtp {
            mailer: builder.build(),
            from,
        })
    }

    pub fn dev_mailbox(db: Db) -> Transport {
        Transport::DevMailbox { db }
    }

    pub async fn send(&self, outbox_id: i64, to: &str, message: &Rendered) -> Delivery {
        match self {
            Transport::Smtp { mailer, from } => {
                let to: Mailbox = match to.parse() {
                    Ok(m) => m,
                    Err(e) => return Delivery::Permanent(format!("invalid recipient: {e}")),
                };
                let email = Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(&message.subject)
                    .multipart(MultiPart::alternative_plain_html(
                        message.text.clone(),
                        message.html.clone(),
                    ));
                let email = match email {
                    Ok(e) => e,
                    Err(e) => {
                        return Delivery::Permanent(format!("could not build the message: {e}"));
                    }
                };
                match mailer.send(email).await {
                    Ok(_) => Delivery::Accepted,
                    Err(e) if e.is_permanent() => Delivery::Permanent(short_reply(&e)),
                    Err(e) => Delivery::Temporary(short_reply(&e)),
                }
            }
            Transport::DevMailbox { db } => {
                match db::outbox::deliver_to_mailbox(
                    &db.pool,
                    outbox_id,
                    to,
                    &message.subject,
                    &message.text,
                    &message.html,
                    now_ms(),
                )
                .await
                {
                    Ok(()) => Delivery::Accepted,
                    Err(e) => Delivery::Temporary(format!("development mailbox: {e}")),
                }
            }
        }
    }
}

/// The server's reply (or the connection problem), cut to a readable length.
fn short_reply(e: &SmtpError) -> String {
    e.to_string().chars().take(300).collect()
}
