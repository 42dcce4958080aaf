//! Email templates, rendered with minijinja.
//!
//! Each kind of email is a folder under `templates/email/` holding, per
//! language, `subject.txt`, `text.txt` (the plain-text part) and `html.html`
//! (the HTML part, which extends the shared `layout.html`: the organization's
//! header in its colour, with its logo). Values are HTML-escaped in `.html`
//! files only. Undefined values are errors, never empty strings: a missing or
//! misspelled placeholder fails the render (and the tests that render every
//! kind).
//!
//! Adding a kind: a folder `templates/email/<name>/` with the three files in
//! `en/` and in `fr/`, and a line in the `templates!` list below (a language
//! missing a file does not compile).

use std::fmt::Write as _;
use std::sync::OnceLock;

use minijinja::{Environment, UndefinedBehavior, Value};

use crate::model::Language;

/// A rendered message, ready for a transport.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Declares the [`Template`] enum and embeds every file of every kind.
macro_rules! templates {
    ($($variant:ident => $folder:literal,)*) => {
        /// The kinds of email, one folder of templates each.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Template {
            $($variant,)*
        }

        impl Template {
            /// Every kind, for tests that render them all.
            pub const ALL: &[Template] = &[$(Template::$variant,)*];

            /// Its folder under `templates/email/`.
            pub fn folder(self) -> &'static str {
                match self {
                    $(Template::$variant => $folder,)*
                }
            }
        }

        /// (name in the environment, source) of every kind's files, a
        /// language at a time.
        const SOURCES: &[[(&str, &str); 3]] = &[
            $(
                language_files!($folder, "en"),
                language_files!($folder, "fr"),
            )*
        ];
    };
}

/// Hands the language folder's three files of a kind to `SOURCES`.
macro_rules! language_files {
    ($folder:literal, $lang:literal) => {
        [
            (
                concat!($folder, "/", $lang, "/subject.txt"),
                include_str!(concat!(
                    "../../../templates/email/",
                    $folder,
                    "/",
                    $lang,
                    "/subject.txt"
                )),
            ),
            (
                concat!($folder, "/", $lang, "/text.txt"),
                include_str!(concat!(
                    "../../../templates/email/",
                    $folder,
                    "/",
                    $lang,
                    "/text.txt"
                )),
            ),
            (
                concat!($folder, "/", $lang, "/html.html"),
                include_str!(concat!(
                    "../../../templates/email/",
                    $folder,
                    "/",
                    $lang,
                    "/html.html"
                )),
            ),
        ]
    };
}

templates! {
    InvitationActivate => "invitation_activate",
    InvitationJoin => "invitation_join",
    SignupConfirm => "signup_confirm",
    SignupExists => "signup_exists",
    ApprovalRequest => "approval_request",
    SignupApproved => "signup_approved",
    SignupRejected => "signup_rejected",
    PasswordReset => "password_reset",
    PasswordChanged => "password_changed",
    EmailChangeConfirm => "email_change_confirm",
    EmailChanged => "email_changed",
}

/// The layout every HTML part extends.
const LAYOUT: &str = include_str!("../../../templates/email/layout.html");

/// The environment holding every template, built on first use. A template
/// that does not parse is a programming error caught by the tests.
fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // A block tag's own line break is not output: `{% if %}` sections
        // on lines of their own leave no blank lines behind.
        env.set_trim_blocks(true);
        // Text parts end with their line break, as the files do.
        env.set_keep_trailing_newline(true);
        env.set_formatter(format_value);
        let layout = ("layout.html", LAYOUT);
        for (name, source) in SOURCES.iter().flatten().chain([&layout]) {
            if let Err(e) = env.add_template(name, source) {
                tracing::error!(template = name, error = %e, "email template does not parse");
            }
        }
        env
    })
}

/// Prints a value as minijinja does, except that HTML escaping leaves `/`
/// alone (minijinja writes `&#x2f;`): links in the HTML part stay as people
/// read them, and `/` needs no escaping in text or quoted attributes.
fn format_value(
    out: &mut minijinja::Output,
    state: &minijinja::State,
    value: &Value,
) -> Result<(), minijinja::Error> {
    if let (minijinja::AutoEscape::Html, Some(text), false) =
        (state.auto_escape(), value.as_str(), value.is_safe())
    {
        for c in text.chars() {
            match c {
                '&' => out.write_str("&amp;"),
                '<' => out.write_str("&lt;"),
                '>' => out.write_str("&gt;"),
                '"' => out.write_str("&quot;"),
                '\'' => out.write_str("&#39;"),
                c => out.write_char(c),
            }?;
        }
        return Ok(());
    }
    minijinja::escape_formatter(out, state, value)
}

impl Template {
    /// Renders the subject and both parts with `values` (a map: build it
    /// with [`minijinja::context!`]). The layout needs `organization`,
    /// `accent` and `logo_url` (empty for none).
    ///
    /// Errors: a value the template uses is missing, or a template is
    /// broken; the error names the template and the line.
    pub fn render(self, language: Language, values: &Value) -> Result<Rendered, minijinja::Error> {
        let env = environment();
        let lang = language.as_str();
        let values = minijinja::context! { lang, ..values.clone() };
        let part = |file: &str| {
            env.get_template(&format!("{}/{lang}/{file}", self.folder()))
                .and_then(|t| t.render(&values))
        };
        Ok(Rendered {
            subject: part("subject.txt")?.trim().to_owned(),
            text: part("text.txt")?,
            html: part("html.html")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use minijinja::context;

    use super::*;

    /// A value for every placeholder of every kind.
    fn complete() -> BTreeMap<&'static str, &'static str> {
        BTreeMap::from([
            ("first_name", "Ann <b>"),
            ("organization", "North & Co"),
            ("inviter", "Olive"),
            ("link", "https://portal.example/activate/abc"),
            ("expires", "3 Dec 2026"),
            ("accent", "#b44d12"),
            ("logo_url", "https://north.example/logo.png?a=1&b=2"),
            ("applicant", "Pat Applicant"),
            ("applicant_email", "pat@example.com"),
            ("role", "client"),
            ("reason", "Seats are full"),
            ("new_email", "ann.new@example.com"),
            ("form_title", "Intake <questions>"),
        ])
    }

    fn values() -> Value {
        Value::from(complete())
    }

    /// Every kind in every language.
    fn every_kind_and_language() -> impl Iterator<Item = (Template, Language)> {
        Template::ALL
            .iter()
            .flat_map(|t| Language::ALL.iter().map(move |l| (*t, *l)))
    }

    #[test]
    fn every_template_renders_in_the_layout_with_html_escaped_only_in_html() {
        for (t, lang) in every_kind_and_language() {
            let r = t
                .render(lang, &values())
                .unwrap_or_else(|e| panic!("{t:?} {lang}: {e:#}"));
            assert!(
                !r.subject.is_empty() && !r.subject.contains('\n'),
                "{t:?} {lang}"
            );
            if t != Template::SignupRejected {
                assert!(
                    r.text.contains("https://portal.example/activate/abc"),
                    "{t:?} {lang}"
                );
                assert!(
                    r.html.contains("https://portal.example/activate/abc"),
                    "{t:?} {lang}"
                );
            }
            assert!(
                r.html.starts_with("<!DOCTYPE html>"),
                "{t:?} {lang}: in the layout"
            );
            assert!(
                r.html.contains(&format!(r#"<html lang="{lang}">"#)),
                "{t:?} {lang}"
            );
            assert!(r.html.contains("North &amp; Co"), "{t:?} {lang}");
            assert!(r.text.contains("North & Co"), "{t:?} {lang}");
            assert!(!r.html.contains("Ann <b>"), "{t:?} {lang}: escapes values");
            assert!(
                r.html
                    .contains(r#"<img src="https://north.example/logo.png?a=1&amp;b=2""#),
                "{t:?} {lang}: the logo heads the HTML part"
            );
        }
    }

    #[test]
    fn french_is_french() {
        let r = Template::InvitationActivate
            .render(Language::French, &values())
            .unwrap();
        assert_eq!(r.subject, "Activez votre compte sur le portail North & Co");
        assert!(r.text.starts_with("Bonjour Ann <b>,"));
    }

    /// Every kind in every language as it reads, checked against
    /// `snapshots/` (review a change with `cargo insta review`, or rerun
    /// with `INSTA_UPDATE=always`).
    #[test]
    fn every_kind_reads_as_its_snapshot() {
        for (t, lang) in every_kind_and_language() {
            let r = t.render(lang, &values()).unwrap();
            let whole = format!(
                "Subject: {}\n\n{}\n\n----- HTML -----\n{}",
                r.subject, r.text, r.html
            );
            insta::assert_snapshot!(format!("{}.{lang}", t.folder()), whole);
        }
    }

    /// Any value a template uses, left out, fails the render: never an
    /// empty string in its place. (A value a kind does not use changes
    /// nothing.)
    #[test]
    fn a_value_left_out_fails_the_render() {
        for (t, lang) in every_kind_and_language() {
            let whole = t.render(lang, &values()).unwrap();
            let mut failed = 0;
            for key in complete().keys() {
                let mut values = complete();
                values.remove(key);
                match t.render(lang, &Value::from(values)) {
                    Err(e) => {
                        assert!(
                            format!("{e:#}").contains("undefined"),
                            "{t:?} {lang}: {e:#}"
                        );
                        failed += 1;
                    }
                    Ok(r) => assert_eq!(r, whole, "{t:?} {lang} rendered without {key}"),
                }
            }
            // Every kind names the organization, its colour and logo, and
            // greets someone.
            assert!(failed >= 4, "{t:?} {lang}: only {failed} values used");
        }
    }

    #[test]
    fn an_empty_value_drops_its_section() {
        let values = context! { logo_url => "", reason => "", first_name => "", ..values() };
        for (t, lang) in every_kind_and_language() {
            let r = t.render(lang, &values).unwrap();
            assert!(!r.html.contains("<img"), "{t:?} {lang}: no logo, no image");
            assert!(r.html.contains("North &amp; Co"), "{t:?} {lang}");
        }
        let rejected = Template::SignupRejected
            .render(Language::English, &values)
            .unwrap();
        assert!(!rejected.text.contains("The reason given"));
        let request = Template::ApprovalRequest
            .render(Language::French, &values)
            .unwrap();
        assert!(request.text.starts_with("Bonjour,"), "{}", request.text);
        let request = Template::ApprovalRequest
            .render(Language::English, &values)
            .unwrap();
        assert!(request.text.starts_with("Hello there,"), "{}", request.text);
    }
}
