//! The staff overview (`/`): how onboarding is going and what needs a hand.

use serde::{Deserialize, Serialize};

/// How many weeks the overview's chart covers.
pub const OVERVIEW_WEEKS: usize = 12;

/// After how many days without an answer an invitation is listed as waiting.
pub const WAITING_DAYS: i64 = 7;

/// How many entries each "needs attention" list shows; the rest are counted.
pub const ATTENTION_SHOWN: i64 = 5;

/// The organization's onboarding at a glance, as [`crate::api::overview::get_overview`]
/// returns it. Words and dates are already in the reader's language and the
/// organization's time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    pub funnel: Funnel,
    /// The last [`OVERVIEW_WEEKS`] weeks (Monday to Sunday in the
    /// organization's zone), oldest first; the last is the current week.
    pub weeks: Vec<WeekCount>,
    /// Clients whose invitation email could not be delivered.
    pub failed: Attention,
    /// Invitations sent more than [`WAITING_DAYS`] days ago, still open.
    pub waiting: Attention,
    /// Sign-up applications waiting for a decision.
    pub applications: Attention,
    /// Whether a bulk invitation is running (shown with its progress).
    pub jobs_running: bool,
}

/// The onboarding funnel: every client record, those ever invited (or who
/// joined without an invitation), and those who joined (have an account).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Funnel {
    /// Client records of the organization.
    pub created: i64,
    /// Of those, ever sent an invitation, or joined without one.
    pub invited: i64,
    /// Of those, with an account (whether or not their access is enabled).
    pub joined: i64,
}

impl Funnel {
    /// `part` as a whole percentage of `whole` (0 when `whole` is 0).
    pub fn percent(part: i64, whole: i64) -> i64 {
        if whole <= 0 {
            0
        } else {
            (part * 100 + whole / 2) / whole
        }
    }
}

/// Invitations sent and accepted in one week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekCount {
    /// The week's Monday, "3 Nov" / "3 nov.".
    pub label: String,
    /// Invitations created that week.
    pub sent: i64,
    /// Invitations accepted that week (whenever they were sent).
    pub accepted: i64,
}

/// A "needs attention" list: how many there are, and the first
/// [`ATTENTION_SHOWN`] of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attention {
    pub total: i64,
    pub items: Vec<AttentionItem>,
}

/// One entry of a "needs attention" list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttentionItem {
    /// Where to deal with it: `/clients/12`, `/approvals`.
    pub href: String,
    /// The person's name.
    pub name: String,
    /// Since when, in words ("Invited on 3 Nov 2026").
    pub detail: String,
}

/// The chart's bars in SVG user units: for week `i`, the sent bar and the
/// accepted bar side by side.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bar {
    pub x: f64,
    pub y: f64,
    pub height: f64,
}

/// Chart geometry (SVG user units): a `CHART_WIDTH` × `CHART_HEIGHT` view
/// box, bars rising from `CHART_BASE`.
pub const CHART_WIDTH: f64 = 600.0;
pub const CHART_HEIGHT: f64 = 220.0;
pub const CHART_BASE: f64 = 190.0;
const CHART_TOP: f64 = 20.0;
const CHART_LEFT: f64 = 40.0;
/// Each bar's width.
pub const BAR_WIDTH: f64 = 16.0;

/// The highest count the chart's scale reaches: the largest week's, at
/// least 1, rounded up to a "nice" number (1, 2, 5 × 10ⁿ).
pub fn chart_max(weeks: &[WeekCount]) -> i64 {
    let top = weeks
        .iter()
        .map(|w| w.sent.max(w.accepted))
        .max()
        .unwrap_or(0)
        .max(1);
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if m * step >= top {
                return m * step;
            }
        }
        step *= 10;
    }
}

/// The x of week `i`'s group (its sent bar; the accepted bar follows).
pub fn week_x(i: usize, weeks: usize) -> f64 {
    let slot = (CHART_WIDTH - CHART_LEFT) / weeks.max(1) as f64;
    CHART_LEFT + slot * i as f64 + (slot - 2.0 * BAR_WIDTH) / 2.0
}

/// The bar of `value` at `x` on a scale reaching `max`.
pub fn bar(x: f64, value: i64, max: i64) -> Bar {
    let height = (CHART_BASE - CHART_TOP) * value as f64 / max.max(1) as f64;
    Bar {
        x,
        y: CHART_BASE - height,
        height,
    }
}

/// The y of a scale line at `value` on a scale reaching `max`.
pub fn scale_y(value: i64, max: i64) -> f64 {
    CHART_BASE - (CHART_BASE - CHART_TOP) * value as f64 / max.max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn week(sent: i64, accepted: i64) -> WeekCount {
        WeekCount {
            label: String::new(),
            sent,
            accepted,
        }
    }

    #[test]
    fn the_scale_reaches_a_round_number_above_the_largest_week() {
        assert_eq!(chart_max(&[]), 1);
        assert_eq!(chart_max(&[week(0, 0)]), 1);
        assert_eq!(chart_max(&[week(3, 1)]), 5);
        assert_eq!(chart_max(&[week(7, 12)]), 20);
        assert_eq!(chart_max(&[week(10, 0)]), 10);
        assert_eq!(chart_max(&[week(4_001, 0)]), 5_000);
    }

    #[test]
    fn bars_rise_from_the_base_in_proportion() {
        let full = bar(50.0, 10, 10);
        assert_eq!(full.y + full.height, CHART_BASE);
        assert_eq!(full.y, CHART_TOP);
        let half = bar(50.0, 5, 10);
        assert_eq!(half.height * 2.0, full.height);
        assert_eq!(bar(50.0, 0, 10).height, 0.0);
    }

    #[test]
    fn weeks_sit_left_to_right_inside_the_chart() {
        let xs: Vec<f64> = (0..OVERVIEW_WEEKS)
            .map(|i| week_x(i, OVERVIEW_WEEKS))
            .collect();
        assert!(xs.windows(2).all(|w| w[0] < w[1]));
        assert!(xs[0] >= CHART_LEFT);
        assert!(xs[OVERVIEW_WEEKS - 1] + 2.0 * BAR_WIDTH <= CHART_WIDTH);
    }

    #[test]
    fn shares_are_rounded_percentages() {
        assert_eq!(Funnel::percent(0, 0), 0);
        assert_eq!(Funnel::percent(1, 3), 33);
        assert_eq!(Funnel::percent(2, 3), 67);
        assert_eq!(Funnel::percent(5, 5), 100);
    }
}
