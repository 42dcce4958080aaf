//! Types shared by the server and the browser: the error type and the DTOs
//! that server functions return.

mod error;

pub use error::{AppError, FieldError, Validator};

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
}

/// An organization in the switcher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationChoice {
    pub id: i64,
    pub name: String,
}

/// A person's role in one organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    Owner,
    Admin,
    Staff,
    Collaborator,
    Client,
}

impl Role {
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Staff => "staff",
            Role::Collaborator => "collaborator",
            Role::Client => "client",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        [
            Role::Owner,
            Role::Admin,
            Role::Staff,
            Role::Collaborator,
            Role::Client,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }

    /// Owners, admins and staff work in the portal; clients and collaborators
    /// only see their own dashboard.
    pub const fn is_staff(self) -> bool {
        matches!(self, Role::Owner | Role::Admin | Role::Staff)
    }
}

/// One row of the client list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientRow {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    /// Already formatted on the server, so server and browser render the same text.
    pub created: String,
}

/// One page of the client list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientPage {
    pub rows: Vec<ClientRow>,
    pub total: i64,
}
