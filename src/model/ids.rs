//! Row ids as distinct types, so that an organization's id cannot be passed
//! where a client's or a person's is meant: each wraps the `BIGINT` id of
//! its table, crosses the wire as a plain number (serde transparent) and,
//! on the server, binds and reads as one (sqlx transparent).

/// Declares an id type wrapping an `i64`.
macro_rules! id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        #[serde(transparent)]
        #[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id! {
    /// `organizations.id`.
    OrganizationId
}

id! {
    /// `clients.id`: a client record in one organization.
    ClientId
}

id! {
    /// `users.id`: a person with an account (or invited to have one).
    UserId
}

id! {
    /// `client_accounts.id`: a client account (a person, a household, a
    /// company) of one organization, with its members.
    AccountId
}

id! {
    /// `plans.id`: one of an organization's plan names.
    PlanId
}
