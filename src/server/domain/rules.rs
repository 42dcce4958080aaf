//! Input rules shared by every form that takes these values.

use email_address::EmailAddress;

use crate::model::{Language, PASSWORD_MAX, PASSWORD_MIN, Problem};

/// Characters no text a person types may hold: control characters (line
/// breaks, tabs, NUL, escapes), bidirectional formatting (which makes text
/// read differently from what is stored: U+061C, U+200E/F, U+202A–E,
/// U+2066–9), invisible characters that make two names look alike (soft
/// hyphen U+00AD, zero-width U+200B–D, word joiner U+2060, byte-order mark
/// U+FEFF) and the line and paragraph separators U+2028/9.
pub fn is_forbidden_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{061C}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// Declares a checked text: a newtype made only by its rule (a parse
/// function in this module), read as `&str`.
macro_rules! checked_text {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

checked_text! {
    /// A name that passed [`name`].
    Name
}

checked_text! {
    /// An email address that passed [`email`], as typed (trimmed).
    Email
}

checked_text! {
    /// A request key that passed [`request_key`].
    RequestKey
}

checked_text! {
    /// A phone number that passed [`phone`], as typed (trimmed).
    Phone
}

checked_text! {
    /// A postal address that passed [`postal_address`]: lines joined by
    /// `\n`, each trimmed, no empty ones.
    PostalAddress
}

/// A new password that passed the policy ([`password`]). Its `Debug` never
/// shows it.
pub struct NewPassword(String);

impl NewPassword {
    pub fn into_string(self) -> String {
        self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

/// The key a form that creates something sends with it (made when the form
/// was shown): 1–100 visible ASCII characters, trimmed. A repeat of a
/// request with the same key finds what the first one created (see
/// [`super::requests`]).
pub fn request_key(value: &str) -> Result<RequestKey, Problem> {
    let v = value.trim();
    if v.is_empty() || v.len() > 100 || !v.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Problem::RequestKeyMissing);
    }
    Ok(RequestKey(v.to_owned()))
}

/// A name: a person's first or last name, an organization's name, and every
/// name field to come. Printable text only (see [`is_forbidden_char`]),
/// trimmed, 1–100 characters. Names reach email subjects and bodies, so a
/// line break here could forge a header or a paragraph.
pub fn name(value: &str) -> Result<Name, Problem> {
    let v = value.trim();
    if v.chars().any(is_forbidden_char) {
        return Err(Problem::NameInvisibleCharacters);
    }
    match v.chars().count() {
        0 => Err(Problem::NameEmpty),
        101.. => Err(Problem::NameTooLong),
        _ => Ok(Name(v.to_owned())),
    }
}

/// Free text of at most `max` characters (a rejection reason): line breaks
/// and tabs are allowed, other control characters and bidirectional
/// formatting are not. Trimmed; may be empty.
pub fn free_text(value: &str, max: usize) -> Result<String, Problem> {
    let v = value.trim();
    if v.chars()
        .any(|c| is_forbidden_char(c) && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(Problem::TextControlCharacters);
    }
    if v.chars().count() > max {
        return Err(Problem::TextTooLong);
    }
    Ok(v.to_owned())
}

/// A phone number as people write them: digits (7 to 15 of them, the
/// ITU-T E.164 length), spaces, `+ - . ( )`, and an extension after `x` or
/// `ext`. Empty for none.
pub fn phone(value: &str) -> Result<Option<Phone>, Problem> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let lower = v.to_ascii_lowercase();
    let (number, extension) = match lower.split_once("ext").or_else(|| lower.split_once('x')) {
        Some((n, e)) => (n, Some(e.trim_start_matches(['.', ' ']))),
        None => (lower.as_str(), None),
    };
    let digits = number.chars().filter(char::is_ascii_digit).count();
    let number_ok = number
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '.' | '(' | ')'))
        && number.trim_start().rfind('+').is_none_or(|at| at == 0)
        && (7..=15).contains(&digits);
    let extension_ok = extension
        .is_none_or(|e| (1..=6).contains(&e.len()) && e.chars().all(|c| c.is_ascii_digit()));
    if number_ok && extension_ok && v.len() <= 40 {
        Ok(Some(Phone(v.to_owned())))
    } else {
        Err(Problem::PhoneFormat)
    }
}

/// An invoice number as the organization writes them: 1 to 40 letters,
/// digits, spaces and `- / . # _`.
pub fn invoice_number(value: &str) -> Result<String, Problem> {
    let v = value.trim();
    let ok = (1..=40).contains(&v.chars().count())
        && v.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '/' | '.' | '#' | '_'));
    if ok {
        Ok(v.to_owned())
    } else {
        Err(Problem::InvoiceNumber)
    }
}

/// A calendar day as a date field sends it: YYYY-MM-DD, between 1900 and
/// 2100 (a birth date, an invoice's due date).
pub fn calendar_day(value: &str) -> Result<jiff::civil::Date, Problem> {
    match value.trim().parse::<jiff::civil::Date>() {
        Ok(d) if (1900..=2100).contains(&d.year()) => Ok(d),
        _ => Err(Problem::DayFormat),
    }
}

/// An amount of money as typed: digits with at most two decimals after a
/// point or a comma ("1234.5", "1234,50"), no thousands separators, not
/// negative, below a billion; in minor units (cents).
pub fn amount_minor(value: &str) -> Result<i64, Problem> {
    let v = value.trim().replace(',', ".");
    let (units, cents) = match v.split_once('.') {
        Some((u, c)) => (u, c),
        None => (v.as_str(), ""),
    };
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if units.is_empty() || units.len() > 9 || !digits(units) || cents.len() > 2 || !digits(cents) {
        return Err(Problem::AmountFormat);
    }
    let units: i64 = units.parse().map_err(|_| Problem::AmountFormat)?;
    let cents: i64 = format!("{cents:0<2}")
        .parse()
        .map_err(|_| Problem::AmountFormat)?;
    Ok(units * 100 + cents)
}

/// A currency's ISO 4217 code: three letters, returned in capitals.
pub fn currency(value: &str) -> Result<String, Problem> {
    let v = value.trim().to_ascii_uppercase();
    if v.len() == 3 && v.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(v)
    } else {
        Err(Problem::CurrencyCode)
    }
}

/// An optional web address that must be https (a logo, a payment link): at
/// most 500 characters, with a host. Empty for none.
pub fn https_address(value: &str) -> Result<Option<url::Url>, Problem> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    match url::Url::parse(v) {
        Ok(u) if u.scheme() == "https" && u.host_str().is_some() && v.len() <= 500 => Ok(Some(u)),
        _ => Err(Problem::HttpsAddress),
    }
}

/// The most lines and characters a postal address may have.
pub const POSTAL_ADDRESS_MAX_LINES: usize = 6;
pub const POSTAL_ADDRESS_MAX_CHARS: usize = 300;

/// A postal address as typed in a text area: at most
/// [`POSTAL_ADDRESS_MAX_LINES`] lines and [`POSTAL_ADDRESS_MAX_CHARS`]
/// characters, no control characters. Blank lines and spaces around lines
/// are dropped; empty for none.
pub fn postal_address(value: &str) -> Result<Option<PostalAddress>, Problem> {
    let text = free_text(value, POSTAL_ADDRESS_MAX_CHARS).map_err(|p| match p {
        Problem::TextTooLong => Problem::PostalAddressTooLong,
        other => other,
    })?;
    if text.contains('\t') {
        return Err(Problem::TextControlCharacters);
    }
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.len() > POSTAL_ADDRESS_MAX_LINES {
        return Err(Problem::PostalAddressTooLong);
    }
    Ok((!lines.is_empty()).then(|| PostalAddress(lines.join("\n"))))
}

/// Search text as typed in a list's search box: control characters become
/// spaces and it is cut to [`SEARCH_MAX`] characters, so nothing a person
/// can type makes the query fail.
pub fn search(value: &str) -> String {
    value
        .chars()
        .map(|c| if is_forbidden_char(c) { ' ' } else { c })
        .take(SEARCH_MAX)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Why a list of ids was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdListError {
    /// Something in the list is not an id.
    NotIds,
    /// More than the maximum.
    TooMany,
}

/// A comma-separated list of ids as a form sends it (ticked rows, chosen
/// approvers, applications): blanks are skipped, at most `max` ids, and
/// anything that is not an id refuses the whole list instead of being
/// dropped quietly.
pub fn id_list(value: &str, max: usize) -> Result<Vec<i64>, IdListError> {
    let ids = value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<i64>().map_err(|_| IdListError::NotIds))
        .collect::<Result<Vec<i64>, _>>()?;
    if ids.len() > max {
        return Err(IdListError::TooMany);
    }
    Ok(ids)
}

/// The longest search text used, in characters.
pub const SEARCH_MAX: usize = 100;

/// An email address, checked by an RFC 5322 parser. Case is kept for display;
/// comparisons use the lower-cased form. The domain may be international
/// (`bücher.example`: it is sent in its ASCII form); the part before the @
/// must be ASCII, as every mail server accepts that.
pub fn email(value: &str) -> Result<Email, Problem> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Problem::EmailEmpty);
    }
    if v.rsplit_once('@')
        .is_some_and(|(local, _)| !local.is_ascii())
    {
        return Err(Problem::EmailPlainCharacters);
    }
    if v.rsplit_once('@')
        .is_some_and(|(_, domain)| idna::domain_to_ascii(domain).is_err())
    {
        return Err(Problem::EmailMalformed);
    }
    match EmailAddress::parse_with_options(v, email_address::Options::default().with_required_tld())
    {
        Ok(addr) if addr.display_part().is_empty() && v.len() <= 254 => Ok(Email(v.to_owned())),
        _ => Err(Problem::EmailMalformed),
    }
}

/// A client's language as a form sends it: "en" or "fr", or empty for
/// none of their own (the organization's).
pub fn client_language(value: &str) -> Result<Option<Language>, Problem> {
    match value.trim() {
        "" => Ok(None),
        l => Language::parse(l)
            .map(Some)
            .ok_or(Problem::LanguageFromList),
    }
}

/// Slugs no organization may take: words of the site's own addresses and
/// words a visitor could mistake for the site's own pages or staff.
const RESERVED_SLUGS: &[&str] = &[
    "about",
    "account",
    "accounts",
    "activate",
    "admin",
    "api",
    "app",
    "assets",
    "audit",
    "billing",
    "clients",
    "dashboard",
    "forgot",
    "help",
    "invitations",
    "login",
    "logout",
    "mail",
    "mailbox",
    "new",
    "official",
    "pkg",
    "porchlight",
    "portal",
    "reset",
    "root",
    "security",
    "settings",
    "setup",
    "signup",
    "static",
    "status",
    "support",
    "system",
    "www",
];

/// A URL slug (an organization's portal address `/o/<slug>`): 3–40
/// lowercase letters, digits and hyphens, starting and ending with a letter
/// or digit, not one of [`RESERVED_SLUGS`].
pub fn slug(value: &str) -> Result<String, Problem> {
    let v = value.trim();
    let allowed = v
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !(3..=40).contains(&v.len()) {
        return Err(Problem::SlugLength);
    }
    if !allowed || v.starts_with('-') || v.ends_with('-') {
        return Err(Problem::SlugCharacters);
    }
    if RESERVED_SLUGS.contains(&v) {
        return Err(Problem::SlugReserved);
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
pub fn username(value: &str) -> Result<String, Problem> {
    let v = value.trim();
    let ok = (3..=30).contains(&v.chars().count())
        && v.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok {
        Ok(v.to_owned())
    } else {
        Err(Problem::UsernameCharacters)
    }
}

/// The password policy: [`PASSWORD_MIN`]–[`PASSWORD_MAX`] characters, not a
/// commonly used password and not the account's own email.
pub fn password(value: &str, email: &str) -> Result<NewPassword, Problem> {
    let len = value.chars().count();
    if len < PASSWORD_MIN {
        return Err(Problem::PasswordTooShort { min: PASSWORD_MIN });
    }
    if len > PASSWORD_MAX {
        return Err(Problem::PasswordTooLong { max: PASSWORD_MAX });
    }
    if !email.is_empty() && value.trim().eq_ignore_ascii_case(email.trim()) {
        return Err(Problem::PasswordIsEmail);
    }
    if is_common_password(value) {
        return Err(Problem::PasswordCommon);
    }
    Ok(NewPassword(value.to_owned()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn invoice_fields_are_read_as_people_type_them() {
        assert_eq!(
            super::invoice_number(" INV-2026/001 "),
            Ok("INV-2026/001".into())
        );
        assert_eq!(
            super::invoice_number(""),
            Err(super::Problem::InvoiceNumber)
        );
        assert_eq!(
            super::invoice_number("a;b"),
            Err(super::Problem::InvoiceNumber)
        );
        assert_eq!(
            super::calendar_day("2026-12-31").map(|d| d.to_string()),
            Ok("2026-12-31".into())
        );
        for bad in ["2026-02-30", "31/12/2026", "1899-12-31", ""] {
            assert_eq!(
                super::calendar_day(bad),
                Err(super::Problem::DayFormat),
                "{bad}"
            );
        }
        assert_eq!(super::amount_minor("1234.5"), Ok(123_450));
        assert_eq!(super::amount_minor("1234,05"), Ok(123_405));
        assert_eq!(super::amount_minor("0"), Ok(0));
        for bad in ["-5", "1,234.50", "12.345", "", ".5", "1e3", "1234567890"] {
            assert_eq!(
                super::amount_minor(bad),
                Err(super::Problem::AmountFormat),
                "{bad}"
            );
        }
        assert_eq!(super::currency(" cad"), Ok("CAD".into()));
        assert_eq!(super::currency("CA$"), Err(super::Problem::CurrencyCode));
        assert_eq!(super::https_address(""), Ok(None));
        assert!(
            super::https_address("https://pay.example.com/i/42")
                .unwrap()
                .is_some()
        );
        for bad in ["http://pay.example.com", "javascript:alert(1)", "https://"] {
            assert_eq!(
                super::https_address(bad),
                Err(super::Problem::HttpsAddress),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_phone_number_is_written_as_people_write_them() {
        for ok in [
            "+1 (514) 555-0199",
            "514.555.0199",
            "06 12 34 56 78",
            "+33 6 12 34 56 78",
            "514-555-0199 ext. 42",
            "514 555 0199 x7",
        ] {
            assert_eq!(
                super::phone(ok).map(|p| p.map(|p| p.into_string())),
                Ok(Some(ok.to_owned())),
                "{ok}"
            );
        }
        assert_eq!(super::phone("  "), Ok(None));
        for bad in [
            "555",
            "call me",
            "1+514 555 0199",
            "x12",
            "514 555 0199 ext",
            "é5145550199",
            "1234567890123456",
        ] {
            assert_eq!(super::phone(bad), Err(super::Problem::PhoneFormat), "{bad}");
        }
    }

    #[test]
    fn a_postal_address_keeps_its_lines_without_blank_ones() {
        let a = super::postal_address("  12 Main St \r\n\n Apt 4\nMontréal QC  H2X 1Y4 ")
            .unwrap()
            .unwrap();
        assert_eq!(a.as_str(), "12 Main St\nApt 4\nMontréal QC  H2X 1Y4");
        assert_eq!(super::postal_address("\n \n"), Ok(None));
        assert_eq!(
            super::postal_address("1\n2\n3\n4\n5\n6\n7"),
            Err(super::Problem::PostalAddressTooLong)
        );
        assert_eq!(
            super::postal_address(&"a".repeat(301)),
            Err(super::Problem::PostalAddressTooLong)
        );
        assert_eq!(
            super::postal_address("12 Main\u{202E}St"),
            Err(super::Problem::TextControlCharacters)
        );
    }

    #[test]
    fn usernames_follow_the_rule() {
        assert_eq!(username(" Ann.Lee-2 ").as_deref(), Ok("Ann.Lee-2"));
        for bad in ["ab", "_ann", "ann lee", "anné", &"a".repeat(31), ""] {
            assert!(username(bad).is_err(), "{bad:?}");
        }
    }

    use super::*;

    #[test]
    fn names_are_printable_text() {
        assert_eq!(
            name("  Ann-Marie O'Neil ").as_deref(),
            Ok("Ann-Marie O'Neil")
        );
        assert_eq!(name("Zoë Łukasz 李").as_deref(), Ok("Zoë Łukasz 李"));
        for bad in [
            "Ann\nBcc: x@evil.example",
            "Ann\rLee",
            "Ann\tLee",
            "Ann\u{0}",
            "Ann\u{1b}[31m",
            "Ann\u{7f}",
            "Ann\u{202E}eeL",
            "Ann\u{2066}x",
            "Ann\u{2028}Lee",
            "Ann\u{200B}",
            "An\u{AD}n",
            "\u{FEFF}Ann",
            "",
            "   ",
        ] {
            assert!(name(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(name(&"a".repeat(101)).is_err());
    }

    #[test]
    fn free_text_keeps_lines_but_not_controls() {
        assert_eq!(free_text(" a\nb ", 10).as_deref(), Ok("a\nb"));
        assert!(free_text("a\u{0}b", 10).is_err());
        assert!(free_text("a\u{202E}b", 10).is_err());
        assert!(free_text("abcdef", 5).is_err());
    }

    #[test]
    fn request_keys_are_short_visible_text() {
        assert_eq!(request_key(" abc-123_ ").unwrap().as_str(), "abc-123_");
        for bad in ["", "   ", "a b", "é", &"k".repeat(101)] {
            assert_eq!(request_key(bad), Err(Problem::RequestKeyMissing), "{bad:?}");
        }
    }

    #[test]
    fn id_lists_refuse_what_is_not_an_id() {
        assert_eq!(id_list(" 1, 2,,3 ", 5), Ok(vec![1, 2, 3]));
        assert_eq!(id_list("", 5), Ok(vec![]));
        assert_eq!(id_list("1,x", 5), Err(IdListError::NotIds));
        assert_eq!(id_list("1,2.5", 5), Err(IdListError::NotIds));
        assert_eq!(id_list("1,2,3", 2), Err(IdListError::TooMany));
    }

    #[test]
    fn search_text_is_cleaned_and_capped() {
        assert_eq!(search("ann\u{0}lee"), "ann lee");
        assert_eq!(search(&"x".repeat(500)).chars().count(), SEARCH_MAX);
    }

    #[test]
    fn emails() {
        assert_eq!(
            email(" Ann@Example.com ").unwrap().as_str(),
            "Ann@Example.com"
        );
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
    fn international_emails() {
        assert_eq!(
            email("someone@bücher.example").as_deref(),
            Ok("someone@bücher.example")
        );
        assert!(email("zoë@example.com").is_err());
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("north-tutors").unwrap(), "north-tutors");
        for bad in ["ab", "North", "-north", "north-", "no rth", &"a".repeat(41)] {
            assert!(slug(bad).is_err(), "{bad:?} should be refused");
        }
        for reserved in ["admin", "api", "login", "www", "porchlight"] {
            assert_eq!(slug(reserved), Err(Problem::SlugReserved), "{reserved}");
        }
    }

    #[test]
    fn a_client_language_is_ours_or_none() {
        assert_eq!(client_language(" fr "), Ok(Some(Language::French)));
        assert_eq!(client_language(""), Ok(None));
        assert_eq!(client_language("de"), Err(Problem::LanguageFromList));
    }

    #[test]
    fn passwords() {
        assert!(password("long enough pass", "a@b.co").is_ok());
        assert!(password("short", "a@b.co").is_err());
        assert!(password(&"x".repeat(129), "a@b.co").is_err());
        assert!(password("Ann@Example.com", "ann@example.com").is_err());
        assert_eq!(
            password("Password123", "a@b.co").unwrap_err(),
            Problem::PasswordCommon
        );
        assert_eq!(
            password("short", "a@b.co").unwrap_err().to_string(),
            format!("Use at least {PASSWORD_MIN} characters.")
        );
        assert!(password("QWERTYUIOP", "a@b.co").is_err());
    }
}
