//! Why a request was refused, as a value: the server says which
//! [`Problem`] (and the names it mentions), the page words it in the
//! reader's language from the catalog (`problems.<key>` in
//! `locales/<lang>.json`). Adding one: a variant here, its arm in
//! [`Problem::text`], its entry in both catalogs.

use serde::{Deserialize, Serialize};

use super::Role;
use crate::i18n::{Locale, td_string};

/// One refusal, with what it names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum Problem {
    // Names, text, addresses, passwords (`server::domain::rules`).
    NameInvisibleCharacters,
    NameEmpty,
    NameTooLong,
    TextControlCharacters,
    TextTooLong,
    EmailEmpty,
    EmailPlainCharacters,
    EmailMalformed,
    SlugLength,
    SlugCharacters,
    SlugTaken,
    /// One of the words the site keeps for itself.
    SlugReserved,
    UsernameCharacters,
    UsernameTaken,
    /// `min`: characters.
    PasswordTooShort {
        min: usize,
    },
    /// `max`: characters.
    PasswordTooLong {
        max: usize,
    },
    PasswordIsEmail,
    PasswordCommon,
    // Clients and their access.
    RoleOwnersOnly,
    RoleChoose,
    ClientEmailExists,
    AlreadyMember {
        role: Role,
    },
    LanguageChoose,
    LanguageFromList,
    AlreadyActive,
    ClientAccessDisabled,
    NoEmailToInvite,
    NotActivated,
    /// No seat left for one more collaborator (staff side).
    SeatsFull,
    /// No seat left, as told to the person applying or accepting.
    SeatsFullAt {
        organization: String,
    },
    EmailIsTheirs,
    CannotDisableSelf,
    FilterChoose,
    // Client accounts and plans.
    PlaceChoose,
    /// Moving or changing this member would leave their account without
    /// an owner.
    AccountKeepsOwner,
    /// The member is in that account already.
    SameAccount,
    AccountChoose,
    PlanNameTaken,
    PlanChoose,
    StaffChoose,
    // Importing clients from a file.
    ImportTooLarge,
    ImportTooManyRows,
    ImportNotCsv,
    ImportEmpty,
    ImportMapping,
    ImportMapNames,
    ImportChooseRows,
    ImportStarted,
    ImportRole,
    ImportUnknownPlan,
    ImportUnknownStaff,
    /// `line`: where the address was first.
    ImportEmailTwice {
        line: u64,
    },
    ImportAccountNoOwner {
        account: String,
    },
    /// The row's person is a member already (and was not updated).
    ImportExisting,
    // Setup and sign-in.
    AlreadySetUp,
    AccessDisabledAt {
        organization: String,
    },
    AccessDisabledEverywhere,
    /// The organization switched its client portal off: told to a client or
    /// collaborator signing in, activating or signing up.
    PortalClosed {
        organization: String,
    },
    /// Told to staff: no invitation is sent while the portal is off.
    PortalOff,
    // Links.
    InvitationLinkUnusable,
    InvitationOtherAddress,
    AlreadyMemberOf {
        organization: String,
        role: Role,
    },
    ResetLinkUnusable,
    SignupLinkUnusable,
    // Sign-ups and approvals.
    SignupsClosed {
        organization: String,
    },
    SignupRoleClosed,
    SignupRoleChoose,
    ApplicantTaken {
        name: String,
    },
    ApplicantInvited {
        name: String,
        role: Role,
    },
    ApplicationsFromList,
    ApplicationsTooMany,
    ApplicationsNone,
    ApplicationDecided {
        name: String,
    },
    ApplicationWaiting {
        organization: String,
    },
    ApplicationRejected {
        organization: String,
    },
    ReasonTooLong,
    // Bulk invitations.
    TickOne,
    TickAtMost,
    TickFromList,
    DateChoose,
    DaysRange,
    RuleChoose,
    RequestKeyMissing,
    /// A settings form named no section this server knows.
    SettingsSectionChoose,
    JobFinished,
    // Settings.
    ColourFormat,
    LogoAddress,
    HoursRange,
    TimeZoneName,
    SignupModeChoose,
    SeatsRange,
    ApproversFromList,
    ApproversChoose,
    ApprovalChoose,
    // Documents and invoices.
    FileEmpty,
    FileType,
    FileTooLarge,
    FileCutShort,
    InvoiceNumber,
    DayFormat,
    DueBeforeIssue,
    AmountFormat,
    CurrencyCode,
    InvoiceStatusChoose,
    HttpsAddress,
    // Intake forms.
    FormFieldCount,
    FormFieldLabel,
    FormChoices,
    AnswerRequired,
    AnswerTooLong,
    AnswerNumber,
    AnswerChoose,
    FormSubmitted,
    /// A permission choice other than the organization's, on or off.
    PermissionChoose,
    // A client's own profile.
    PhoneFormat,
    PostalAddressTooLong,
    /// The new sign-in address is the one they have.
    EmailUnchanged,
    /// The current password given to confirm a change is not theirs.
    PasswordWrong,
    EmailChangeLinkUnusable,
    /// The address was taken by another account after the link was sent.
    EmailTakenNow,
    // Read from a page's address, where any words could have been written.
    CheckField,
    DidNotWork,
}

impl Problem {
    /// The problem in words, in `locale`.
    pub fn text(&self, locale: Locale) -> String {
        use Problem::*;
        let role = |r: &Role| r.name(locale);
        match self {
            NameInvisibleCharacters => {
                td_string!(locale, problems.name_invisible_characters).into()
            }
            NameEmpty => td_string!(locale, problems.name_empty).into(),
            NameTooLong => td_string!(locale, problems.name_too_long).into(),
            TextControlCharacters => td_string!(locale, problems.text_control_characters).into(),
            TextTooLong => td_string!(locale, problems.text_too_long).into(),
            EmailEmpty => td_string!(locale, problems.email_empty).into(),
            EmailPlainCharacters => td_string!(locale, problems.email_plain_characters).into(),
            EmailMalformed => td_string!(locale, problems.email_malformed).into(),
            SlugLength => td_string!(locale, problems.slug_length).into(),
            SlugCharacters => td_string!(locale, problems.slug_characters).into(),
            SlugTaken => td_string!(locale, problems.slug_taken).into(),
            SlugReserved => td_string!(locale, problems.slug_reserved).into(),
            UsernameCharacters => td_string!(locale, problems.username_characters).into(),
            UsernameTaken => td_string!(locale, problems.username_taken).into(),
            PasswordTooShort { min } => td_string!(locale, problems.password_too_short, min = *min),
            PasswordTooLong { max } => td_string!(locale, problems.password_too_long, max = *max),
            PasswordIsEmail => td_string!(locale, problems.password_is_email).into(),
            PasswordCommon => td_string!(locale, problems.password_common).into(),
            RoleOwnersOnly => td_string!(locale, problems.role_owners_only).into(),
            RoleChoose => td_string!(locale, problems.role_choose).into(),
            ClientEmailExists => td_string!(locale, problems.client_email_exists).into(),
            AlreadyMember { role: r } => {
                td_string!(locale, problems.already_member, role = role(r))
            }
            LanguageChoose => td_string!(locale, problems.language_choose).into(),
            LanguageFromList => td_string!(locale, problems.language_from_list).into(),
            AlreadyActive => td_string!(locale, problems.already_active).into(),
            ClientAccessDisabled => td_string!(locale, problems.client_access_disabled).into(),
            NoEmailToInvite => td_string!(locale, problems.no_email_to_invite).into(),
            NotActivated => td_string!(locale, problems.not_activated).into(),
            SeatsFull => td_string!(locale, problems.seats_full).into(),
            SeatsFullAt { organization } => {
                td_string!(locale, problems.seats_full_at, organization)
            }
            EmailIsTheirs => td_string!(locale, problems.email_is_theirs).into(),
            CannotDisableSelf => td_string!(locale, problems.cannot_disable_self).into(),
            FilterChoose => td_string!(locale, problems.filter_choose).into(),
            PlaceChoose => td_string!(locale, problems.place_choose).into(),
            AccountKeepsOwner => td_string!(locale, problems.account_keeps_owner).into(),
            SameAccount => td_string!(locale, problems.same_account).into(),
            AccountChoose => td_string!(locale, problems.account_choose).into(),
            PlanNameTaken => td_string!(locale, problems.plan_name_taken).into(),
            PlanChoose => td_string!(locale, problems.plan_choose).into(),
            StaffChoose => td_string!(locale, problems.staff_choose).into(),
            ImportTooLarge => td_string!(locale, problems.import_too_large).into(),
            ImportTooManyRows => td_string!(locale, problems.import_too_many_rows).into(),
            ImportNotCsv => td_string!(locale, problems.import_not_csv).into(),
            ImportEmpty => td_string!(locale, problems.import_empty).into(),
            ImportMapping => td_string!(locale, problems.import_mapping).into(),
            ImportMapNames => td_string!(locale, problems.import_map_names).into(),
            ImportChooseRows => td_string!(locale, problems.import_choose_rows).into(),
            ImportStarted => td_string!(locale, problems.import_started).into(),
            ImportRole => td_string!(locale, problems.import_role).into(),
            ImportUnknownPlan => td_string!(locale, problems.import_unknown_plan).into(),
            ImportUnknownStaff => td_string!(locale, problems.import_unknown_staff).into(),
            ImportEmailTwice { line } => {
                td_string!(locale, problems.import_email_twice, line = *line)
            }
            ImportAccountNoOwner { account } => {
                td_string!(locale, problems.import_account_no_owner, account)
            }
            ImportExisting => td_string!(locale, problems.import_existing).into(),
            AlreadySetUp => td_string!(locale, problems.already_set_up).into(),
            AccessDisabledAt { organization } => {
                td_string!(locale, problems.access_disabled_at, organization)
            }
            PortalClosed { organization } => {
                td_string!(locale, problems.portal_closed, organization)
            }
            PortalOff => td_string!(locale, problems.portal_off).into(),
            AccessDisabledEverywhere => {
                td_string!(locale, problems.access_disabled_everywhere).into()
            }
            InvitationLinkUnusable => td_string!(locale, problems.invitation_link_unusable).into(),
            InvitationOtherAddress => td_string!(locale, problems.invitation_other_address).into(),
            AlreadyMemberOf {
                organization,
                role: r,
            } => {
                td_string!(
                    locale,
                    problems.already_member_of,
                    organization,
                    role = role(r)
                )
            }
            ResetLinkUnusable => td_string!(locale, problems.reset_link_unusable).into(),
            SignupLinkUnusable => td_string!(locale, problems.signup_link_unusable).into(),
            SignupsClosed { organization } => {
                td_string!(locale, problems.signups_closed, organization)
            }
            SignupRoleClosed => td_string!(locale, problems.signup_role_closed).into(),
            SignupRoleChoose => td_string!(locale, problems.signup_role_choose).into(),
            ApplicantTaken { name } => td_string!(locale, problems.applicant_taken, name),
            ApplicantInvited { name, role: r } => {
                td_string!(locale, problems.applicant_invited, name, role = role(r))
            }
            ApplicationsFromList => td_string!(locale, problems.applications_from_list).into(),
            ApplicationsTooMany => td_string!(locale, problems.applications_too_many).into(),
            ApplicationsNone => td_string!(locale, problems.applications_none).into(),
            ApplicationDecided { name } => td_string!(locale, problems.application_decided, name),
            ApplicationWaiting { organization } => {
                td_string!(locale, problems.application_waiting, organization)
            }
            ApplicationRejected { organization } => {
                td_string!(locale, problems.application_rejected, organization)
            }
            ReasonTooLong => td_string!(locale, problems.reason_too_long).into(),
            TickOne => td_string!(locale, problems.tick_one).into(),
            TickAtMost => td_string!(locale, problems.tick_at_most).into(),
            TickFromList => td_string!(locale, problems.tick_from_list).into(),
            DateChoose => td_string!(locale, problems.date_choose).into(),
            DaysRange => td_string!(locale, problems.days_range).into(),
            RuleChoose => td_string!(locale, problems.rule_choose).into(),
            RequestKeyMissing => td_string!(locale, problems.request_key_missing).into(),
            SettingsSectionChoose => td_string!(locale, problems.settings_section).into(),
            PermissionChoose => td_string!(locale, problems.permission_choose).into(),
            FormFieldCount => td_string!(locale, problems.form_field_count).into(),
            FormFieldLabel => td_string!(locale, problems.form_field_label).into(),
            FormChoices => td_string!(locale, problems.form_choices).into(),
            AnswerRequired => td_string!(locale, problems.answer_required).into(),
            AnswerTooLong => td_string!(locale, problems.answer_too_long).into(),
            AnswerNumber => td_string!(locale, problems.answer_number).into(),
            AnswerChoose => td_string!(locale, problems.answer_choose).into(),
            FormSubmitted => td_string!(locale, problems.form_submitted).into(),
            FileEmpty => td_string!(locale, problems.file_empty).into(),
            FileType => td_string!(locale, problems.file_type).into(),
            FileTooLarge => td_string!(locale, problems.file_too_large).into(),
            FileCutShort => td_string!(locale, problems.file_cut_short).into(),
            InvoiceNumber => td_string!(locale, problems.invoice_number).into(),
            DayFormat => td_string!(locale, problems.day_format).into(),
            DueBeforeIssue => td_string!(locale, problems.due_before_issue).into(),
            AmountFormat => td_string!(locale, problems.amount_format).into(),
            CurrencyCode => td_string!(locale, problems.currency_code).into(),
            InvoiceStatusChoose => td_string!(locale, problems.invoice_status).into(),
            HttpsAddress => td_string!(locale, problems.https_address).into(),
            PhoneFormat => td_string!(locale, problems.phone_format).into(),
            PostalAddressTooLong => td_string!(locale, problems.postal_address_too_long).into(),
            EmailUnchanged => td_string!(locale, problems.email_unchanged).into(),
            PasswordWrong => td_string!(locale, problems.password_wrong).into(),
            EmailChangeLinkUnusable => td_string!(locale, problems.email_change_link).into(),
            EmailTakenNow => td_string!(locale, problems.email_taken_now).into(),
            JobFinished => td_string!(locale, problems.job_finished).into(),
            ColourFormat => td_string!(locale, problems.colour_format).into(),
            LogoAddress => td_string!(locale, problems.logo_address).into(),
            HoursRange => td_string!(locale, problems.hours_range).into(),
            TimeZoneName => td_string!(locale, problems.time_zone_name).into(),
            SignupModeChoose => td_string!(locale, problems.signup_mode_choose).into(),
            SeatsRange => td_string!(locale, problems.seats_range).into(),
            ApproversFromList => td_string!(locale, problems.approvers_from_list).into(),
            ApproversChoose => td_string!(locale, problems.approvers_choose).into(),
            ApprovalChoose => td_string!(locale, problems.approval_choose).into(),
            CheckField => td_string!(locale, problems.check_field).into(),
            DidNotWork => td_string!(locale, problems.did_not_work).into(),
        }
    }
}

impl Problem {
    /// The problems an uploaded file can have, as the address of the page
    /// it was sent from names them (`?problem=not_csv`): a file to import,
    /// a document.
    const UPLOAD: [(Problem, &'static str); 8] = [
        (Problem::ImportTooLarge, "too_large"),
        (Problem::ImportTooManyRows, "too_many_rows"),
        (Problem::ImportNotCsv, "not_csv"),
        (Problem::ImportEmpty, "empty"),
        (Problem::FileEmpty, "file_empty"),
        (Problem::FileType, "file_type"),
        (Problem::FileTooLarge, "file_too_large"),
        (Problem::FileCutShort, "file_cut_short"),
    ];

    /// This upload problem's name in the page's address (`not_csv` for any
    /// other problem).
    pub fn upload_name(&self) -> &'static str {
        Self::UPLOAD
            .iter()
            .find(|(p, _)| p == self)
            .map_or("not_csv", |(_, name)| name)
    }

    /// The upload problem named `name` in the import page's address.
    pub fn from_upload_name(name: &str) -> Option<Problem> {
        Self::UPLOAD
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(p, _)| p.clone())
    }
}

/// In English: for logs and tests.
impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Locale::en))
    }
}
