//! Integration tests: each test starts the real server on a free port with a
//! fresh database. SQLite by default; PostgreSQL when
//! `PORCHLIGHT_TEST_POSTGRES_URL` is set (see the README).

mod access;
mod accounts;
mod audit;
mod auth;
mod bulk;
mod detail;
mod documents;
mod export;
mod forms;
mod helpers;
mod imports;
mod invitations;
mod languages;
mod links;
mod list;
mod live;
mod logs;
mod names;
mod organizations;
mod overview;
mod pages;
mod permissions;
mod portal;
mod rank;
mod reset;
mod roles;
mod security;
mod settings;
mod signup;
mod smtp;
mod throttle;
mod writes;
