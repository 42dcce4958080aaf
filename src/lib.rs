//! Porchlight: a client onboarding portal.
//!
//! One crate, compiled twice: with `ssr` it is the axum server (see [`server`]),
//! with `hydrate` it is the wasm client that hydrates the server-rendered pages.
//! `app`, `api` and `model` are shared by both builds; `server` exists only in
//! the server build, so no server-only crate can reach the wasm bundle.

pub mod api;
pub mod app;
pub mod model;
#[cfg(feature = "ssr")]
pub mod server;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Waits for the lazily loaded route being shown, then hydrates.
    leptos::mount::hydrate_lazy(app::App);
}
