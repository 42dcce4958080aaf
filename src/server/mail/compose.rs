//! Composing email: what each kind says (its template and values) for a
//! claimed outbox row, with a fresh link where the email carries one.
//!
//! Links are made at send time, so an email retried later never carries a
//! link that was superseded meanwhile; their hashes are stored in the same
//! transaction that reads what the emails show.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use minijinja::{Value, context};

use super::templates::{Rendered, Template};
use crate::model::{EmailKind, InvitationKind, Language, OrganizationId};
use crate::server::Clock;
use crate::server::auth::token::{keyed_hash, random_token};
use crate::server::dates::Local;
use crate::server::db::outbox::OutboxEmail;
use crate::server::db::{self, Db, Tx};

/// Why an email could not be composed.
#[derive(Debug)]
pub enum ComposeError {
    /// What it was about is gone or was superseded (an invitation accepted
    /// or revoked, a newer reset link): it is not sent.
    Gone,
    /// The database failed while preparing it: the reason, as recorded in
    /// the delivery log (it is retried).
    Db(String),
    /// A template failed to render (a value missing): a programming error,
    /// logged; retried in case a fixed server takes over.
    Template(String),
}

impl From<sqlx::Error> for ComposeError {
    fn from(e: sqlx::Error) -> Self {
        ComposeError::Db(e.to_string())
    }
}

impl From<minijinja::Error> for ComposeError {
    fn from(e: minijinja::Error) -> Self {
        tracing::error!(error = %format!("{e:#}"), "an email template failed to render");
        ComposeError::Template(e.to_string())
    }
}

/// Composes the outbox's emails for one server.
#[derive(Clone)]
pub struct Composer {
    /// Where the emails' facts are read and their links stored.
    pub db: Db,
    /// The portal's address: links are made absolute against it.
    pub public_url: url::Url,
    /// Keys the stored hashes of the links.
    pub secret: Arc<[u8]>,
    /// The time links are made at (ms, via [`Clock::now_ms`]).
    pub clock: Clock,
    /// How long a sign-up confirmation link works once sent (a sign-up rule,
    /// given by the domain).
    pub signup_link_lifetime: Duration,
}

impl Composer {
    /// Composes every email of a batch, in order; their links are stored in
    /// one transaction. If that transaction fails, every email gets the
    /// database error (and is retried later).
    pub async fn batch(&self, batch: &[OutboxEmail]) -> Vec<Result<Rendered, ComposeError>> {
        match self.batch_in_one_transaction(batch).await {
            Ok(out) => out,
            Err(e) => {
                tracing::error!(error = %e, "could not prepare a batch of email");
                let reason = e.to_string();
                batch
                    .iter()
                    .map(|_| Err(ComposeError::Db(reason.clone())))
                    .collect()
            }
        }
    }

    async fn batch_in_one_transaction(
        &self,
        batch: &[OutboxEmail],
    ) -> Result<Vec<Result<Rendered, ComposeError>>, sqlx::Error> {
        let mut tx = self.db.begin().await?;
        // Invitations, the bulk of the mail: one query for what they show
        // and one insert for their fresh links.
        let ids: Vec<i64> = batch
            .iter()
            .filter(|e| e.kind() == Some(EmailKind::Invitation))
            .filter_map(|e| e.invitation_id)
            .collect();
        let views: HashMap<i64, db::invitations::InvitationView> =
            db::invitations::by_ids(&mut *tx, &ids)
                .await?
                .into_iter()
                .map(|v| (v.id, v))
                .collect();
        let mut links = Vec::new();
        let mut out = Vec::with_capacity(batch.len());
        for email in batch {
            if email.kind() != Some(EmailKind::Invitation) {
                out.push(self.one(&mut tx, email).await);
                continue;
            }
            // An invitation accepted or revoked (access disabled, email
            // changed) since the email was queued gets no link.
            let pending = email
                .invitation_id
                .and_then(|id| views.get(&id))
                .filter(|inv| inv.accepted_at.is_none() && inv.revoked_at.is_none());
            out.push(match pending {
                Some(inv) => {
                    let token = random_token();
                    links.push(db::invitations::NewLink {
                        invitation_id: inv.id,
                        token_hash: keyed_hash(&self.secret, &token),
                        expires_at: inv.expires_at,
                    });
                    self.invitation(inv, &token)
                }
                None => Err(ComposeError::Gone),
            });
        }
        db::invitations::add_links(&mut tx, &links, self.clock.now_ms()).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Composes one email inside the batch's transaction. Every read goes
    /// through `tx`: on SQLite the transaction holds the write lock, and
    /// waiting for a second pool connection while holding it can starve the
    /// pool (every other connection waiting for the lock) until SQLite gives
    /// up with "database is locked".
    async fn one(&self, tx: &mut Tx, email: &OutboxEmail) -> Result<Rendered, ComposeError> {
        let Some(kind) = email.kind() else {
            tracing::error!(kind = email.kind, "an email of unknown kind");
            return Err(ComposeError::Gone);
        };
        let org_id = email.organization_id.ok_or(ComposeError::Gone)?;
        let lang = language(&db::users::language_for(tx, org_id, &email.recipient).await?);
        match kind {
            EmailKind::SignupExists => self.signup_exists(tx, org_id, lang).await,
            EmailKind::PasswordReset | EmailKind::PasswordChanged => {
                self.password(tx, email, org_id, lang).await
            }
            EmailKind::SignupConfirm
            | EmailKind::ApprovalRequest
            | EmailKind::SignupApproved
            | EmailKind::SignupRejected => self.signup(tx, email, kind, lang).await,
            EmailKind::EmailChangeConfirm | EmailKind::EmailChanged => {
                self.email_change(tx, email, org_id, kind).await
            }
            EmailKind::Invitation => {
                tracing::error!(outbox_id = email.id, "an invitation outside its batch");
                Err(ComposeError::Gone)
            }
        }
    }

    /// An absolute link to `path` on the portal.
    fn link(&self, path: &str) -> String {
        self.public_url
            .join(path)
            .map_or_else(|_| format!("{}{path}", self.public_url), |u| u.to_string())
    }

    /// An invitation email with the link of `token`.
    fn invitation(
        &self,
        inv: &db::invitations::InvitationView,
        token: &str,
    ) -> Result<Rendered, ComposeError> {
        let template = if inv.kind() == Some(InvitationKind::Join) {
            Template::InvitationJoin
        } else {
            Template::InvitationActivate
        };
        let inviter = inv.inviter_name.as_ref().unwrap_or(&inv.organization_name);
        let local = Local::new(language(&inv.language), &inv.time_zone);
        Ok(template.render(
            local.language,
            &context! {
                first_name => inv.first_name,
                inviter,
                link => self.link(&format!("activate/{token}")),
                expires => local.date(inv.expires_at),
                form_title => inv.form_title,
                ..brand(&inv.organization_name, &inv.accent_color, &inv.logo_url)
            },
        )?)
    }

    /// "You already have an account": sent instead of a confirmation when
    /// someone signs up with an address that has one.
    async fn signup_exists(
        &self,
        tx: &mut Tx,
        org_id: OrganizationId,
        lang: Language,
    ) -> Result<Rendered, ComposeError> {
        let org = db::orgs::settings(&mut **tx, org_id).await?;
        Ok(Template::SignupExists.render(
            lang,
            &context! {
                link => self.link("login"),
                ..brand(&org.name, &org.accent_color, &org.logo_url)
            },
        )?)
    }

    /// A reset link (made here, at send time) or the notice that the
    /// password changed; branded with the organization the email belongs to.
    async fn password(
        &self,
        tx: &mut Tx,
        email: &OutboxEmail,
        org_id: OrganizationId,
        lang: Language,
    ) -> Result<Rendered, ComposeError> {
        let org = db::orgs::settings(&mut **tx, org_id).await?;
        let person = db::users::by_email(&mut **tx, &email.recipient)
            .await?
            .ok_or(ComposeError::Gone)?;
        let brand = brand(&org.name, &org.accent_color, &org.logo_url);
        let local = Local::new(lang, &org.time_zone);
        if email.kind() == Some(EmailKind::PasswordChanged) {
            return Ok(Template::PasswordChanged.render(
                local.language,
                &context! {
                    first_name => person.name,
                    link => self.link("forgot"),
                    ..brand
                },
            )?);
        }
        let reset_id = email.reset_id.ok_or(ComposeError::Gone)?;
        let token = random_token();
        // A link made obsolete meanwhile (a newer request, a use) is not sent.
        let expires = db::resets::set_link(tx, reset_id, &keyed_hash(&self.secret, &token))
            .await?
            .ok_or(ComposeError::Gone)?;
        Ok(Template::PasswordReset.render(
            local.language,
            &context! {
                first_name => person.name,
                link => self.link(&format!("reset/{token}")),
                expires => local.date_time(expires),
                ..brand
            },
        )?)
    }

    /// The link that confirms a new sign-in address (made here, at send
    /// time; none for a request used or superseded meanwhile), or the
    /// notice to the old address once it moved. In the person's language,
    /// branded with the organization where they asked.
    async fn email_change(
        &self,
        tx: &mut Tx,
        email: &OutboxEmail,
        org_id: OrganizationId,
        kind: EmailKind,
    ) -> Result<Rendered, ComposeError> {
        let id = email.email_change_id.ok_or(ComposeError::Gone)?;
        let token = random_token();
        let change = if kind == EmailKind::EmailChangeConfirm {
            db::email_changes::set_link(tx, id, &keyed_hash(&self.secret, &token)).await?
        } else {
            db::email_changes::by_id(&mut **tx, id).await?
        }
        .ok_or(ComposeError::Gone)?;
        let current = db::users::email_of(tx, change.user_id).await?;
        let lang = language(&db::users::language_for(tx, org_id, &current).await?);
        let org = db::orgs::settings(&mut **tx, org_id).await?;
        let local = Local::new(lang, &org.time_zone);
        let brand = brand(&org.name, &org.accent_color, &org.logo_url);
        let rendered = if kind == EmailKind::EmailChangeConfirm {
            Template::EmailChangeConfirm.render(
                lang,
                &context! {
                    first_name => change.name,
                    new_email => change.new_email,
                    link => self.link(&format!("email/confirm/{token}")),
                    expires => local.date_time(change.expires_at),
                    ..brand
                },
            )
        } else {
            Template::EmailChanged.render(
                lang,
                &context! {
                    first_name => change.name,
                    new_email => change.new_email,
                    link => self.link("forgot"),
                    ..brand
                },
            )
        };
        Ok(rendered?)
    }

    /// The emails about an application: its confirmation link, the request
    /// to an approver, and the decision.
    async fn signup(
        &self,
        tx: &mut Tx,
        email: &OutboxEmail,
        kind: EmailKind,
        lang: Language,
    ) -> Result<Rendered, ComposeError> {
        let signup_id = email.signup_id.ok_or(ComposeError::Gone)?;
        let s = db::signups::by_id(&mut **tx, signup_id)
            .await?
            .ok_or(ComposeError::Gone)?;
        let brand = brand(&s.organization_name, &s.accent_color, &s.logo_url);
        let local = Local::new(lang, &s.time_zone);
        let rendered = match kind {
            EmailKind::SignupConfirm => {
                let token = random_token();
                let now = self.clock.now_ms();
                let lifetime =
                    i64::try_from(self.signup_link_lifetime.as_millis()).unwrap_or(i64::MAX / 2);
                let expires = now + lifetime;
                let hash = keyed_hash(&self.secret, &token);
                db::signups::add_link(tx, s.id, &hash, now, expires).await?;
                Template::SignupConfirm.render(
                    lang,
                    &context! {
                        first_name => s.first_name,
                        link => self.link(&format!("signup/confirm/{token}")),
                        expires => local.date_time(expires),
                        ..brand
                    },
                )
            }
            EmailKind::ApprovalRequest => {
                let approver = db::users::by_email(&mut **tx, &email.recipient).await?;
                Template::ApprovalRequest.render(
                    lang,
                    &context! {
                        first_name => approver.map(|u| u.name).unwrap_or_default(),
                        applicant => format!("{} {}", s.first_name, s.last_name),
                        applicant_email => s.email,
                        role => s.role,
                        link => self.link("approvals"),
                        ..brand
                    },
                )
            }
            EmailKind::SignupApproved => Template::SignupApproved.render(
                lang,
                &context! {
                    first_name => s.first_name,
                    link => self.link("login"),
                    ..brand
                },
            ),
            EmailKind::SignupRejected => Template::SignupRejected.render(
                lang,
                &context! {
                    first_name => s.first_name,
                    reason => s.reason.unwrap_or_default(),
                    ..brand
                },
            ),
            other => {
                tracing::error!(kind = %other, "not an email about an application");
                return Err(ComposeError::Gone);
            }
        };
        Ok(rendered?)
    }
}

/// The language a stored tag names; English for one this server does not
/// know (written by a newer version).
fn language(tag: &str) -> Language {
    Language::parse(tag).unwrap_or(Language::English)
}

/// What the shared layout shows: the organization's name, colour and logo
/// (empty for none).
fn brand(organization: &str, accent: &str, logo_url: &str) -> Value {
    context! { organization, accent, logo_url }
}
