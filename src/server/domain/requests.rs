//! Forms that create something cannot create twice: each is shown with a
//! fresh request key ([`new_key`]); the first submission with a key records
//! what it created, and a repeat (a double click, a page sent again, a retry
//! after a lost answer) gets that instead of a second copy.
//!
//! A creating rule calls [`earlier`] before its checks (a repeat must not be
//! refused as "already exists" by the copy it made), then [`claim`] first in
//! the transaction that creates (a concurrent repeat waits there, loses and
//! rolls back) and [`record`] once it knows what it created.

use crate::model::{AppError, UserId};
use crate::server::db::{self, Db, Tx};
use crate::server::domain::rules::{self, RequestKey};

/// A fresh key for a form about to be shown (32 random bytes, base64url).
pub fn new_key() -> String {
    crate::server::auth::token::random_token()
}

/// The checked key, or the field error a form shows at `request_key`.
pub fn key(value: &str) -> Result<RequestKey, AppError> {
    rules::request_key(value).map_err(|p| AppError::field("request_key", p))
}

/// What an earlier request with this key created, if one did.
pub async fn earlier(db: &Db, user: UserId, key: &RequestKey) -> Result<Option<i64>, AppError> {
    Ok(db::requests::created(&db.pool, user, key).await?)
}

/// Claims the key in the transaction that will create, before creating.
/// Err([`Repeat`]) when another request with the same key claimed it (it
/// ran before, or ran at the same time and has now ended): roll back, then
/// ask [`earlier`].
pub async fn claim(
    tx: &mut Tx,
    user: UserId,
    key: &RequestKey,
    now: i64,
) -> Result<Result<(), Repeat>, AppError> {
    Ok(if db::requests::claim(tx, user, key, now).await? {
        Ok(())
    } else {
        Err(Repeat)
    })
}

/// Records, in the claiming transaction, what the request created.
pub async fn record(
    tx: &mut Tx,
    user: UserId,
    key: &RequestKey,
    created_id: i64,
) -> Result<(), AppError> {
    Ok(db::requests::record(tx, user, key, created_id).await?)
}

/// The key was claimed by another request.
#[derive(Debug)]
pub struct Repeat;
