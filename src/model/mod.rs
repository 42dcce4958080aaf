//! Types shared by the server and the browser: the error type and the DTOs
//! that server functions return.

/// `td_string!` for a catalog key with a `one` and an `other` form:
/// `counted!(locale, n, clients.count, count = …)` reads `clients.count.one`
/// or `clients.count.other` as `n` asks in the locale's language
/// ([`Language::is_one`]); a `String` either way.
macro_rules! counted {
    ($locale:expr, $n:expr, $($key:ident).+ $(, $($args:tt)*)?) => {{
        let locale = $locale;
        if $crate::model::Language::of_locale(locale).is_one($n) {
            $crate::i18n::td_string!(locale, $($key).+ .one $(, $($args)*)?).to_string()
        } else {
            $crate::i18n::td_string!(locale, $($key).+ .other $(, $($args)*)?).to_string()
        }
    }};
}
pub(crate) use counted;

mod error;
pub mod forms;
mod ids;
pub mod kinds;
pub mod live;
pub mod overview;
mod permissions;
mod problem;

pub use error::{AppError, FieldError, Validator};
pub use ids::{AccountId, ClientId, OrganizationId, PlanId, UserId};
pub use kinds::{
    AuditFilter, AuditKind, ClientFilter, EmailKind, FieldKind, ImportField, ImportStatus,
    InvitationKind, InvoiceStatus, JobStatus, Language, MailStatus, Place, PortalSection, Role,
    SettingsSection, SignupStatus,
};
pub use overview::{Attention, AttentionItem, Funnel, Overview, WeekCount};
pub use permissions::{Overrides, Permissions};
pub use problem::Problem;

use serde::{Deserialize, Serialize};

/// What the portal shell needs to draw itself for a signed-in person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShellInfo {
    pub user_name: String,
    pub user_email: String,
    pub organization_id: i64,
    pub organization_name: String,
    pub organization_slug: String,
    pub role: Role,
    /// Every organization the person can switch to, the current one included.
    pub organizations: Vec<OrganizationChoice>,
    /// Whether this person may open the development mailbox (an owner, on a
    /// server that keeps email there).
    pub sees_mailbox: bool,
    /// False while the organization's client portal is off (every staff
    /// page says so).
    pub portal_enabled: bool,
    /// The language the person reads the portal in.
    pub language: Language,
}

/// An organization in the switcher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationChoice {
    pub id: i64,
    pub name: String,
}

impl Role {
    /// The role's name in `locale`, as a label ("Collaborator").
    pub fn label(self, locale: crate::i18n::Locale) -> &'static str {
        use crate::i18n::td_string;
        match self {
            Role::Owner => td_string!(locale, role_names.owner),
            Role::Admin => td_string!(locale, role_names.admin),
            Role::Staff => td_string!(locale, role_names.staff),
            Role::Collaborator => td_string!(locale, role_names.collaborator),
            Role::Client => td_string!(locale, role_names.client),
        }
    }

    /// The role's name in `locale`, as written inside a sentence.
    pub fn name(self, locale: crate::i18n::Locale) -> &'static str {
        use crate::i18n::td_string;
        match self {
            Role::Owner => td_string!(locale, roles.owner),
            Role::Admin => td_string!(locale, roles.admin),
            Role::Staff => td_string!(locale, roles.staff),
            Role::Collaborator => td_string!(locale, roles.collaborator),
            Role::Client => td_string!(locale, roles.client),
        }
    }

    /// Owners, admins and staff work in the portal; clients and collaborators
    /// only see their own dashboard.
    pub const fn is_staff(self) -> bool {
        matches!(self, Role::Owner | Role::Admin | Role::Staff)
    }
}

/// A client: one member of a client account, as the client list, the
/// account page and the client page show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientRow {
    pub id: i64,
    pub account_id: i64,
    pub account_name: String,
    pub place: Place,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    /// The role they get, or hold once active here.
    pub role: Role,
    /// The language chosen for the client's emails and pages; None: the
    /// organization's.
    pub language: Option<Language>,
    /// Already formatted on the server, so server and browser render the same text.
    pub created: String,
    pub status: ClientStatus,
    /// The status in words, with its time: "Invitation sent 2 h ago".
    pub status_text: String,
    /// Their latest form in words ("Form Intake: waiting"); None when
    /// none was sent (or the page does not say).
    pub form: Option<String>,
}

/// Where a client stands, for styling and filtering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientStatus {
    NoEmail,
    NotInvited,
    Queued,
    Sent,
    Waiting,
    WaitingToJoin,
    Expired,
    EmailFailed,
    Active,
    Disabled,
}

impl ClientStatus {
    /// The list filter that shows a client in this status. The database
    /// filters on its own stored state; a parity test checks that both agree
    /// for every kind of client.
    pub const fn filter(self) -> ClientFilter {
        match self {
            ClientStatus::NoEmail => ClientFilter::NoEmail,
            ClientStatus::NotInvited => ClientFilter::NotInvited,
            ClientStatus::Queued
            | ClientStatus::Sent
            | ClientStatus::Waiting
            | ClientStatus::WaitingToJoin => ClientFilter::Pending,
            ClientStatus::Expired => ClientFilter::Expired,
            ClientStatus::EmailFailed => ClientFilter::Failed,
            ClientStatus::Active => ClientFilter::Active,
            ClientStatus::Disabled => ClientFilter::Disabled,
        }
    }

    /// Whether the portal access switch reads "on": the person may use the
    /// portal or has a way in (invited, active). Off while disabled, or
    /// never invited (turning it on sends the first invitation).
    pub const fn portal_access(self) -> bool {
        !matches!(
            self,
            ClientStatus::Disabled | ClientStatus::NotInvited | ClientStatus::NoEmail
        )
    }

    /// How the status's badge looks; its words always say the status too.
    pub const fn tone(self) -> BadgeTone {
        match self {
            ClientStatus::NoEmail | ClientStatus::NotInvited => BadgeTone::Neutral,
            ClientStatus::Queued
            | ClientStatus::Sent
            | ClientStatus::Waiting
            | ClientStatus::WaitingToJoin => BadgeTone::Pending,
            ClientStatus::Expired | ClientStatus::EmailFailed | ClientStatus::Disabled => {
                BadgeTone::Problem
            }
            ClientStatus::Active => BadgeTone::Good,
        }
    }
}

/// A badge's colour (`app::ui::Badge`): a hint beside its words, never the
/// only sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadgeTone {
    /// Nothing under way (no email, not invited).
    Neutral,
    /// Waiting for someone (sent, waiting to join).
    Pending,
    /// Needs a hand (expired, failed, disabled).
    Problem,
    /// Done (active).
    Good,
}

impl BadgeTone {
    /// The stylesheet's class for it (`.status.<class>`).
    pub const fn class(self) -> &'static str {
        match self {
            BadgeTone::Neutral => "neutral",
            BadgeTone::Pending => "pending",
            BadgeTone::Problem => "problem",
            BadgeTone::Good => "good",
        }
    }
}

/// The password policy: at least this many characters (Unicode scalar
/// values)…
pub const PASSWORD_MIN: usize = 10;
/// …and at most this many.
pub const PASSWORD_MAX: usize = 128;

/// Clients on one page of the client list.
pub const CLIENT_PAGE_SIZE: i64 = 50;

/// One page of the client list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientPage {
    pub rows: Vec<AccountRow>,
    /// How many accounts match; a lower bound when `more` is set.
    pub total: i64,
    /// More than `total` match: counting stopped there.
    pub more: bool,
}

/// One row of the client list: a client account and its members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRow {
    pub id: i64,
    pub name: String,
    pub plan: Option<String>,
    pub assigned_staff: Option<String>,
    /// Owners first, then guests.
    pub members: Vec<ClientRow>,
    /// The members that match the list's search or status filter (empty
    /// when the list shows everyone).
    pub matched: Vec<i64>,
    /// Files its members uploaded that no staff member marked as seen.
    pub new_uploads: i64,
}

impl AccountRow {
    /// Members whose portal access is active.
    pub fn active(&self) -> usize {
        self.members
            .iter()
            .filter(|m| m.status == ClientStatus::Active)
            .count()
    }
}

/// A client account with everything its page shows and offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountDetail {
    pub id: i64,
    pub name: String,
    pub plan_id: Option<i64>,
    pub assigned_staff_id: Option<i64>,
    /// "3 Nov 2026".
    pub created: String,
    /// Owners first, then guests.
    pub members: Vec<ClientRow>,
    /// The organization's plans, to choose from.
    pub plans: Vec<Choice>,
    /// The organization's owners, admins and staff, to assign.
    pub staff: Vec<Choice>,
    /// What the organization lets clients use…
    pub organization_permissions: Permissions,
    /// …and the account's own choices over it.
    pub overrides: Overrides,
    /// The reader is an owner or admin: they may change its permissions.
    pub can_manage: bool,
}

/// What the client list's filters offer: the organization's plans and
/// staff.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountChoices {
    pub plans: Vec<Choice>,
    pub staff: Vec<Choice>,
}

/// Something to choose in a menu: its id and its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i64,
    pub name: String,
}

/// One of an organization's plans, with how many accounts are on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub id: i64,
    pub name: String,
    pub accounts: i64,
}

/// What "Invite all owners" did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnersInvited {
    pub invited: i64,
    pub skipped_active: i64,
    pub skipped_no_email: i64,
    pub skipped_disabled: i64,
    /// Owners the person may not invite (they rank higher).
    pub skipped_rank: i64,
    /// Collaborator owners who found no seat left.
    pub skipped_seats: i64,
}

/// The account a client sees on their dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardAccount {
    pub name: String,
    /// Everyone in it, the reader included, owners first.
    pub members: Vec<AccountMate>,
}

/// A member of the reader's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountMate {
    pub name: String,
    pub place: Place,
    /// They activated their portal access.
    pub joined: bool,
    /// Shown to owners only: a guest never sees an owner's address.
    pub email: Option<String>,
    /// This is the reader.
    pub you: bool,
}

/// A column of an imported file: its header and the field it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportColumn {
    pub header: String,
    pub field: ImportField,
    /// The header was recognised (else the column is ignored until the
    /// person chooses its field).
    pub recognised: bool,
}

/// A row of an imported file that will not be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    /// The line in the file (1 is the header's).
    pub line: i64,
    /// The header of the column at fault.
    pub column: String,
    /// What that column held on the line.
    pub value: String,
    pub problem: Problem,
}

/// An import: its preview while it waits, then its progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportView {
    pub id: i64,
    pub file_name: String,
    pub started_by: String,
    /// "3 Nov 2026, 14:05 UTC".
    pub uploaded: String,
    pub status: ImportStatus,
    /// The columns and their fields (while a preview).
    pub columns: Vec<ImportColumn>,
    /// Rows under the header.
    pub rows: i64,
    pub new_accounts: i64,
    pub new_members: i64,
    /// Rows matching a member already here (by email, else by account and
    /// name): skipped, or updated when asked.
    pub existing: i64,
    /// Rows with a problem, all of them; the first are in `shown_problems`.
    pub problems: i64,
    pub shown_problems: Vec<RowProblem>,
    pub update_existing: bool,
    pub invite: bool,
    /// Rows the job writes; the progress bar's end.
    pub expected: i64,
    pub done_rows: i64,
    pub created_accounts: i64,
    pub created_members: i64,
    pub updated: i64,
    /// Rows skipped: with problems, or matching a member.
    pub skipped: i64,
    pub invited: i64,
}

/// What an activation link's page shows. Unknown, used and revoked links get
/// the same `Closed` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationPage {
    /// Set a password to activate.
    Activate {
        organization: String,
        name: String,
        email: String,
    },
    /// The email already has an account: sign in to accept.
    Join {
        organization: String,
        name: String,
        email: String,
        signed_in_as: Option<String>,
    },
    Expired {
        organization: String,
        expired_on: String,
    },
    /// The link works, but the organization's client portal is off for now.
    PortalClosed {
        organization: String,
    },
    Closed,
}

/// A signed-in person's own page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub name: String,
    pub email: String,
    pub organizations: Vec<OrganizationChoice>,
    pub current_organization: String,
    pub current_organization_id: i64,
    /// The organization's brand: its accent colour (#rrggbb) and logo (an
    /// https address; empty for none).
    pub accent_color: String,
    pub logo_url: String,
    /// The language the person reads the portal in.
    pub language: Language,
    /// Their client account in the current organization, if they are a
    /// member of one.
    pub account: Option<DashboardAccount>,
    /// The portal sections they may use there (none without an account).
    pub sections: Vec<PortalSection>,
    /// Their contact details there, when they may change them (the Profile
    /// section).
    pub contact: Option<ContactDetails>,
}

/// A client's own contact details, as their profile form shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactDetails {
    /// Empty for none.
    pub phone: String,
    /// Lines joined by `\n`; empty for none.
    pub postal_address: String,
    /// The address they asked to sign in with, waiting for its
    /// confirmation link to be used.
    pub pending_email: Option<String>,
}

/// The page of a link that confirms a new sign-in address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailChangePage {
    /// Where the change was asked.
    pub organization: String,
    pub new_email: String,
}

/// A message in the development mailbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxMessage {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub received: String,
}

/// One client with everything that happened to them, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientDetail {
    pub client: ClientRow,
    /// The contact details the client keeps themselves (empty: none given).
    pub phone: String,
    /// Lines joined by `\n`.
    pub postal_address: String,
    /// Files the members of their account uploaded that no staff member
    /// marked as seen.
    pub new_uploads: i64,
    pub timeline: Vec<TimelineEntry>,
}

/// A file shared with a client account, as a page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentView {
    pub id: i64,
    /// The cleaned file name.
    pub name: String,
    /// The type found from its content, e.g. `application/pdf`.
    pub content_type: String,
    /// "2.4 MB", in the reader's language.
    pub size: String,
    /// When it was uploaded, in the reader's time zone.
    pub uploaded: String,
    /// Who uploaded it.
    pub uploaded_by: String,
    /// A member of the account uploaded it (staff did otherwise).
    pub from_client: bool,
    /// A member's upload no staff member marked as seen.
    pub new_upload: bool,
    /// Set when the document is an invoice.
    pub invoice: Option<InvoiceView>,
}

/// An account's files as staff see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountFiles {
    /// Newest first.
    pub documents: Vec<DocumentView>,
    /// The reader is an owner or admin: they may remove files.
    pub can_delete: bool,
}

/// An invoice's details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceView {
    pub number: String,
    /// As the reader reads dates ("3 Dec 2026")…
    pub issued_on: String,
    pub due_on: String,
    /// …and as a date field holds them (YYYY-MM-DD).
    pub issued_value: String,
    pub due_value: String,
    /// "CAD 1,234.50", in the reader's language.
    pub amount: String,
    /// As typed in the form: "1234.50".
    pub amount_value: String,
    /// ISO 4217, e.g. "CAD".
    pub currency: String,
    pub status: InvoiceStatus,
    /// Where it can be paid: shown to staff always, to a client only while
    /// Payments is theirs and the invoice is open.
    pub payment_url: Option<String>,
}

/// A line of a client's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// Formatted on the server: "3 Nov 2026, 14:05 UTC".
    pub when: String,
    pub text: String,
    pub problem: bool,
}

/// An organization's invitation settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationSettings {
    pub name: String,
    pub slug: String,
    /// Invite a client as soon as they are created with an email.
    pub auto_invite: bool,
    /// 1–365 days.
    pub invitation_lifetime_days: i64,
    /// "#rrggbb", used in emails.
    pub accent_color: String,
    /// The https address of a logo shown at the top of emails; empty for none.
    pub logo_url: String,
    /// off | clients | collaborators | both
    pub signup_mode: String,
    /// automatic | approver
    pub signup_approval: String,
    /// Owners and admins, and whether each approves applications.
    pub approvers: Vec<ApproverChoice>,
    /// None: no limit.
    pub collaborator_seats: Option<i64>,
    /// How long a password reset link works, 1–24 hours.
    pub reset_lifetime_hours: i64,
    /// The language the organization writes to people in, unless they or
    /// their client record say otherwise.
    pub default_language: Language,
    /// Where its times are shown: an IANA name such as America/Toronto.
    pub time_zone: String,
    /// Owners and admins may change settings; staff may only read them.
    pub can_edit: bool,
    /// While false, clients and collaborators cannot sign in, activate or
    /// sign up, and invitation email waits in the outbox.
    pub portal_enabled: bool,
    /// What clients may use unless their account says otherwise.
    pub permissions: Permissions,
}

/// An organization's front door, `/o/<slug>`: its branded sign-in page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalDoor {
    pub organization: String,
    /// The organization's current slug: when it is not the one asked for,
    /// that one is an old address and the page goes on to this one.
    pub slug: String,
    /// "#rrggbb".
    pub accent_color: String,
    /// An https address; empty for none.
    pub logo_url: String,
    /// False while the portal is off: the page says so and shows no form.
    pub portal_open: bool,
    /// Whether the organization takes sign-ups (the page links to them).
    pub signup_open: bool,
}

/// The sign-up page of an organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignupPage {
    pub organization: String,
    /// The roles one may sign up for (client, collaborator); empty when closed.
    pub roles: Vec<Role>,
    /// False while the organization's client portal is off (no role is
    /// open then).
    pub portal_open: bool,
}

/// What a sign-up confirmation link's page shows. Unknown, used and
/// superseded links get the same `Closed` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignupLinkPage {
    Confirm { organization: String, name: String },
    Expired,
    Closed,
}

/// What confirming a sign-up did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignupConfirmed {
    /// Signed in (approval is automatic).
    Admitted,
    /// The application waits for an approver.
    Waiting,
}

/// An application in the approval queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    pub id: i64,
    pub name: String,
    pub username: String,
    pub email: String,
    /// The role applied for.
    pub role: Role,
    /// "5 min ago".
    pub applied: String,
}

/// A line of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLine {
    /// "3 Nov 2026, 14:05 UTC".
    pub when: String,
    /// "Sign-in failed", "Access disabled", …
    pub event: String,
    /// Who did it; empty when the person did it themselves.
    pub by: String,
    /// Whom it concerns.
    pub about: String,
    pub detail: String,
}

/// A member who may approve sign-ups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApproverChoice {
    pub id: i64,
    pub name: String,
    pub chosen: bool,
}

/// What a bulk invitation would do, before anything is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkPreview {
    /// The selection in words: "Created on or after 3 Nov 2026".
    pub description: String,
    pub activate: i64,
    pub join: i64,
    pub skipped_active: i64,
    pub skipped_no_email: i64,
    pub skipped_disabled: i64,
    pub skipped_recent: i64,
    /// Staff or admins the person starting the job may not invite.
    pub skipped_rank: i64,
    /// Collaborators who would take a seat while seats are limited: they are
    /// invited one by one, where the seat is counted.
    pub skipped_seats: i64,
    /// Sent back with the confirmation: confirming twice with one key starts
    /// one job.
    pub request_key: String,
}

impl BulkPreview {
    pub fn invitations(&self) -> i64 {
        self.activate + self.join
    }
}

/// A bulk invitation job and how far it got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkJob {
    pub id: i64,
    pub description: String,
    pub started_by: String,
    /// "3 Nov 2026, 14:05 UTC".
    pub started: String,
    pub status: JobStatus,
    /// Invitations the preview promised; the progress bar's end while running.
    pub expected: i64,
    /// Invitations queued so far (activation and join).
    pub queued: i64,
    pub joined: i64,
    pub sent: i64,
    pub failed: i64,
    pub skipped: i64,
}

impl BulkJob {
    /// What the progress bar runs up to: the promise while running, what was
    /// queued once finished.
    pub fn goal(&self) -> i64 {
        if self.status == JobStatus::Running {
            self.expected.max(self.queued)
        } else {
            self.queued
        }
    }

    /// Every queued email has been sent or has failed for good.
    pub fn settled(&self) -> bool {
        self.status != JobStatus::Running && self.sent + self.failed >= self.queued
    }
}

/// A count with the thousands separator of `language`: 12345 → "12,345"
/// in English, "12 345" (a narrow no-break space) in French.
pub fn format_count(n: i64, language: Language) -> String {
    let separator = match language {
        Language::English => ',',
        Language::French => '\u{202F}',
    };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Language, Role, format_count};

    #[test]
    fn roles_travel_under_their_stored_names_and_read_the_old_ones() {
        assert_eq!(serde_json::to_string(&Role::Client).unwrap(), r#""client""#);
        for role in [
            Role::Owner,
            Role::Admin,
            Role::Staff,
            Role::Collaborator,
            Role::Client,
        ] {
            let stored = format!("{:?}", format!("{role:?}"));
            assert_eq!(
                serde_json::from_str::<Role>(&stored).unwrap(),
                role,
                "{stored}"
            );
            let named = format!("{:?}", role.as_str());
            assert_eq!(
                serde_json::from_str::<Role>(&named).unwrap(),
                role,
                "{named}"
            );
        }
    }

    #[test]
    fn counts_get_thousands_separators() {
        let en = |n| format_count(n, Language::English);
        assert_eq!(en(0), "0");
        assert_eq!(en(999), "999");
        assert_eq!(en(1000), "1,000");
        assert_eq!(en(1234567), "1,234,567");
        assert_eq!(en(-10000), "-10,000");
        assert_eq!(
            format_count(1234567, Language::French),
            "1\u{202F}234\u{202F}567"
        );
    }
}
