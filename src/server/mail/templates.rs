//! Email templates: files under `templates/email/`, one `.txt` and one `.html`
//! per kind, with `{{name}}` placeholders. Every HTML part is the kind's file
//! inside `layout.html` (the organization's header, in its colour and logo). Values are HTML-escaped in the HTML
//! part. `{{#name}}…{{/name}}` keeps its content only when `name` is not empty.

use std::collections::HashMap;

/// A rendered message, ready for a transport.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Kinds of email and their templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    InvitationActivate,
    InvitationJoin,
    SignupConfirm,
    SignupExists,
    ApprovalRequest,
    SignupApproved,
    SignupRejected,
    PasswordReset,
    PasswordChanged,
}

const LAYOUT: &str = include_str!("../../../templates/email/layout.html");

impl Template {
    pub const ALL: [Template; 9] = [
        Template::InvitationActivate,
        Template::InvitationJoin,
        Template::SignupConfirm,
        Template::SignupExists,
        Template::ApprovalRequest,
        Template::SignupApproved,
        Template::SignupRejected,
        Template::PasswordReset,
        Template::PasswordChanged,
    ];

    fn sources(self) -> (&'static str, &'static str) {
        match self {
            Template::InvitationActivate => (
                include_str!("../../../templates/email/invitation_activate.txt"),
                include_str!("../../../templates/email/invitation_activate.html"),
            ),
            Template::InvitationJoin => (
                include_str!("../../../templates/email/invitation_join.txt"),
                include_str!("../../../templates/email/invitation_join.html"),
            ),
            Template::SignupConfirm => (
                include_str!("../../../templates/email/signup_confirm.txt"),
                include_str!("../../../templates/email/signup_confirm.html"),
            ),
            Template::SignupExists => (
                include_str!("../../../templates/email/signup_exists.txt"),
                include_str!("../../../templates/email/signup_exists.html"),
            ),
            Template::ApprovalRequest => (
                include_str!("../../../templates/email/approval_request.txt"),
                include_str!("../../../templates/email/approval_request.html"),
            ),
            Template::SignupApproved => (
                include_str!("../../../templates/email/signup_approved.txt"),
                include_str!("../../../templates/email/signup_approved.html"),
            ),
            Template::SignupRejected => (
                include_str!("../../../templates/email/signup_rejected.txt"),
                include_str!("../../../templates/email/signup_rejected.html"),
            ),
            Template::PasswordReset => (
                include_str!("../../../templates/email/password_reset.txt"),
                include_str!("../../../templates/email/password_reset.html"),
            ),
            Template::PasswordChanged => (
                include_str!("../../../templates/email/password_changed.txt"),
                include_str!("../../../templates/email/password_changed.html"),
            ),
        }
    }

    /// Renders both parts. A placeholder without a value is a programming
    /// error: it is logged and left out (the tests render every template and
    /// fail on it, see [`Template::render_checked`]).
    pub fn render(self, subject: String, values: &HashMap<&str, String>) -> Rendered {
        let (rendered, missing) = self.render_checked(subject, values);
        for key in missing {
            tracing::error!(key, template = ?self, "email template placeholder without a value");
        }
        rendered
    }

    /// Renders both parts, and names every placeholder that had no value.
    pub fn render_checked(
        self,
        subject: String,
        values: &HashMap<&str, String>,
    ) -> (Rendered, Vec<String>) {
        let (text, html) = self.sources();
        let html = LAYOUT.replace("{{content}}", html);
        let mut missing = Vec::new();
        let rendered = Rendered {
            subject,
            text: fill(
                &sections(text, values),
                values,
                |v| v.to_owned(),
                &mut missing,
            ),
            html: fill(&sections(&html, values), values, escape_html, &mut missing),
        };
        (rendered, missing)
    }
}

/// Keeps or drops each `{{#name}}…{{/name}}` section (sections do not nest).
fn sections(template: &str, values: &HashMap<&str, String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{#") {
        let after = &rest[start + 3..];
        let Some(name_end) = after.find("}}") else {
            break;
        };
        let name = &after[..name_end];
        let body = &after[name_end + 2..];
        let close = format!("{{{{/{name}}}}}");
        let Some(body_end) = body.find(&close) else {
            tracing::error!(name, "email template section without its end");
            break;
        };
        out.push_str(&rest[..start]);
        if values.get(name).is_some_and(|v| !v.is_empty()) {
            out.push_str(&body[..body_end]);
        }
        rest = &body[body_end + close.len()..];
    }
    out.push_str(rest);
    out
}

/// Replaces each `{{name}}` with its encoded value; a name without a value is
/// pushed onto `missing` and left out.
fn fill(
    template: &str,
    values: &HashMap<&str, String>,
    encode: impl Fn(&str) -> String,
    missing: &mut Vec<String>,
) -> String {
    let mut out = String::with_capacity(template.len() + 256);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let key = after[..end].trim();
        match values.get(key) {
            Some(v) => out.push_str(&encode(v)),
            None => missing.push(key.to_owned()),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> HashMap<&'static str, String> {
        HashMap::from([
            ("first_name", "Ann <b>".to_owned()),
            ("organization", "North & Co".to_owned()),
            ("inviter", "Olive".to_owned()),
            ("link", "https://portal.example/activate/abc".to_owned()),
            ("expires", "3 Dec 2026".to_owned()),
            ("accent", "#b44d12".to_owned()),
            (
                "logo_url",
                "https://north.example/logo.png?a=1&b=2".to_owned(),
            ),
            ("applicant", "Pat Applicant".to_owned()),
            ("applicant_email", "pat@example.com".to_owned()),
            ("role", "client".to_owned()),
            ("reason", "Seats are full".to_owned()),
        ])
    }

    #[test]
    fn every_template_fills_every_placeholder() {
        for t in Template::ALL {
            let (r, missing) = t.render_checked("Subject".into(), &values());
            assert_eq!(missing, Vec::<String>::new(), "{t:?}");
            for part in [&r.text, &r.html] {
                assert!(!part.contains("{{"), "{t:?} left a placeholder");
            }
            if t != Template::SignupRejected {
                assert!(
                    r.text.contains("https://portal.example/activate/abc"),
                    "{t:?} links"
                );
                assert!(
                    r.html.contains("https://portal.example/activate/abc"),
                    "{t:?} links"
                );
            }
            assert!(
                r.html.starts_with("<!DOCTYPE html>"),
                "{t:?} is in the layout"
            );
            assert!(r.html.contains("North &amp; Co"));
            assert!(r.text.contains("North & Co"));
            assert!(
                r.html
                    .contains(r#"<img src="https://north.example/logo.png?a=1&amp;b=2""#),
                "the logo heads the HTML part"
            );
        }
    }

    #[test]
    fn a_value_left_out_is_named() {
        for t in Template::ALL {
            let mut v = values();
            v.remove("organization");
            let (_, missing) = t.render_checked("Subject".into(), &v);
            assert!(missing.contains(&"organization".to_owned()), "{t:?}");
        }
    }

    #[test]
    fn an_empty_value_drops_its_section() {
        let mut v = values();
        v.insert("logo_url", String::new());
        for t in Template::ALL {
            let r = t.render("Subject".into(), &v);
            assert!(!r.html.contains("<img"), "no logo, no image");
            assert!(!r.html.contains("{{"), "no section markers left");
            assert!(r.html.contains("North &amp; Co"));
        }
    }
}
