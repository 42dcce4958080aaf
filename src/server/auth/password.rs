//! Password hashing with Argon2id at OWASP's recommended parameters
//! (19 MiB memory, 2 iterations, 1 lane).
//!
//! Hashing takes tens of milliseconds of CPU and 19 MiB of memory, so it never
//! runs on the async runtime: a fixed set of worker threads, one per core,
//! does every hash and verification, each reusing its own memory block
//! (`hash_password_into_with_memory`). A burst of sign-ins waits in a short
//! queue ([`QUEUE_PER_CORE`] per core); beyond it a request is answered
//! [`AppError::Busy`] at once. So memory stays bounded at one block per core,
//! and a worker idle for [`IDLE_RELEASE`] gives its block back.

use std::sync::OnceLock;
use std::time::Duration;

use flume::{Receiver, RecvTimeoutError, Sender, TrySendError};

use argon2::password_hash::{Output, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand_core::OsRng;
use tokio::sync::oneshot;

use crate::model::AppError;

/// The parameters of new hashes: Argon2id, m = 19 MiB, t = 2, p = 1.
fn params() -> Params {
    Params::new(19 * 1024, 2, 1, None).expect("valid Argon2 parameters")
}

/// How many hashes may wait for a worker, per core, before more are refused.
pub const QUEUE_PER_CORE: usize = 16;

/// A worker that has had nothing to do for this long frees its memory block.
pub const IDLE_RELEASE: Duration = Duration::from_secs(5);

/// The machine's cores: the hashing workers.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// One piece of work for a hashing worker.
enum Job {
    Hash {
        password: String,
        reply: oneshot::Sender<Result<String, String>>,
    },
    Verify {
        password: String,
        phc: String,
        reply: oneshot::Sender<Result<bool, String>>,
    },
}

/// Hashing workers and the bounded queue in front of them.
struct Hashers {
    queue: Sender<Job>,
}

impl Hashers {
    /// Starts `workers` threads behind a queue of `waiting` jobs.
    fn start(workers: usize, waiting: usize) -> Hashers {
        let (queue, receiver) = flume::bounded(waiting);
        for n in 0..workers {
            let receiver = receiver.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || work(&receiver))
                .expect("a hashing thread starts");
        }
        Hashers { queue }
    }

    /// Hands `job` to the workers and waits for its answer.
    ///
    /// Errors: [`AppError::Busy`] when the queue is full;
    /// [`AppError::Internal`] when the workers are gone or the work failed
    /// (the cause is logged).
    async fn submit<T>(
        &self,
        job: Job,
        answer: oneshot::Receiver<Result<T, String>>,
    ) -> Result<T, AppError> {
        match self.queue.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                tracing::warn!("password hashing queue full: request refused");
                return Err(AppError::Busy);
            }
            Err(TrySendError::Disconnected(_)) => {
                return Err(AppError::internal("password hashing workers are gone"));
            }
        }
        answer
            .await
            .map_err(AppError::internal)?
            .map_err(AppError::internal)
    }

    async fn hash(&self, password: String) -> Result<String, AppError> {
        let (reply, answer) = oneshot::channel();
        self.submit(Job::Hash { password, reply }, answer).await
    }
}

/// The process's workers, started on first use: one per core, since the
/// cores are the machine's.
fn hashers() -> &'static Hashers {
    static HASHERS: OnceLock<Hashers> = OnceLock::new();
    HASHERS.get_or_init(|| Hashers::start(cores(), cores() * QUEUE_PER_CORE))
}

/// A worker: takes jobs until the queue is gone, keeping one memory block
/// (of the current parameters' size) between jobs and dropping it after
/// [`IDLE_RELEASE`] without work. A job whose caller has gone is skipped; a
/// job that panics is answered with an error and the worker goes on.
fn work(receiver: &Receiver<Job>) {
    let mut memory: Vec<Block> = Vec::new();
    loop {
        let job = match receiver.recv_timeout(IDLE_RELEASE) {
            Ok(job) => job,
            Err(RecvTimeoutError::Timeout) => {
                memory = Vec::new();
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => return,
        };
        let run = std::panic::AssertUnwindSafe(|| match job {
            Job::Hash { password, reply } => {
                if !reply.is_closed() {
                    let _ = reply.send(hash_with(&mut memory, &password));
                }
            }
            Job::Verify {
                password,
                phc,
                reply,
            } => {
                if !reply.is_closed() {
                    let _ = reply.send(verify_with(&mut memory, &password, &phc));
                }
            }
        });
        if std::panic::catch_unwind(run).is_err() {
            // The reply was dropped with the job: its caller gets an error.
            tracing::error!("a password hashing job panicked");
            memory = Vec::new();
        }
        // A stored hash with a larger memory cost grew the block: keep only
        // what new hashes need.
        let usual = params().block_count();
        if memory.len() > usual {
            memory.truncate(usual);
            memory.shrink_to_fit();
        }
    }
}

/// `memory` grown to at least the blocks `params` needs.
fn blocks<'a>(memory: &'a mut Vec<Block>, params: &Params) -> &'a mut [Block] {
    if memory.len() < params.block_count() {
        memory.resize(params.block_count(), Block::default());
    }
    &mut memory[..params.block_count()]
}

/// A new PHC string for `password`, with a random salt.
fn hash_with(memory: &mut Vec<Block>, password: &str) -> Result<String, String> {
    let params = params();
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_raw = salt
        .decode_b64(&mut salt_bytes)
        .map_err(|e| e.to_string())?;
    let output = Output::init_with(Params::DEFAULT_OUTPUT_LEN, |out| {
        argon2
            .hash_password_into_with_memory(
                password.as_bytes(),
                salt_raw,
                out,
                blocks(memory, &params),
            )
            .map_err(argon2::password_hash::Error::from)
    })
    .map_err(|e| e.to_string())?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: (&params)
            .try_into()
            .map_err(|e: argon2::password_hash::Error| e.to_string())?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the PHC string `phc` (with its own
/// parameters), compared in constant time.
fn verify_with(memory: &mut Vec<Block>, password: &str, phc: &str) -> Result<bool, String> {
    let parsed = PasswordHash::new(phc).map_err(|e| e.to_string())?;
    let expected = parsed.hash.ok_or("the stored hash has no output")?;
    let algorithm = Algorithm::try_from(parsed.algorithm).map_err(|e| e.to_string())?;
    let version = parsed
        .version
        .map(Version::try_from)
        .transpose()
        .map_err(|e| e.to_string())?
        .unwrap_or_default();
    let params = Params::try_from(&parsed).map_err(|e| e.to_string())?;
    let salt = parsed.salt.ok_or("the stored hash has no salt")?;
    let mut salt_bytes = [0u8; 64];
    let salt_raw = salt
        .decode_b64(&mut salt_bytes)
        .map_err(|e| e.to_string())?;
    let argon2 = Argon2::new(algorithm, version, params.clone());
    let mut out = vec![0u8; expected.len()];
    argon2
        .hash_password_into_with_memory(
            password.as_bytes(),
            salt_raw,
            &mut out,
            blocks(memory, &params),
        )
        .map_err(|e| e.to_string())?;
    let actual = Output::new(&out).map_err(|e| e.to_string())?;
    // `Output`'s equality is constant-time.
    Ok(actual == expected)
}

/// Hashes `password` into a PHC string.
///
/// Errors: [`AppError::Busy`] when too many hashes are waiting.
pub async fn hash(password: String) -> Result<String, AppError> {
    hashers().hash(password).await
}

/// Checks `password` against `stored`. With no stored hash (unknown account)
/// it still does the same work against a dummy hash and answers `false`, so
/// response times do not reveal whether an account exists.
///
/// Errors: [`AppError::Busy`] when too many hashes are waiting.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, AppError> {
    let known = stored.is_some();
    let phc = match stored {
        Some(phc) => phc,
        None => dummy_hash().await?,
    };
    let (reply, answer) = oneshot::channel();
    let ok = hashers()
        .submit(
            Job::Verify {
                password,
                phc,
                reply,
            },
            answer,
        )
        .await?;
    Ok(ok && known)
}

/// A hash of a constant, to verify against for unknown accounts.
async fn dummy_hash() -> Result<String, AppError> {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DUMMY
        .get_or_try_init(|| hash("porchlight-dummy-password".to_owned()))
        .await
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_verifies_and_uses_argon2id() {
        let phc = hash("correct horse battery".into()).await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
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
    async fn hashes_agree_with_the_reference_implementation() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        // Ours verified by the library's own verifier, and the library's by ours.
        let ours = hash("a shared secret".into()).await.unwrap();
        let reference = Argon2::default();
        assert!(
            reference
                .verify_password(b"a shared secret", &PasswordHash::new(&ours).unwrap())
                .is_ok()
        );
        let salt = SaltString::generate(&mut OsRng);
        let theirs = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8 * 1024, 1, 1, None).unwrap(),
        )
        .hash_password(b"another secret", &salt)
        .unwrap()
        .to_string();
        assert!(
            verify("another secret".into(), Some(theirs.clone()))
                .await
                .unwrap()
        );
        assert!(!verify("not it".into(), Some(theirs)).await.unwrap());
    }

    #[tokio::test]
    async fn unknown_account_never_verifies() {
        assert!(
            !verify("porchlight-dummy-password".into(), None)
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn a_full_queue_answers_busy_at_once() {
        // Workers of its own, so the other tests' hashes are not refused.
        let hashers = Hashers::start(1, 2);
        let burst = (0..12).map(|_| hashers.hash("a burst of passwords".into()));
        let answers = futures::future::join_all(burst).await;
        assert!(answers.contains(&Err(AppError::Busy)), "some are refused");
        assert!(answers.iter().any(Result::is_ok), "the rest are hashed");
    }
}
