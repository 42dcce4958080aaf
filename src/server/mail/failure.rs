//! Why an email was not (yet) delivered, as a value: recorded with each
//! attempt and on the email (`email_attempts.detail`,
//! `email_outbox.last_error`, as JSON) and worded for whoever reads the
//! client list or a timeline, in their language ([`Failure::text`]). The
//! mail server's own reply is kept as it said it.

use serde::{Deserialize, Serialize};

use crate::i18n::{Locale, td_string};
use crate::model::{Language, counted};

/// One reason an email did not go (yet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "failure", rename_all = "snake_case")]
pub enum Failure {
    /// The mail server's reply (or the connection's problem), as it was
    /// said, at most 300 characters.
    Reply { reply: String },
    /// The mail server did not answer before the send deadline.
    NoAnswer,
    /// What the email was about is gone or was superseded.
    Gone,
    /// The address cannot be written on the wire.
    InvalidRecipient { address: String },
    /// The part before @ is not ASCII (it would need SMTPUTF8).
    NotAscii,
    /// The domain is not a valid domain name.
    InvalidDomain { domain: String },
    /// The message could not be put together.
    Build { detail: String },
    /// A template failed to render (a value left out, for one).
    Template { detail: String },
    /// The database failed while the message was composed.
    Database { detail: String },
    /// The development mailbox could not keep the message.
    Mailbox { detail: String },
    /// Given up after `attempts` attempts; `last` is why the last one failed.
    GaveUp { attempts: i64, last: Box<Failure> },
}

impl Failure {
    /// The mail server's reply (or connection problem), cut to 300 characters.
    pub fn reply(text: &str) -> Failure {
        Failure::Reply {
            reply: text.chars().take(300).collect(),
        }
    }

    /// As stored (JSON).
    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| self.to_string())
    }

    /// Read back from storage; text stored before failures were values
    /// reads as a reply, as it was written.
    pub fn from_stored(stored: &str) -> Failure {
        serde_json::from_str(stored).unwrap_or_else(|_| Failure::Reply {
            reply: stored.to_owned(),
        })
    }

    /// The failure in words, in `locale`.
    pub fn text(&self, locale: Locale) -> String {
        match self {
            Failure::Reply { reply } => reply.clone(),
            Failure::NoAnswer => td_string!(locale, delivery.no_answer).into(),
            Failure::Gone => td_string!(locale, delivery.gone).into(),
            Failure::InvalidRecipient { address } => {
                td_string!(locale, delivery.invalid_recipient, address)
            }
            Failure::NotAscii => td_string!(locale, delivery.not_ascii).into(),
            Failure::InvalidDomain { domain } => {
                td_string!(locale, delivery.invalid_domain, domain)
            }
            Failure::Build { detail } => td_string!(locale, delivery.build, detail),
            Failure::Template { detail } => td_string!(locale, delivery.template, detail),
            Failure::Database { detail } => td_string!(locale, delivery.database, detail),
            Failure::Mailbox { detail } => td_string!(locale, delivery.mailbox, detail),
            Failure::GaveUp { attempts, last } => counted!(
                locale,
                *attempts,
                delivery.gave_up,
                attempts,
                last = last.text(locale)
            ),
        }
    }
}

/// In English, for logs.
impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Language::English.locale()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_stored_as_values_and_read_in_the_readers_language() {
        let failure = Failure::GaveUp {
            attempts: 3,
            last: Box::new(Failure::reply("421 try later")),
        };
        let back = Failure::from_stored(&failure.to_stored());
        assert_eq!(back, failure);
        assert_eq!(
            back.text(Locale::en),
            "gave up after 3 attempts: 421 try later"
        );
        assert_eq!(
            back.text(Locale::fr),
            "abandon après 3 tentatives\u{a0}: 421 try later"
        );
        assert_eq!(
            Failure::from_stored("550 mailbox unknown"),
            Failure::reply("550 mailbox unknown"),
            "text stored before reads as the reply it was"
        );
    }
}
