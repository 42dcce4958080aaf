//! Where rendered email goes: an SMTP relay (lettre over the pooled connections
//! of `smtp.rs`) or, without `SMTP_URL`, the development mailbox in the database.

use std::sync::Arc;

use lettre::Message;
use lettre::message::{Mailbox, MultiPart};
use url::Url;

use super::failure::Failure;
use super::smtp::{Relay, RelayError, SmtpPool};
use super::templates::Rendered;
use crate::server::db::{self, Db};

/// What one attempt to hand a message over ended with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Accepted,
    /// Worth retrying: a 4xx reply, or the server could not be reached.
    Temporary(Failure),
    /// Not worth retrying: a 5xx reply, or an address the message cannot carry.
    Permanent(Failure),
}

#[derive(Clone)]
pub enum Transport {
    Smtp { pool: Arc<SmtpPool>, from: Mailbox },
    DevMailbox { db: Db },
}

impl Transport {
    /// An SMTP transport from a URL such as `smtp://user:pass@host:587?tls=required`
    /// (see [`Relay::from_url`]), keeping up to `connections` connections open.
    pub fn smtp(
        url: &Url,
        from: Mailbox,
        extra_ca: Option<&[u8]>,
        connections: u32,
    ) -> Result<Transport, RelayError> {
        let relay = Relay::from_url(url, extra_ca)?;
        Ok(Transport::Smtp {
            pool: Arc::new(SmtpPool::new(relay, connections as usize)),
            from,
        })
    }

    pub fn dev_mailbox(db: Db) -> Transport {
        Transport::DevMailbox { db }
    }

    /// Lets go of SMTP connections idle for too long; called when the
    /// worker has nothing to do.
    pub fn tidy(&self) {
        if let Transport::Smtp { pool, .. } = self {
            pool.prune();
        }
    }

    /// Hands `message` to the relay (or the development mailbox, which keeps
    /// it with `now`, ms since the epoch, as its time).
    pub async fn send(&self, outbox_id: i64, to: &str, message: &Rendered, now: i64) -> Delivery {
        match self {
            Transport::Smtp { pool, from } => {
                let to: Mailbox = match ascii_address(to).map(|a| a.parse()) {
                    Ok(Ok(m)) => m,
                    Ok(Err(_)) => {
                        return Delivery::Permanent(Failure::InvalidRecipient {
                            address: to.to_owned(),
                        });
                    }
                    Err(reason) => return Delivery::Permanent(reason),
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
                        return Delivery::Permanent(Failure::Build {
                            detail: e.to_string(),
                        });
                    }
                };
                match pool.send(email.envelope(), &email.formatted()).await {
                    Ok(()) => Delivery::Accepted,
                    Err(e) if e.is_permanent() => {
                        Delivery::Permanent(Failure::reply(&e.to_string()))
                    }
                    Err(e) => Delivery::Temporary(Failure::reply(&e.to_string())),
                }
            }
            Transport::DevMailbox { db } => {
                match db::outbox::deliver_to_mailbox(
                    db,
                    outbox_id,
                    to,
                    &message.subject,
                    &message.text,
                    &message.html,
                    now,
                )
                .await
                {
                    Ok(()) => Delivery::Accepted,
                    Err(e) => Delivery::Temporary(Failure::Mailbox {
                        detail: e.to_string(),
                    }),
                }
            }
        }
    }
}

/// The address as it goes on the wire: an internationalised domain in its
/// ASCII form (IDNA, `bücher.example` → `xn--bcher-kva.example`), so that any
/// mail server takes it. A local part that is not ASCII would need the
/// server's SMTPUTF8 extension, which Porchlight does not use: such an
/// address is refused with a reason for the delivery log (the client form
/// refuses it at the field already).
pub fn ascii_address(address: &str) -> Result<String, Failure> {
    let Some((local, domain)) = address.trim().rsplit_once('@') else {
        return Err(Failure::InvalidRecipient {
            address: address.to_owned(),
        });
    };
    if !local.is_ascii() {
        return Err(Failure::NotAscii);
    }
    let domain = idna::domain_to_ascii(domain).map_err(|_| Failure::InvalidDomain {
        domain: domain.to_owned(),
    })?;
    Ok(format!("{local}@{domain}"))
}

#[cfg(test)]
mod tests {
    use super::ascii_address;

    #[test]
    fn international_domains_go_out_in_ascii() {
        assert_eq!(
            ascii_address("someone@bücher.example").as_deref(),
            Ok("someone@xn--bcher-kva.example")
        );
        assert_eq!(
            ascii_address("Ann@Example.com").as_deref(),
            Ok("Ann@example.com")
        );
        assert!(ascii_address("zoë@example.com").is_err());
        assert!(ascii_address("nobody").is_err());
    }
}
