//! Input rules shared by every form that takes these values.

use email_address::EmailAddress;

pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 128;

/// A person's or an organization's display name: trimmed, 1–100 characters.
pub fn name(value: &str) -> Result<String, &'static str> {
    let v = value.trim();
    match v.chars().count() {
        0 => Err("Enter a name."),
        101.. => Err("Use at most 100 characters."),
        _ => Ok(v.to_owned()),
    }
}

/// An email address, checked by an RFC 5322 parser. Case is kept for display;
/// comparisons use the lower-cased form.
pub fn email(value: &str) -> Result<String, &'static str> {
    let v = value.trim();
    if v.is_empty() {
        return Err("Enter an email address.");
    }
    match EmailAddress::parse_with_options(v, email_address::Options::default().with_required_tld())
    {
        Ok(addr) if addr.display_part().is_empty() && v.len() <= 254 => Ok(v.to_owned()),
        _ => Err("Enter an email address like name@example.com."),
    }
}

/// A URL slug: 3–40 lowercase letters, digits and hyphens, starting and ending
/// with a letter or digit.
pub fn slug(value: &str) -> Result<String, &'static str> {
    let v = value.trim();
    let allowed = v
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !(3..=40).contains(&v.len()) {
        return Err("Use 3 to 40 characters.");
    }
    if !allowed || v.starts_with('-') || v.ends_with('-') {
        return Err(
            "Use lowercase letters, digits and hyphens, starting and ending with a letter or digit.",
        );
    }
    Ok(v.to_owned())
}

/// True when `value` is on the shipped list of commonly used passwords.
fn is_common_password(value: &str) -> bool {
    const LIST: &str = include_str!("common_passwords.txt");
    let value = value.trim().to_lowercase();
    LIST.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .any(|l| l == value)
}

/// A username: 3–30 characters, letters, digits, dots, hyphens or
/// underscores, starting with a letter or digit. Kept as typed; compared
/// whatever its case.
pub fn username(value: &str) -> Result<String, &'static str> {
    let v = value.trim();
    let ok = (3..=30).contains(&v.chars().count())
        && v.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok {
        Ok(v.to_owned())
    } else {
        Err(
            "Use 3 to 30 letters, digits, dots, hyphens or underscores, starting with a letter or digit.",
        )
    }
}

/// The password policy: 10–128 characters, not a commonly used password and
/// not the account's own email.
pub fn password(value: &str, email: &str) -> Result<(), &'static str> {
    let len = value.chars().count();
    if len < PASSWORD_MIN {
        return Err("Use at least 10 characters.");
    }
    if len > PASSWORD_MAX {
        return Err("Use at most 128 characters.");
    }
    if !email.is_empty() && value.trim().eq_ignore_ascii_case(email.trim()) {
        return Err("Your password cannot be your email address.");
    }
    if is_common_password(value) {
        return Err("This password is too common. Choose one that is harder to guess.");
    }
    Ok(())
}

#[cfg(test)]
mod tests {

    #[test]
    fn usernames_follow_the_rule() {
        assert_eq!(username(" Ann.Lee-2 ").as_deref(), Ok("Ann.Lee-2"));
        for bad in ["ab", "_ann", "ann lee", "anné", &"a".repeat(31), ""] {
            assert!(username(bad).is_err(), "{bad:?}");
        }
    }

    use super::*;

    #[test]
    fn emails() {
        assert_eq!(email(" Ann@Example.com ").unwrap(), "Ann@Example.com");
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.com",
            "ann@example",
            "Ann <ann@example.com>",
        ] {
            assert!(email(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("north-tutors").unwrap(), "north-tutors");
        for bad in ["ab", "North", "-north", "north-", "no rth", &"a".repeat(41)] {
            assert!(slug(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn passwords() {
        assert!(password("long enough pass", "a@b.co").is_ok());
        assert!(password("short", "a@b.co").is_err());
        assert!(password(&"x".repeat(129), "a@b.co").is_err());
        assert!(password("Ann@Example.com", "ann@example.com").is_err());
        assert_eq!(
            password("Password123", "a@b.co"),
            Err("This password is too common. Choose one that is harder to guess.")
        );
        assert!(password("QWERTYUIOP", "a@b.co").is_err());
    }
}
