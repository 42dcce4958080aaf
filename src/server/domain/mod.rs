//! Domain rules, free of HTTP: server functions call these and return DTOs.

pub mod accounts;
pub mod activation;
pub mod audit;
pub mod authority;
pub mod bulk;
pub mod client_accounts;
pub mod clients;
pub mod documents;
pub mod export;
pub mod forms;
pub mod import;
pub mod language;
pub mod me;
pub mod overview;
pub mod permissions;
pub mod portal;
pub mod profile;
pub mod redirect;
pub mod requests;
pub mod reset;
pub mod rules;
pub mod seats;
pub mod settings;
pub mod signup;
pub mod status;
pub mod timeline;
