//! What the user tells exlint: facts about the organization that an export cannot say (the
//! rules' [`Options`]), which codes to report, at which severity, and what to set aside. They
//! come from `exlint.toml` and the command line.

use std::collections::BTreeMap;

use crate::catalogue;
use crate::finding::Severity;
use crate::rules::Options;
use crate::suppression::{Baseline, Suppression};

/// Which codes to report, and how seriously.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// Codes or code prefixes to report; all when empty.
    pub select: Vec<String>,
    /// Codes or code prefixes not to report.
    pub ignore: Vec<String>,
    /// Per code, as `[rules.CODE] enabled = ...` says; this wins over `select` and `ignore`.
    pub enabled: BTreeMap<String, bool>,
    /// Per code, the severity to report instead of the code's own.
    pub severity: BTreeMap<String, Severity>,
}

impl Selection {
    /// Whether findings of `code` are reported (and, for a rule, whether it runs).
    pub fn includes(&self, code: &str) -> bool {
        if let Some(&enabled) = self.enabled.get(code) {
            return enabled;
        }
        let matches = |patterns: &[String]| patterns.iter().any(|pattern| code.starts_with(pattern.as_str()));
        (self.select.is_empty() || matches(&self.select)) && !matches(&self.ignore)
    }

    /// The severity findings of `code` are reported with.
    pub fn severity(&self, code: &str, own: Severity) -> Severity {
        self.severity.get(code).copied().unwrap_or(own)
    }
}

/// Everything a check is run with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    pub options: Options,
    pub selection: Selection,
    /// Findings set aside, from `[[suppress]]`.
    pub suppressions: Vec<Suppression>,
    /// Findings already known, from `--baseline`.
    pub baseline: Option<Baseline>,
}

/// The code a `--select`/`--ignore` pattern or a `[rules.X]` table names, upper-cased, if any
/// code of the catalogue starts with it.
pub fn known_pattern(pattern: &str) -> Option<String> {
    let pattern = pattern.trim().to_ascii_uppercase();
    let known = !pattern.is_empty() && catalogue::catalogue().iter().any(|code| code.code.starts_with(&pattern));
    known.then_some(pattern)
}

/// Whether a drive is written like `C:`.
pub fn is_drive(drive: &str) -> bool {
    matches!(drive.as_bytes(), [letter, b':'] if letter.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_by_prefix_and_code() {
        let selection = Selection {
            select: vec!["SMTP".into()],
            ignore: vec!["SMTP002".into()],
            enabled: BTreeMap::from([("SMTP001".into(), false), ("DIR001".into(), true)]),
            ..Selection::default()
        };
        assert!(!selection.includes("SMTP001"), "disabled by its table");
        assert!(!selection.includes("SMTP002"), "ignored");
        assert!(selection.includes("SMTP003"));
        assert!(!selection.includes("LDIF001"), "not selected");
        assert!(selection.includes("DIR001"), "enabled by its table");
        assert!(Selection::default().includes("LDIF001"));
    }

    #[test]
    fn patterns_must_name_codes() {
        assert_eq!(known_pattern("smtp").as_deref(), Some("SMTP"));
        assert_eq!(known_pattern(" SMTP001 ").as_deref(), Some("SMTP001"));
        assert_eq!(known_pattern("SMTP999"), None);
        assert_eq!(known_pattern(""), None);
    }
}
