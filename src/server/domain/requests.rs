//! Forms that create something cannot create twice: each is shown with a
//! fresh request key ([`new_key`]); the first submission with a key records
//! what it created, and a repeat (a double click, a page sent again, a retry
//! after a lost answer) gets that instead of a second copy.
//!
//! A creating rule makes a [`Request`], asks [`Request::earlier`] before its
//! checks (a repeat must not be refused as "already exists" by the copy it
//! made), asks it again before returning such a refusal (the first request
//! may have committed meanwhile), [`Request::claim`]s the key first in the
//! transaction that creates (a concurrent repeat waits there, loses and
//! rolls back) and [`Request::record`]s what it created.

use crate::model::{AppError, OrganizationId, UserId};
use crate::server::db::{self, Db, Tx};
use crate::server::domain::rules::{self, RequestKey};

/// A fresh key for a form about to be shown (32 random bytes, base64url).
pub fn new_key() -> String {
    crate::server::auth::token::random_token()
}

/// What a request key is for: keys of different purposes never meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A client of this organization.
    Client(OrganizationId),
    /// A new organization.
    Organization,
}

impl Purpose {
    /// As stored (`request_keys.purpose`).
    fn stored(self) -> String {
        match self {
            Purpose::Client(org) => format!("client:{}", org.0),
            Purpose::Organization => "organization".to_owned(),
        }
    }
}

/// One person's request with a checked key, for one purpose.
pub struct Request {
    user: UserId,
    purpose: String,
    key: RequestKey,
}

/// The key was claimed by another request.
#[derive(Debug)]
pub struct Repeat;

impl Request {
    /// The request of `user` with the form's `key`; the field error a form
    /// shows at `request_key` when the key is missing or malformed.
    pub fn new(user: UserId, purpose: Purpose, key: &str) -> Result<Request, AppError> {
        let key = rules::request_key(key).map_err(|p| AppError::field("request_key", p))?;
        Ok(Request {
            user,
            purpose: purpose.stored(),
            key,
        })
    }

    /// What an earlier request with this key created, if one did.
    pub async fn earlier(&self, db: &Db) -> Result<Option<i64>, AppError> {
        Ok(db::requests::created(&db.pool, self.user, &self.purpose, &self.key).await?)
    }

    /// `refusal`, unless an earlier request with this key created
    /// something meanwhile: then what it created (its "already exists" was
    /// about its own copy).
    pub async fn or_earlier(&self, db: &Db, refusal: AppError) -> Result<i64, AppError> {
        match self.earlier(db).await? {
            Some(id) => Ok(id),
            None => Err(refusal),
        }
    }

    /// Claims the key in the transaction that will create, before creating.
    /// Err([`Repeat`]) when another request with the same key claimed it:
    /// roll back, then ask [`Request::earlier`].
    pub async fn claim(&self, tx: &mut Tx, now: i64) -> Result<Result<(), Repeat>, AppError> {
        let first = db::requests::claim(tx, self.user, &self.purpose, &self.key, now).await?;
        Ok(if first { Ok(()) } else { Err(Repeat) })
    }

    /// Records, in the claiming transaction, what the request created.
    pub async fn record(&self, tx: &mut Tx, created_id: i64) -> Result<(), AppError> {
        Ok(db::requests::record(tx, self.user, &self.purpose, &self.key, created_id).await?)
    }
}
