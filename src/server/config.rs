//! Configuration: every setting is an environment variable and a flag.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::Parser;
use url::Url;

use crate::server::Clock;

/// Porchlight: a client onboarding portal.
#[derive(Debug, Clone, Parser)]
#[command(version, about)]
pub struct Cli {
    /// Database URL: sqlite://FILE or postgres://USER@HOST/DB.
    /// Default: a SQLite file under the data directory, created on start.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,

    /// Address and port the server listens on.
    #[arg(long, env = "LEPTOS_SITE_ADDR", default_value = "127.0.0.1:3000")]
    pub site_addr: SocketAddr,

    /// Public base URL used in email links and to decide on Secure cookies.
    /// Default: http://<site-addr>.
    #[arg(long, env = "PUBLIC_URL")]
    pub public_url: Option<Url>,

    /// SMTP server for outgoing email: smtp://HOST:25 (plain),
    /// smtp://HOST:587?tls=required (STARTTLS), smtps://HOST:465 (TLS), with
    /// USER:PASSWORD@ before the host for AUTH.
    /// Unset: email is kept and shown in the development mailbox.
    #[arg(long, env = "SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<Url>,

    /// Keep email in the development mailbox (`/mailbox`, owners only)
    /// instead of sending it, on purpose. Without SMTP_URL this is what
    /// happens anyway on a server that only this machine can reach; a server
    /// with an https PUBLIC_URL, or listening beyond loopback, refuses to
    /// start without SMTP_URL unless this is given.
    #[arg(long, env = "DEV_MAILBOX")]
    pub dev_mailbox: bool,

    /// A PEM file of one more certificate authority to trust for the SMTP
    /// server's TLS certificate (a private mail relay). Default: the system's.
    #[arg(long, env = "SMTP_CA_FILE")]
    pub smtp_ca_file: Option<PathBuf>,

    /// Sender of outgoing email, e.g. "North Tutors <portal@example.org>".
    /// Default: Porchlight <no-reply@HOST> with the host of PUBLIC_URL.
    #[arg(long, env = "MAIL_FROM")]
    pub mail_from: Option<String>,

    /// Delivery attempts before a temporarily failing email is marked failed.
    #[arg(long, env = "SMTP_MAX_ATTEMPTS", default_value_t = 6, value_parser = clap::value_parser!(i64).range(1..=20))]
    pub smtp_max_attempts: i64,

    /// Failed sign-ins allowed per account (email as typed) in the login window.
    #[arg(long, env = "LOGIN_FAILURES_PER_ACCOUNT", default_value_t = 5, value_parser = clap::value_parser!(i64).range(1..))]
    pub login_failures_per_account: i64,

    /// Failed sign-ins allowed per client address in the login window.
    #[arg(long, env = "LOGIN_FAILURES_PER_IP", default_value_t = 20, value_parser = clap::value_parser!(i64).range(1..))]
    pub login_failures_per_ip: i64,

    /// The login window, in seconds.
    #[arg(long, env = "LOGIN_FAILURE_WINDOW", default_value_t = 300, value_parser = clap::value_parser!(i64).range(1..))]
    pub login_failure_window: i64,

    /// Reset, new-link, resend and sign-up requests per email (or link) per minute.
    #[arg(long, env = "REQUESTS_PER_KEY_PER_MINUTE", default_value_t = 5, value_parser = clap::value_parser!(i64).range(1..))]
    pub requests_per_key_per_minute: i64,

    /// Reset, new-link and sign-up requests per client address per minute.
    #[arg(long, env = "REQUESTS_PER_IP_PER_MINUTE", default_value_t = 20, value_parser = clap::value_parser!(i64).range(1..))]
    pub requests_per_ip_per_minute: i64,

    /// SMTP connections used at the same time (messages sent in parallel).
    #[arg(long, env = "SMTP_CONNECTIONS", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=200))]
    pub smtp_connections: u32,

    /// Server secret (at least 32 characters) for keyed token hashes.
    /// Unset: generated on first start and kept in <data-dir>/secret (mode 0600);
    /// required when PUBLIC_URL is https.
    #[arg(long, env = "PORCHLIGHT_SECRET", hide_env_values = true)]
    pub secret: Option<String>,

    /// Directory for the default SQLite database, the generated secret and,
    /// without STORAGE_URL, the documents (its `files` folder).
    #[arg(long, env = "PORCHLIGHT_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Where documents are kept: s3://BUCKET/PREFIX for an S3-compatible
    /// bucket (needed when several servers share one database; its
    /// credentials, region and endpoint come from the usual AWS_* variables:
    /// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT,
    /// AWS_ALLOW_HTTP), or file:///FOLDER. Default: <data-dir>/files.
    #[arg(long, env = "STORAGE_URL")]
    pub storage_url: Option<Url>,
}

/// Validated configuration the server runs with.
#[derive(Clone)]
pub struct Config {
    pub database_url: String,
    pub site_addr: SocketAddr,
    pub public_url: Url,
    pub smtp_url: Option<Url>,
    /// True when email goes to the development mailbox (no SMTP_URL).
    pub dev_mailbox: bool,
    /// PEM of an extra certificate authority for the SMTP server's TLS.
    pub smtp_ca: Option<Vec<u8>>,
    pub mail_from: lettre::message::Mailbox,
    pub worker: crate::server::mail::WorkerSettings,
    pub jobs: crate::server::jobs::JobSettings,
    pub limits: crate::server::throttle::Limits,
    pub secret: Secret,
    pub data_dir: PathBuf,
    /// Where documents are kept.
    pub storage: StorageSettings,
    /// Where the server reads the time: the system's, unless a test sets a
    /// clock it can move ([`Clock::advance`]).
    pub clock: Clock,
}

impl Config {
    /// Session cookies get `Secure` when the portal is served over https.
    pub fn cookie_secure(&self) -> bool {
        self.public_url.scheme() == "https"
    }
}

/// Where documents are kept: `url` (None: `<data dir>/files`) and the
/// object store's options for it (for a bucket, the `AWS_*` variables with
/// their names lower-cased, e.g. `aws_endpoint`). Options never show in
/// `Debug`: they hold credentials.
#[derive(Clone, Default)]
pub struct StorageSettings {
    pub url: Option<Url>,
    pub options: Vec<(String, String)>,
}

impl std::fmt::Debug for StorageSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StorageSettings")
            .field("url", &self.url.as_ref().map(Url::as_str))
            .finish_non_exhaustive()
    }
}

/// The server secret. Its `Debug` never shows the value.
#[derive(Clone)]
pub struct Secret(std::sync::Arc<[u8]>);

impl Secret {
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// A shared handle on the key, for tasks that outlive a request.
    pub fn shared(&self) -> std::sync::Arc<[u8]> {
        self.0.clone()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// A configuration problem, named by the setting at fault.
#[derive(Debug, thiserror::Error)]
#[error("{setting}: {message}")]
pub struct ConfigError {
    pub setting: &'static str,
    pub message: String,
}

fn bad(setting: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        setting,
        message: message.into(),
    }
}

const MIN_SECRET_LEN: usize = 32;

/// One line naming the setting (environment variable and flag) behind a
/// parse error, e.g. `LEPTOS_SITE_ADDR (--site-addr): invalid value 'x': …`.
/// None for help and version requests and errors not about one setting.
pub fn describe_cli_error(e: &clap::Error) -> Option<String> {
    use clap::CommandFactory;
    use clap::error::{ContextKind, ContextValue};

    let Some(ContextValue::String(arg)) = e.get(ContextKind::InvalidArg) else {
        return None;
    };
    let flag = arg.split_whitespace().next().unwrap_or(arg);
    let command = Cli::command();
    let setting = command
        .get_arguments()
        .find(|a| a.get_long().is_some_and(|l| format!("--{l}") == flag))?;
    let env = setting.get_env().map(|v| v.to_string_lossy().into_owned());
    let value = match e.get(ContextKind::InvalidValue) {
        Some(ContextValue::String(v)) => format!("invalid value '{v}'"),
        _ => "invalid value".to_owned(),
    };
    let reason = std::error::Error::source(e)
        .map(|s| format!(": {s}"))
        .unwrap_or_default();
    Some(match env {
        Some(env) => format!("{env} ({flag}): {value}{reason}"),
        None => format!("{flag}: {value}{reason}"),
    })
}

impl Cli {
    /// Checks the settings, creating the data directory, the default database
    /// location and the generated secret where those defaults apply.
    pub fn into_config(self) -> Result<Config, ConfigError> {
        let public_url = match self.public_url {
            Some(url) => url,
            None => Url::parse(&format!("http://{}/", self.site_addr))
                .map_err(|e| bad("PUBLIC_URL", e.to_string()))?,
        };
        if !matches!(public_url.scheme(), "http" | "https") {
            return Err(bad("PUBLIC_URL", "must start with http:// or https://"));
        }
        if let Some(smtp) = &self.smtp_url
            && !matches!(smtp.scheme(), "smtp" | "smtps")
        {
            return Err(bad("SMTP_URL", "must start with smtp:// or smtps://"));
        }
        let reachable_beyond_this_machine =
            public_url.scheme() == "https" || !self.site_addr.ip().is_loopback();
        if self.smtp_url.is_none() && !self.dev_mailbox && reachable_beyond_this_machine {
            return Err(bad(
                "SMTP_URL",
                "is required when PUBLIC_URL is https or the server listens beyond this machine \
                 (without it, email would stay in the development mailbox); \
                 give --dev-mailbox (DEV_MAILBOX=true) to keep it there on purpose",
            ));
        }
        let smtp_ca = match &self.smtp_ca_file {
            None => None,
            Some(path) => {
                let pem = std::fs::read(path).map_err(|e| {
                    bad(
                        "SMTP_CA_FILE",
                        format!("cannot read {}: {e}", path.display()),
                    )
                })?;
                lettre::transport::smtp::client::Certificate::from_pem(&pem)
                    .map_err(|e| bad("SMTP_CA_FILE", format!("not a PEM certificate: {e}")))?;
                Some(pem)
            }
        };

        let mail_from = match &self.mail_from {
            Some(from) => from
                .parse()
                .map_err(|e| bad("MAIL_FROM", format!("not an email address: {e}")))?,
            None => {
                let host = public_url.host_str().unwrap_or("localhost");
                let host = if host.contains('.') {
                    host.to_owned()
                } else {
                    format!("{host}.localdomain")
                };
                format!("Porchlight <no-reply@{host}>")
                    .parse()
                    .map_err(|e| bad("PUBLIC_URL", format!("gives no sender address: {e}")))?
            }
        };

        let database_url = match self.database_url {
            Some(url) => {
                if !(url.starts_with("sqlite:")
                    || url.starts_with("postgres://")
                    || url.starts_with("postgresql://"))
                {
                    return Err(bad(
                        "DATABASE_URL",
                        "must start with sqlite:, postgres:// or postgresql://",
                    ));
                }
                url
            }
            None => {
                ensure_dir(&self.data_dir)?;
                format!(
                    "sqlite://{}?mode=rwc",
                    self.data_dir.join("porchlight.db").display()
                )
            }
        };
        create_private_sqlite_file(&database_url)?;

        let secret = match self.secret {
            Some(s) if s.len() < MIN_SECRET_LEN => {
                return Err(bad(
                    "PORCHLIGHT_SECRET",
                    format!("must be at least {MIN_SECRET_LEN} characters"),
                ));
            }
            Some(s) => Secret(s.into_bytes().into()),
            None if public_url.scheme() == "https" => {
                return Err(bad(
                    "PORCHLIGHT_SECRET",
                    "is required when PUBLIC_URL is https",
                ));
            }
            None => {
                ensure_dir(&self.data_dir)?;
                Secret(load_or_create_secret(&self.data_dir.join("secret"))?.into())
            }
        };

        if let Some(url) = &self.storage_url
            && !matches!(url.scheme(), "s3" | "file")
        {
            return Err(bad(
                "STORAGE_URL",
                "must start with s3:// (a bucket) or file:// (a folder)",
            ));
        }
        let storage = StorageSettings {
            options: if self
                .storage_url
                .as_ref()
                .is_some_and(|u| u.scheme() == "s3")
            {
                std::env::vars()
                    .filter(|(k, _)| k.starts_with("AWS_"))
                    .map(|(k, v)| (k.to_ascii_lowercase(), v))
                    .collect()
            } else {
                Vec::new()
            },
            url: self.storage_url,
        };

        Ok(Config {
            database_url,
            site_addr: self.site_addr,
            public_url,
            dev_mailbox: self.smtp_url.is_none(),
            smtp_url: self.smtp_url,
            smtp_ca,
            mail_from,
            worker: crate::server::mail::WorkerSettings {
                max_attempts: self.smtp_max_attempts,
                connections: self.smtp_connections,
                ..Default::default()
            },
            jobs: Default::default(),
            limits: {
                use crate::server::throttle::{Limit, Limits};
                Limits {
                    login_per_account: Limit {
                        max: self.login_failures_per_account,
                        window_secs: self.login_failure_window,
                    },
                    login_per_ip: Limit {
                        max: self.login_failures_per_ip,
                        window_secs: self.login_failure_window,
                    },
                    requests_per_key: Limit {
                        max: self.requests_per_key_per_minute,
                        window_secs: 60,
                    },
                    requests_per_ip: Limit {
                        max: self.requests_per_ip_per_minute,
                        window_secs: 60,
                    },
                }
            },
            secret,
            data_dir: self.data_dir,
            storage,
            clock: Clock::system(),
        })
    }
}

/// Creates the data directory, readable by its owner only (mode 0700), when
/// it does not exist yet.
fn ensure_dir(dir: &Path) -> Result<(), ConfigError> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| {
            bad(
                "PORCHLIGHT_DATA_DIR",
                format!("cannot create {}: {e}", dir.display()),
            )
        })
}

/// Creates a `sqlite://FILE` database's file, readable by its owner only
/// (mode 0600), when it does not exist yet; SQLite gives its journal files
/// the same mode. Other URLs are left alone.
fn create_private_sqlite_file(database_url: &str) -> Result<(), ConfigError> {
    use std::os::unix::fs::OpenOptionsExt;
    let Some(rest) = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
    else {
        return Ok(());
    };
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" || Path::new(path).exists() {
        return Ok(());
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map(drop)
        .map_err(|e| bad("DATABASE_URL", format!("cannot create {path}: {e}")))
}

/// Reads the generated secret, or creates it (32 random bytes, base64url,
/// file mode 0600) on first start.
fn load_or_create_secret(path: &Path) -> Result<Vec<u8>, ConfigError> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;

    match std::fs::read_to_string(path) {
        Ok(s) if s.trim().len() >= MIN_SECRET_LEN => return Ok(s.trim().as_bytes().to_vec()),
        Ok(_) => {
            return Err(bad(
                "PORCHLIGHT_SECRET",
                format!(
                    "{} is too short; delete it to generate a new one",
                    path.display()
                ),
            ));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            return Err(bad(
                "PORCHLIGHT_SECRET",
                format!("cannot read {}: {e}", path.display()),
            ));
        }
    }
    let secret = crate::server::auth::token::random_token();
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .and_then(|mut f| f.write_all(secret.as_bytes()).map(|()| f));
    match &mut file {
        Ok(f) => f
            .sync_all()
            .map_err(|e| bad("PORCHLIGHT_SECRET", e.to_string()))?,
        Err(e) => {
            return Err(bad(
                "PORCHLIGHT_SECRET",
                format!("cannot write {}: {e}", path.display()),
            ));
        }
    }
    Ok(secret.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cli(args: &[&str]) -> Cli {
        Cli::try_parse_from(std::iter::once("porchlight").chain(args.iter().copied()))
            .expect("arguments parse")
    }

    #[test]
    fn https_public_url_requires_a_secret() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().to_str().unwrap();
        let err = cli(&[
            "--public-url",
            "https://portal.example",
            "--smtp-url",
            "smtp://mail.example:25",
            "--data-dir",
            data,
        ])
        .into_config()
        .err()
        .expect("refused");
        assert_eq!(err.setting, "PORCHLIGHT_SECRET");
    }

    #[test]
    fn generated_secret_is_private_and_stable() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().to_str().unwrap();
        let first = cli(&["--data-dir", data]).into_config().unwrap();
        let second = cli(&["--data-dir", data]).into_config().unwrap();
        assert_eq!(first.secret.expose(), second.secret.expose());
        let mode = std::fs::metadata(dir.path().join("secret"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(first.database_url.starts_with("sqlite://"));
    }

    #[test]
    fn the_database_and_data_folder_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let config = cli(&["--data-dir", data.to_str().unwrap()])
            .into_config()
            .unwrap();
        assert!(config.dev_mailbox);
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&data.join("porchlight.db")), 0o600);
    }

    #[test]
    fn the_development_mailbox_is_never_the_default_beyond_this_machine() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().to_str().unwrap();
        let secret = "s".repeat(40);
        for args in [
            vec![
                "--public-url",
                "https://portal.example",
                "--secret",
                &secret,
            ],
            vec!["--site-addr", "0.0.0.0:3000"],
            vec!["--site-addr", "192.0.2.10:3000"],
        ] {
            let mut all = args.clone();
            all.extend(["--data-dir", data]);
            let err = cli(&all).into_config().err().expect("refused");
            assert_eq!(err.setting, "SMTP_URL", "{args:?}");
            assert!(err.message.contains("--dev-mailbox"), "{}", err.message);

            all.push("--dev-mailbox");
            assert!(cli(&all).into_config().unwrap().dev_mailbox, "{args:?}");

            let mut with_smtp = args.clone();
            with_smtp.extend(["--data-dir", data, "--smtp-url", "smtp://mail.example:25"]);
            assert!(!cli(&with_smtp).into_config().unwrap().dev_mailbox);
        }
    }

    #[test]
    fn a_bad_address_names_the_environment_variable() {
        let err = Cli::try_parse_from(["porchlight", "--site-addr", "nonsense"]).unwrap_err();
        let line = describe_cli_error(&err).expect("a line about one setting");
        assert!(
            line.starts_with("LEPTOS_SITE_ADDR (--site-addr): invalid value 'nonsense'"),
            "{line}"
        );
        assert!(!line.contains('\n'));
    }

    #[test]
    fn unknown_database_scheme_names_the_setting() {
        let err = cli(&["--database-url", "mysql://x", "--secret", &"s".repeat(40)])
            .into_config()
            .err()
            .expect("refused");
        assert_eq!(err.setting, "DATABASE_URL");
    }
}
