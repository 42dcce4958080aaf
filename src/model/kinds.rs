//! Kinds and states that are stored, sent in forms and matched on: enums with
//! a stable name each ([`as_str`](EmailKind::as_str) to store it,
//! `parse` to read it back; serde uses the same names), shared by the server
//! and the browser.

/// Declares an enum whose variants each have a stable name.
macro_rules! named {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = $text:literal,)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant,)*
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &[$name] = &[$($name::$variant,)*];

            /// The stable name (as stored and sent).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }

            /// The variant named `name`; None for any other text.
            pub fn parse(name: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.as_str() == name)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

named! {
    /// A section of the settings: its own page (`/settings/<name>`) with its
    /// own form, saved on its own; the other sections' values are kept.
    pub enum SettingsSection {
        /// Whether the client portal is on, and its address (`/o/<slug>`).
        Portal = "portal",
        /// What clients may see and do in the portal, by default.
        Permissions = "permissions",
        /// The intake forms sent with invitations.
        Forms = "forms",
        /// Automatic invitations and how long an invitation lasts.
        Invitations = "invitations",
        /// The accent colour and the logo.
        Branding = "branding",
        /// How long a reset link lasts.
        Passwords = "passwords",
        /// Who may sign up, who approves, collaborator seats.
        Signup = "signup",
        /// The default language and the time zone.
        Language = "language",
        /// The plan names client accounts may be on.
        Plans = "plans",
    }
}

named! {
    /// What a form's field asks for.
    pub enum FieldKind {
        ShortText = "short_text",
        LongText = "long_text",
        Date = "date",
        Number = "number",
        YesNo = "yes_no",
        /// One of its choices.
        OneChoice = "one_choice",
        /// Any of its choices.
        ManyChoices = "many_choices",
        /// A file, which becomes a document of the client's account.
        File = "file",
    }
}

impl FieldKind {
    /// The kind's name in `locale`, as the form editor offers it.
    pub fn label(self, locale: crate::i18n::Locale) -> &'static str {
        use crate::i18n::td_string;
        match self {
            FieldKind::ShortText => td_string!(locale, forms.kind_short_text),
            FieldKind::LongText => td_string!(locale, forms.kind_long_text),
            FieldKind::Date => td_string!(locale, forms.kind_date),
            FieldKind::Number => td_string!(locale, forms.kind_number),
            FieldKind::YesNo => td_string!(locale, forms.kind_yes_no),
            FieldKind::OneChoice => td_string!(locale, forms.kind_one_choice),
            FieldKind::ManyChoices => td_string!(locale, forms.kind_many_choices),
            FieldKind::File => td_string!(locale, forms.kind_file),
        }
    }

    /// A field of this kind offers choices.
    pub const fn has_choices(self) -> bool {
        matches!(self, FieldKind::OneChoice | FieldKind::ManyChoices)
    }
}

named! {
    /// Where an invoice stands (`invoices.status`).
    pub enum InvoiceStatus {
        Open = "open",
        Paid = "paid",
        /// Cancelled: nothing is owed.
        Void = "void",
    }
}

impl InvoiceStatus {
    /// The status in `locale`, as a badge says it.
    pub fn label(self, locale: crate::i18n::Locale) -> &'static str {
        use crate::i18n::td_string;
        match self {
            InvoiceStatus::Open => td_string!(locale, documents.status_open),
            InvoiceStatus::Paid => td_string!(locale, documents.status_paid),
            InvoiceStatus::Void => td_string!(locale, documents.status_void),
        }
    }
}

named! {
    /// A part of the client portal an organization allows its clients or
    /// not ([`crate::model::Permissions`]). The order is the stored
    /// columns' (`allow_<name>`) and the pages'.
    pub enum PortalSection {
        /// The client updates their phone number, postal address, language
        /// and sign-in address.
        Profile = "profile",
        /// The client sees the documents shared with their account.
        Documents = "documents",
        /// The client adds files to their account (the paper clip).
        Uploads = "uploads",
        /// The client sees their account's invoices.
        Invoices = "invoices",
        /// An invoice's Pay button is shown.
        Payments = "payments",
    }
}

impl PortalSection {
    /// The section this one lives in: uploads show among the documents, the
    /// Pay button on an invoice.
    pub const fn within(self) -> Option<PortalSection> {
        match self {
            PortalSection::Uploads => Some(PortalSection::Documents),
            PortalSection::Payments => Some(PortalSection::Invoices),
            _ => None,
        }
    }

    /// The section's name in `locale`, as a switch's label.
    pub fn label(self, locale: crate::i18n::Locale) -> &'static str {
        use crate::i18n::td_string;
        match self {
            PortalSection::Profile => td_string!(locale, permissions.profile),
            PortalSection::Documents => td_string!(locale, permissions.documents),
            PortalSection::Uploads => td_string!(locale, permissions.uploads),
            PortalSection::Invoices => td_string!(locale, permissions.invoices),
            PortalSection::Payments => td_string!(locale, permissions.payments),
        }
    }

    /// What the switch lets clients do, in `locale`.
    pub fn help(self, locale: crate::i18n::Locale) -> &'static str {
        use crate::i18n::td_string;
        match self {
            PortalSection::Profile => td_string!(locale, permissions.profile_help),
            PortalSection::Documents => td_string!(locale, permissions.documents_help),
            PortalSection::Uploads => td_string!(locale, permissions.uploads_help),
            PortalSection::Invoices => td_string!(locale, permissions.invoices_help),
            PortalSection::Payments => td_string!(locale, permissions.payments_help),
        }
    }
}

named! {
    /// A member's place in their client account (`clients.place`): owners
    /// (one or more, co-owners) hold the account; a guest (an accountant, a
    /// grandparent) is invited by or for them and sees less.
    pub enum Place {
        Owner = "owner",
        Guest = "guest",
    }
}

impl Place {
    /// The place's name in `locale`, as a label ("Owner").
    pub fn label(self, locale: crate::i18n::Locale) -> &'static str {
        use crate::i18n::td_string;
        match self {
            Place::Owner => td_string!(locale, accounts.owner),
            Place::Guest => td_string!(locale, accounts.guest),
        }
    }
}

named! {
    /// What a column of an imported file holds.
    pub enum ImportField {
        FirstName = "first_name",
        LastName = "last_name",
        Email = "email",
        Account = "account",
        Place = "place",
        Role = "role",
        Plan = "plan",
        Staff = "assigned_staff",
        /// Not imported.
        Ignore = "ignore",
    }
}

impl ImportField {
    /// The field's name in `locale`, as the mapping menu shows it.
    pub fn label(self, locale: crate::i18n::Locale) -> &'static str {
        use crate::i18n::td_string;
        match self {
            ImportField::FirstName => td_string!(locale, export.first_name),
            ImportField::LastName => td_string!(locale, export.last_name),
            ImportField::Email => td_string!(locale, export.email),
            ImportField::Account => td_string!(locale, export.account),
            ImportField::Place => td_string!(locale, export.place),
            ImportField::Role => td_string!(locale, export.role),
            ImportField::Plan => td_string!(locale, export.plan),
            ImportField::Staff => td_string!(locale, imports.staff_email),
            ImportField::Ignore => td_string!(locale, imports.ignore),
        }
    }
}

named! {
    /// Where an import stands (`imports.status`).
    pub enum ImportStatus {
        /// Uploaded: its preview waits to be confirmed.
        Preview = "preview",
        Running = "running",
        Done = "done",
        Cancelled = "cancelled",
    }
}

named! {
    /// What a queued email is about (`email_outbox.kind`).
    pub enum EmailKind {
        /// An invitation to activate an account, or to join with one.
        Invitation = "invitation",
        /// A sign-up's link to confirm the address.
        SignupConfirm = "signup_confirm",
        /// Sent instead of a confirmation to an address that has an account.
        SignupExists = "signup_exists",
        /// Tells an approver that an application waits.
        ApprovalRequest = "approval_request",
        SignupApproved = "signup_approved",
        SignupRejected = "signup_rejected",
        PasswordReset = "password_reset",
        /// The notice after a password was changed with a reset link.
        PasswordChanged = "password_changed",
        /// The link that confirms a new sign-in address, sent to it.
        EmailChangeConfirm = "email_change_confirm",
        /// The notice to the old address once the new one is confirmed.
        EmailChanged = "email_changed",
    }
}

named! {
    /// What an audit event records (`audit_events.kind`).
    pub enum AuditKind {
        Login = "login",
        LoginFailed = "login_failed",
        PasswordResetRequested = "password_reset_requested",
        PasswordChanged = "password_changed",
        InvitationAccepted = "invitation_accepted",
        SignupApproved = "signup_approved",
        SignupRejected = "signup_rejected",
        AccessDisabled = "access_disabled",
        AccessEnabled = "access_enabled",
        SettingsChanged = "settings_changed",
        EmailChanged = "email_changed",
        /// A person asked to sign in with another address (the link went
        /// to it).
        EmailChangeRequested = "email_change_requested",
        /// A person changed their phone number or postal address.
        ProfileChanged = "profile_changed",
        /// Staff changed what a client account may see and do.
        PermissionsChanged = "permissions_changed",
        /// Someone asked an expired invitation for a new link.
        NewLinkRequested = "new_link_requested",
        /// Staff downloaded the client list as a file.
        ClientsExported = "clients_exported",
        /// A file was uploaded to a client account.
        DocumentUploaded = "document_uploaded",
        /// A file of a client account was downloaded.
        DocumentDownloaded = "document_downloaded",
        /// Staff removed a file from a client account.
        DocumentDeleted = "document_deleted",
    }
}

named! {
    /// The audit trail's filters (the `filter` a page sends).
    pub enum AuditFilter {
        SignIns = "sign-ins",
        FailedSignIns = "failed-sign-ins",
        Passwords = "passwords",
        Invitations = "invitations",
        Access = "access",
        Settings = "settings",
        Exports = "exports",
        /// People's own contact details and sign-in addresses.
        Profiles = "profiles",
        /// Files uploaded, downloaded and removed.
        Documents = "documents",
    }
}

impl AuditFilter {
    /// The kinds of event the filter shows.
    pub const fn kinds(self) -> &'static [AuditKind] {
        match self {
            AuditFilter::SignIns => &[AuditKind::Login],
            AuditFilter::FailedSignIns => &[AuditKind::LoginFailed],
            AuditFilter::Passwords => &[
                AuditKind::PasswordResetRequested,
                AuditKind::PasswordChanged,
            ],
            AuditFilter::Invitations => &[
                AuditKind::InvitationAccepted,
                AuditKind::SignupApproved,
                AuditKind::SignupRejected,
            ],
            AuditFilter::Access => &[AuditKind::AccessDisabled, AuditKind::AccessEnabled],
            AuditFilter::Settings => &[AuditKind::SettingsChanged, AuditKind::PermissionsChanged],
            AuditFilter::Profiles => &[
                AuditKind::ProfileChanged,
                AuditKind::EmailChangeRequested,
                AuditKind::EmailChanged,
            ],
            AuditFilter::Exports => &[AuditKind::ClientsExported],
            AuditFilter::Documents => &[
                AuditKind::DocumentUploaded,
                AuditKind::DocumentDownloaded,
                AuditKind::DocumentDeleted,
            ],
        }
    }
}

named! {
    /// What accepting an invitation does (`invitations.kind`).
    pub enum InvitationKind {
        /// The address has no account: set a password to make one.
        Activate = "activate",
        /// The address has an account: sign in and join the organization.
        Join = "join",
    }
}

named! {
    /// The client list's status filters (the `status` a page sends; none
    /// shows every client).
    pub enum ClientFilter {
        Pending = "pending",
        NotInvited = "not-invited",
        NoEmail = "no-email",
        Expired = "expired",
        Failed = "failed",
        Active = "active",
        Disabled = "disabled",
        /// Sent a form they have not submitted.
        FormWaiting = "form-waiting",
        /// Submitted a form.
        FormSubmitted = "form-submitted",
    }
}

impl SettingsSection {
    /// The section's name in `locale`: its tab and its form's heading.
    pub fn label(self, locale: crate::i18n::Locale) -> &'static str {
        use crate::i18n::td_string;
        match self {
            SettingsSection::Portal => td_string!(locale, settings.portal),
            SettingsSection::Invitations => td_string!(locale, settings.invitations),
            SettingsSection::Branding => td_string!(locale, settings.branding),
            SettingsSection::Passwords => td_string!(locale, settings.passwords),
            SettingsSection::Signup => td_string!(locale, settings.signup),
            SettingsSection::Language => td_string!(locale, settings.language_and_time),
            SettingsSection::Plans => td_string!(locale, settings.plans),
            SettingsSection::Permissions => td_string!(locale, settings.permissions),
            SettingsSection::Forms => td_string!(locale, settings.forms),
        }
    }
}

impl ClientFilter {
    /// A filter on the member's status ([`crate::model::ClientStatus`]),
    /// not on the forms they were sent.
    pub const fn is_status(self) -> bool {
        !matches!(
            self,
            ClientFilter::FormWaiting | ClientFilter::FormSubmitted
        )
    }

    /// What the status menu calls the filter, in `locale`.
    pub fn label(self, locale: crate::i18n::Locale) -> &'static str {
        use crate::i18n::td_string;
        match self {
            ClientFilter::Pending => td_string!(locale, clients.filter_pending),
            ClientFilter::NotInvited => td_string!(locale, clients.filter_not_invited),
            ClientFilter::NoEmail => td_string!(locale, clients.filter_no_email),
            ClientFilter::Expired => td_string!(locale, clients.filter_expired),
            ClientFilter::Failed => td_string!(locale, clients.filter_failed),
            ClientFilter::Active => td_string!(locale, clients.filter_active),
            ClientFilter::Disabled => td_string!(locale, clients.filter_disabled),
            ClientFilter::FormWaiting => td_string!(locale, clients.filter_form_waiting),
            ClientFilter::FormSubmitted => td_string!(locale, clients.filter_form_submitted),
        }
    }
}

named! {
    /// A person's role in one organization (`memberships.role`,
    /// `clients.role`).
    pub enum Role {
        // The aliases read the names roles were stored under in bulk jobs
        // before they took their stored names on the wire too.
        #[serde(alias = "Owner")]
        Owner = "owner",
        #[serde(alias = "Admin")]
        Admin = "admin",
        #[serde(alias = "Staff")]
        Staff = "staff",
        #[serde(alias = "Collaborator")]
        Collaborator = "collaborator",
        #[serde(alias = "Client")]
        Client = "client",
    }
}

named! {
    /// Where an application to join stands (`signups.status`).
    pub enum SignupStatus {
        /// The applicant has not confirmed their email yet.
        Unconfirmed = "unconfirmed",
        /// Confirmed; waits for an approver.
        Pending = "pending",
        Approved = "approved",
        Rejected = "rejected",
        /// A newer application from the same address replaced it.
        Superseded = "superseded",
    }
}

named! {
    /// Where a bulk invitation job stands (`bulk_jobs.status`).
    pub enum JobStatus {
        /// Still choosing and queueing clients.
        Running = "running",
        /// Every client was gone through (the emails may still be going out).
        Done = "done",
        Cancelled = "cancelled",
    }
}

named! {
    /// Where a queued email stands (`email_outbox.status`).
    pub enum MailStatus {
        Queued = "queued",
        /// Claimed by a worker, being handed to the mail server.
        Sending = "sending",
        /// Accepted by the mail server.
        Sent = "sent",
        /// Refused for good, or given up on.
        Failed = "failed",
    }
}

named! {
    /// A language Porchlight writes in (its BCP 47 tag).
    pub enum Language {
        English = "en",
        French = "fr",
    }
}

impl Language {
    /// The catalog the pages read in this language.
    pub const fn locale(self) -> crate::i18n::Locale {
        match self {
            Language::English => crate::i18n::Locale::en,
            Language::French => crate::i18n::Locale::fr,
        }
    }

    /// The language of a catalog.
    pub const fn of_locale(locale: crate::i18n::Locale) -> Language {
        match locale {
            crate::i18n::Locale::en => Language::English,
            crate::i18n::Locale::fr => Language::French,
        }
    }

    /// The best of ours for an `Accept-Language` header ("fr-CA,fr;q=0.9,
    /// en;q=0.8"), its tags taken in the order written, as browsers write
    /// them most wanted first; English when none matches. The matching
    /// (a region falls back to its language) is leptos_i18n's.
    pub fn from_accept_language(header: &str) -> Language {
        use leptos_i18n::Locale as _;
        let tags: Vec<&str> = header
            .split(',')
            .map(|item| item.split(';').next().unwrap_or("").trim())
            .filter(|tag| !tag.is_empty() && *tag != "*")
            .collect();
        Language::of_locale(crate::i18n::Locale::find_locale(&tags))
    }

    /// Whether `n` takes the singular form (a catalog key's `one`) rather
    /// than the plural (`other`): 1 in English, 0 and 1 in French (the CLDR
    /// plural rules of the two).
    pub const fn is_one(self, n: i64) -> bool {
        match self {
            Language::English => n == 1,
            Language::French => n == 0 || n == 1,
        }
    }

    /// The language's name in itself, for menus.
    pub const fn own_name(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::French => "Français",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back_and_match_serde() {
        for kind in EmailKind::ALL {
            assert_eq!(EmailKind::parse(kind.as_str()), Some(*kind));
        }
        for kind in AuditKind::ALL {
            assert_eq!(AuditKind::parse(kind.as_str()), Some(*kind));
        }
        assert_eq!(EmailKind::parse("Invitation"), None);
        assert_eq!(
            serde_json::to_string(&AuditFilter::FailedSignIns).unwrap(),
            r#""failed-sign-ins""#
        );
    }

    #[test]
    fn the_browser_language_picks_ours_or_english() {
        let pick = Language::from_accept_language;
        assert_eq!(pick("fr-CA,fr;q=0.9,en;q=0.8"), Language::French);
        assert_eq!(pick("en-GB,fr;q=0.5"), Language::English);
        assert_eq!(
            pick("de-DE,fr;q=0.7"),
            Language::French,
            "the first we have"
        );
        assert_eq!(pick("de, es"), Language::English, "none of ours");
        assert_eq!(pick(""), Language::English);
        for language in Language::ALL {
            assert_eq!(Language::of_locale(language.locale()), *language);
            assert_eq!(language.locale().to_string(), language.as_str());
        }
    }

    #[test]
    fn french_says_zero_in_the_singular() {
        assert!(Language::French.is_one(0) && Language::French.is_one(1));
        assert!(!Language::French.is_one(2));
        assert!(!Language::English.is_one(0) && Language::English.is_one(1));
        let n_clients = |language: Language, n: i64| {
            crate::model::counted!(language.locale(), n, clients.count, count = n)
        };
        assert_eq!(n_clients(Language::French, 0), "0 client");
        assert_eq!(n_clients(Language::French, 2), "2 clients");
        assert_eq!(n_clients(Language::English, 0), "0 clients");
        assert_eq!(n_clients(Language::English, 1), "1 client");
    }

    #[test]
    fn every_audit_kind_but_one_is_under_a_filter() {
        let filtered: Vec<AuditKind> = AuditFilter::ALL
            .iter()
            .flat_map(|f| f.kinds())
            .copied()
            .collect();
        let unfiltered: Vec<AuditKind> = AuditKind::ALL
            .iter()
            .copied()
            .filter(|k| !filtered.contains(k))
            .collect();
        assert_eq!(unfiltered, [AuditKind::NewLinkRequested]);
    }
}
