//! Pooled SMTP connections. lettre speaks the protocol; this module opens
//! the connections and keeps idle ones for the next message.
//!
//! Why not lettre's own pool: it cannot set `TCP_NODELAY`, and lettre writes a
//! message's closing `\r\n.\r\n` as a second small write. With Nagle's
//! algorithm on, that write waits for the server to acknowledge the body,
//! which a server delays by up to 40 ms (delayed ACK) because it has nothing
//! to say until the message is complete: every message paid that wait. Its
//! pool also sends a `NOOP` before every reuse, one more round trip per
//! message; here only a connection idle for a while is checked first.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use lettre::address::Envelope;
use lettre::transport::smtp::Error as SmtpError;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, Certificate, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use tokio::net::TcpStream;
use url::Url;

/// Opening a connection (TCP and greeting) may take this long.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(60);
/// A whole delivery, connecting included, may take this long.
const SEND_TIMEOUT: Duration = Duration::from_secs(60);
/// A connection idle longer than this is asked `NOOP` before it is used.
const CHECK_AFTER_IDLE: Duration = Duration::from_secs(2);
/// A connection idle longer than this is closed rather than reused.
const MAX_IDLE: Duration = Duration::from_secs(60);

/// Where the relay is and how to talk to it, from `SMTP_URL`.
#[derive(Clone)]
pub struct Relay {
    host: String,
    port: u16,
    security: Security,
    credentials: Option<Credentials>,
    hello: ClientId,
}

#[derive(Clone)]
enum Security {
    /// Plain text throughout (`smtp://`).
    None,
    /// `STARTTLS` after the greeting: always (`?tls=required`) or when the
    /// server offers it (`?tls=opportunistic`).
    StartTls {
        params: TlsParameters,
        required: bool,
    },
    /// TLS from the first byte (`smtps://`).
    Implicit(TlsParameters),
}

impl std::fmt::Debug for Relay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let security = match &self.security {
            Security::None => "none",
            Security::StartTls { required: true, .. } => "STARTTLS",
            Security::StartTls {
                required: false, ..
            } => "STARTTLS if offered",
            Security::Implicit(_) => "TLS",
        };
        f.debug_struct("Relay")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &security)
            .field("authenticates", &self.credentials.is_some())
            .finish()
    }
}

/// `SMTP_URL` could not be used.
#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    #[error("{0}")]
    Url(String),
    #[error("TLS settings: {0}")]
    Tls(#[from] SmtpError),
}

impl Relay {
    /// Reads `smtp://[user:password@]host[:port][/hello-name][?tls=required|opportunistic]`
    /// or `smtps://…` (the URL syntax lettre documents). Default ports: 25
    /// plain, 587 with STARTTLS, 465 for smtps. `extra_ca` (PEM) is trusted
    /// for the server's certificate besides the system's authorities.
    pub fn from_url(url: &Url, extra_ca: Option<&[u8]>) -> Result<Relay, RelayError> {
        let host = url
            .host_str()
            .ok_or_else(|| RelayError::Url("the URL names no host".into()))?
            .to_owned();
        let tls_params = || -> Result<TlsParameters, RelayError> {
            let mut builder = TlsParameters::builder(host.clone());
            if let Some(pem) = extra_ca {
                builder = builder.add_root_certificate(Certificate::from_pem(pem)?);
            }
            Ok(builder.build()?)
        };
        let tls = url
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v.into_owned());
        let (security, default_port) = match (url.scheme(), tls.as_deref()) {
            ("smtp", None) => (Security::None, 25),
            ("smtp", Some(mode @ ("required" | "opportunistic"))) => (
                Security::StartTls {
                    params: tls_params()?,
                    required: mode == "required",
                },
                587,
            ),
            ("smtp", Some(other)) => {
                return Err(RelayError::Url(format!(
                    "tls={other} is not a TLS mode (use tls=required or tls=opportunistic)"
                )));
            }
            ("smtps", _) => (Security::Implicit(tls_params()?), 465),
            (scheme, _) => {
                return Err(RelayError::Url(format!(
                    "{scheme}:// is not an SMTP URL (use smtp:// or smtps://)"
                )));
            }
        };
        let credentials = match url.password() {
            Some(password) => Some(Credentials::new(decode(url.username())?, decode(password)?)),
            None => None,
        };
        let hello = match url.path().trim_matches('/') {
            "" => ClientId::default(),
            name => ClientId::Domain(name.to_owned()),
        };
        Ok(Relay {
            host,
            port: url.port().unwrap_or(default_port),
            security,
            credentials,
            hello,
        })
    }
}

fn decode(part: &str) -> Result<String, RelayError> {
    percent_encoding::percent_decode_str(part)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| RelayError::Url("the user name or password is not UTF-8".into()))
}

/// Why a message was not handed over.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The server refused (its reply is in the error) or the conversation broke.
    #[error("{0}")]
    Smtp(#[from] SmtpError),
    #[error("could not connect: {0}")]
    Connect(#[from] std::io::Error),
    #[error("no answer within {} s", .0.as_secs())]
    TimedOut(Duration),
}

impl SendError {
    /// A 5xx reply: trying again will not help.
    pub fn is_permanent(&self) -> bool {
        matches!(self, SendError::Smtp(e) if e.is_permanent())
    }
}

/// Connections to one relay, at most `max_idle` of them kept open between
/// messages. How many are in use at once is up to the caller (the outbox
/// worker sends `SMTP_CONNECTIONS` messages at a time).
pub struct SmtpPool {
    relay: Relay,
    idle: Mutex<Vec<Parked>>,
    max_idle: usize,
}

struct Parked {
    conn: AsyncSmtpConnection,
    since: Instant,
}

impl SmtpPool {
    pub fn new(relay: Relay, max_idle: usize) -> SmtpPool {
        SmtpPool {
            relay,
            idle: Mutex::new(Vec::new()),
            max_idle,
        }
    }

    /// Hands one message to the relay, over an idle connection or a new one.
    pub async fn send(&self, envelope: &Envelope, message: &[u8]) -> Result<(), SendError> {
        let deliver = async {
            let mut conn = self.checkout().await?;
            let sent = conn.send(envelope, message).await;
            self.park(conn);
            sent.map(|_| ()).map_err(SendError::from)
        };
        tokio::time::timeout(SEND_TIMEOUT, deliver)
            .await
            .unwrap_or(Err(SendError::TimedOut(SEND_TIMEOUT)))
    }

    /// Closes connections that have been idle too long (the server would
    /// close them anyway).
    pub fn prune(&self) {
        self.lock_idle().retain(|p| p.since.elapsed() < MAX_IDLE);
    }

    /// The most recently used idle connection that still answers, or a new one.
    async fn checkout(&self) -> Result<AsyncSmtpConnection, SendError> {
        loop {
            let Some(parked) = self.lock_idle().pop() else {
                return self.connect().await;
            };
            let idle = parked.since.elapsed();
            let mut conn = parked.conn;
            if idle < CHECK_AFTER_IDLE || (idle < MAX_IDLE && conn.test_connected().await) {
                return Ok(conn);
            }
            // Too old, or the server has hung up: dropping it closes it.
        }
    }

    /// Keeps a connection for the next message, unless it broke (lettre
    /// marks a connection broken after any failed command) or enough are kept.
    fn park(&self, conn: AsyncSmtpConnection) {
        if conn.has_broken() {
            return;
        }
        let mut idle = self.lock_idle();
        if idle.len() < self.max_idle {
            idle.push(Parked {
                conn,
                since: Instant::now(),
            });
        }
    }

    fn lock_idle(&self) -> std::sync::MutexGuard<'_, Vec<Parked>> {
        // A panic while holding the lock cannot leave the list inconsistent.
        self.idle.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Opens a connection: TCP with `TCP_NODELAY`, the greeting and `EHLO`,
    /// `STARTTLS` when asked, then `AUTH` when the URL has credentials.
    async fn connect(&self) -> Result<AsyncSmtpConnection, SendError> {
        let relay = &self.relay;
        let address = (relay.host.as_str(), relay.port);
        let mut conn = match &relay.security {
            // lettre wraps TLS around its own socket here, so this one mode
            // keeps Nagle's algorithm (and its wait per message).
            Security::Implicit(params) => {
                AsyncSmtpConnection::connect_tokio1(
                    address,
                    Some(CONNECT_TIMEOUT),
                    &relay.hello,
                    Some(params.clone()),
                    None,
                )
                .await?
            }
            Security::None | Security::StartTls { .. } => {
                let tcp = tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(address))
                    .await
                    .map_err(|_| SendError::TimedOut(CONNECT_TIMEOUT))??;
                tcp.set_nodelay(true)?;
                AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &relay.hello).await?
            }
        };
        if let Security::StartTls { params, required } = &relay.security
            && (*required || conn.can_starttls())
        {
            conn.starttls(params.clone(), &relay.hello).await?;
        }
        if let Some(credentials) = &relay.credentials {
            conn.auth(&[Mechanism::Plain, Mechanism::Login], credentials)
                .await?;
        }
        Ok(conn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relay(url: &str) -> Result<Relay, RelayError> {
        Relay::from_url(&Url::parse(url).unwrap(), None)
    }

    #[test]
    fn urls_choose_port_and_security_as_lettre_documents() {
        let plain = relay("smtp://mail.example.org").unwrap();
        assert_eq!(plain.port, 25);
        assert!(matches!(plain.security, Security::None));
        assert!(plain.credentials.is_none());

        let submission =
            relay("smtp://me%40example.org:p%2Fss@mail.example.org?tls=required").unwrap();
        assert_eq!(submission.port, 587);
        assert!(matches!(
            submission.security,
            Security::StartTls { required: true, .. }
        ));
        assert_eq!(
            submission.credentials,
            Some(Credentials::new("me@example.org".into(), "p/ss".into()))
        );

        let opportunistic = relay("smtp://mail.example.org:2525?tls=opportunistic").unwrap();
        assert_eq!(opportunistic.port, 2525);
        assert!(matches!(
            opportunistic.security,
            Security::StartTls {
                required: false,
                ..
            }
        ));

        let wrapped = relay("smtps://mail.example.org/portal.example.org").unwrap();
        assert_eq!(wrapped.port, 465);
        assert!(matches!(wrapped.security, Security::Implicit(_)));
        assert_eq!(wrapped.hello, ClientId::Domain("portal.example.org".into()));
    }

    #[test]
    fn urls_that_cannot_work_are_refused_with_the_reason() {
        let e = relay("smtp://mail.example.org?tls=maybe").unwrap_err();
        assert!(e.to_string().contains("tls=maybe"), "{e}");
        let e = relay("http://mail.example.org").unwrap_err();
        assert!(e.to_string().contains("http://"), "{e}");
    }
}
