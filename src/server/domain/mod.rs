//! Domain rules, free of HTTP: server functions call these and return DTOs.

pub mod accounts;
pub mod rules;
pub mod time;
