//! Turns the catalogs `locales/en.json` and `locales/fr.json` into the
//! `i18n` module (`src/lib.rs` includes it): a `Locale` enum, and the keys
//! the `t!`/`td_string!` macros check at compile time. English is the
//! default: a key missing in French would fall back to it, so
//! `scripts/check-catalogs.py` (in `make test`) fails on any key that is not
//! in both.

use std::error::Error;
use std::path::PathBuf;

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?).join("i18n");
    // `interpolate_display`: `td_string!` fills in `{{ values }}`, for the
    // words the server writes (statuses, dates) and for text props.
    let options = ParseOptions::new().interpolate_display(true);
    let config = Config::new("en")?.add_locale("fr")?.parse_options(options);
    let translations = TranslationsInfos::parse(config)?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(out)?;
    Ok(())
}
