//! What clients may see and do in the portal: one switch per section
//! ([`PortalSection`]), set for the whole organization (Settings → Client
//! permissions) and overridable per client account. Staff are never
//! limited by them.

use serde::{Deserialize, Serialize};

use super::kinds::PortalSection;

/// How many sections there are (`PortalSection::ALL.len()`).
const SECTIONS: usize = 5;

/// Which sections are switched on. A section that lives inside another
/// ([`PortalSection::within`]) is allowed only when that one is too:
/// [`Permissions::allows`] is the rule every page and server function asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permissions {
    on: [bool; SECTIONS],
}

impl Permissions {
    /// A new organization's choice (and every organization's before the
    /// switches existed): everything but uploads. Keep in step with the
    /// columns' defaults (migration 0021).
    pub const DEFAULT: Permissions = Permissions {
        on: [true, true, false, true, true],
    };

    /// Everything allowed (what staff may use).
    pub const ALL: Permissions = Permissions {
        on: [true; SECTIONS],
    };

    /// Nothing allowed.
    pub const NONE: Permissions = Permissions {
        on: [false; SECTIONS],
    };

    /// The switches as stored, in [`PortalSection::ALL`] order (1 on).
    pub fn from_stored(stored: [i64; SECTIONS]) -> Permissions {
        Permissions {
            on: stored.map(|v| v != 0),
        }
    }

    /// The switches as stored (see [`Permissions::from_stored`]).
    pub fn to_stored(self) -> [i64; SECTIONS] {
        self.on.map(i64::from)
    }

    /// Whether `section`'s own switch is on (what a checkbox shows).
    pub fn switch(self, section: PortalSection) -> bool {
        self.on[section as usize]
    }

    /// Turns `section`'s own switch on or off.
    pub fn set(&mut self, section: PortalSection, on: bool) {
        self.on[section as usize] = on;
    }

    /// Whether a client may use `section`: its switch is on, and so is the
    /// switch of the section it lives in (no upload control without
    /// documents, no Pay button without invoices).
    pub fn allows(self, section: PortalSection) -> bool {
        self.switch(section) && section.within().is_none_or(|outer| self.switch(outer))
    }

    /// The sections a client may use, in [`PortalSection::ALL`] order.
    pub fn allowed(self) -> Vec<PortalSection> {
        PortalSection::ALL
            .iter()
            .copied()
            .filter(|s| self.allows(*s))
            .collect()
    }

    /// The switches that are on, in [`PortalSection::ALL`] order.
    pub fn switched_on(self) -> Vec<PortalSection> {
        PortalSection::ALL
            .iter()
            .copied()
            .filter(|s| self.switch(*s))
            .collect()
    }
}

/// An account's own choices: per section, on, off or (None) the
/// organization's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overrides {
    chosen: [Option<bool>; SECTIONS],
}

impl Overrides {
    /// The choices as stored, in [`PortalSection::ALL`] order (NULL: the
    /// organization's; 1 on; 0 off).
    pub fn from_stored(stored: [Option<i64>; SECTIONS]) -> Overrides {
        Overrides {
            chosen: stored.map(|v| v.map(|v| v != 0)),
        }
    }

    /// The choices as stored (see [`Overrides::from_stored`]).
    pub fn to_stored(self) -> [Option<i64>; SECTIONS] {
        self.chosen.map(|c| c.map(i64::from))
    }

    /// The account's choice for `section`; None: the organization's.
    pub fn get(self, section: PortalSection) -> Option<bool> {
        self.chosen[section as usize]
    }

    /// Sets the account's choice for `section`.
    pub fn set(&mut self, section: PortalSection, choice: Option<bool>) {
        self.chosen[section as usize] = choice;
    }

    /// The account's switches: its own choices over the organization's.
    pub fn over(self, organization: Permissions) -> Permissions {
        let mut out = organization;
        for section in PortalSection::ALL {
            if let Some(on) = self.get(*section) {
                out.set(*section, on);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_indexed_in_declaration_order() {
        assert_eq!(PortalSection::ALL.len(), SECTIONS);
        for (i, s) in PortalSection::ALL.iter().enumerate() {
            assert_eq!(*s as usize, i);
        }
    }

    #[test]
    fn a_section_inside_another_needs_both_switches() {
        let mut p = Permissions::DEFAULT;
        p.set(PortalSection::Uploads, true);
        assert!(p.allows(PortalSection::Uploads));
        p.set(PortalSection::Documents, false);
        assert!(p.switch(PortalSection::Uploads));
        assert!(!p.allows(PortalSection::Uploads));
        assert!(p.allows(PortalSection::Payments));
        p.set(PortalSection::Invoices, false);
        assert!(!p.allows(PortalSection::Payments));
        assert_eq!(p.allowed(), vec![PortalSection::Profile]);
    }

    #[test]
    fn an_account_choice_wins_over_the_organization_and_none_follows_it() {
        let org = Permissions::DEFAULT;
        let mut own = Overrides::default();
        assert_eq!(own.over(org), org);
        own.set(PortalSection::Profile, Some(false));
        own.set(PortalSection::Uploads, Some(true));
        let p = own.over(org);
        assert!(!p.allows(PortalSection::Profile));
        assert!(p.allows(PortalSection::Uploads));
        assert!(p.allows(PortalSection::Invoices));
        assert_eq!(Overrides::from_stored(own.to_stored()), own);
    }

    #[test]
    fn stored_switches_read_back() {
        let p = Permissions::from_stored([1, 0, 1, 0, 1]);
        assert_eq!(p.to_stored(), [1, 0, 1, 0, 1]);
        assert_eq!(
            p.switched_on(),
            vec![
                PortalSection::Profile,
                PortalSection::Uploads,
                PortalSection::Payments
            ]
        );
        // Payments live on invoices, which are off.
        assert_eq!(p.allowed(), vec![PortalSection::Profile]);
    }
}
