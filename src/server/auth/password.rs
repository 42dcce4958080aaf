//! Password hashing with Argon2id at OWASP's recommended parameters
//! (19 MiB memory, 2 iterations, 1 lane). Hashing takes tens of milliseconds of
//! CPU, so it always runs on tokio's blocking pool, never on the async runtime,
//! and at most as many hashes run at once as the machine has cores: a burst
//! of sign-ins waits in a short queue, and beyond it is answered
//! [`AppError::Busy`] at once, so memory stays bounded (19 MiB per hash).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use tokio::sync::Semaphore;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand_core::OsRng;

use crate::model::AppError;

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// How many hashes may wait for a core before more are refused.
pub const QUEUE_PER_CORE: usize = 16;

/// The machine's cores: the hashes that may run at once.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Runs `work` (one hash or verification) on the blocking pool once one of
/// the machine's cores is free for it. The bound is the machine's, so it is
/// shared by the whole process.
///
/// Errors: [`AppError::Busy`] when `cores() * QUEUE_PER_CORE` are already
/// waiting; [`AppError::Internal`] when the work panicked.
async fn bounded<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    static RUNNING: OnceLock<Arc<Semaphore>> = OnceLock::new();
    static WAITING: AtomicUsize = AtomicUsize::new(0);

    /// Counts one waiting request until dropped, also when the request is
    /// cancelled while it waits.
    struct Waiting;
    impl Drop for Waiting {
        fn drop(&mut self) {
            WAITING.fetch_sub(1, Ordering::AcqRel);
        }
    }

    let running = RUNNING.get_or_init(|| Arc::new(Semaphore::new(cores())));
    let waiting = Waiting;
    if WAITING.fetch_add(1, Ordering::AcqRel) >= cores() * QUEUE_PER_CORE {
        tracing::warn!("password hashing queue full: request refused");
        return Err(AppError::Busy);
    }
    let permit = running
        .clone()
        .acquire_owned()
        .await
        .map_err(AppError::internal)?;
    drop(waiting);
    // The permit goes with the work: a request cancelled meanwhile does not
    // free the core while its hash still runs.
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work()
    })
    .await
    .map_err(AppError::internal)
}

/// Hashes `password` into a PHC string.
///
/// Errors: [`AppError::Busy`] when too many hashes are waiting.
pub async fn hash(password: String) -> Result<String, AppError> {
    bounded(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await?
    .map_err(AppError::internal)
}

/// Checks `password` against `stored`. With no stored hash (unknown account)
/// it still does the same work against a dummy hash and answers `false`, so
/// response times do not reveal whether an account exists.
///
/// Errors: [`AppError::Busy`] when too many hashes are waiting.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, AppError> {
    bounded(move || {
        let (phc, known) = match stored {
            Some(phc) => (phc, true),
            None => (dummy_hash().to_owned(), false),
        };
        let parsed = PasswordHash::new(&phc).map_err(AppError::internal)?;
        let ok = argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(ok && known)
    })
    .await?
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(b"porchlight-dummy-password", &salt)
            .expect("hashing a constant succeeds")
            .to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_verifies_and_uses_argon2id() {
        let phc = hash("correct horse battery".into()).await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            verify("correct horse battery".into(), Some(phc.clone()))
                .await
                .unwrap()
        );
        assert!(
            !verify("wrong horse battery".into(), Some(phc))
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn unknown_account_never_verifies() {
        assert!(
            !verify("porchlight-dummy-password".into(), None)
                .await
                .unwrap()
        );
    }
}
