//! Findings the user has looked at and set aside, and findings already known.
//!
//! A suppression (`[[suppress]]` in `exlint.toml`) names a code and the object, by DN, or the
//! one finding, by fingerprint, with the reason and optionally the day it expires. Suppressed
//! findings are reported apart, never dropped; a suppression that matches nothing, or has
//! expired, is reported too, so that stale ones do not pile up unseen.
//!
//! A baseline (`--baseline FILE`, written by `--write-baseline FILE`) holds the fingerprints of
//! the findings of an earlier run; findings in it are counted, not reported, so that only new
//! ones show.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::directory::DnKey;
use crate::finding::Finding;

/// One `[[suppress]]` entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Suppression {
    pub code: String,
    /// The object's DN, as written in the configuration; compared in its normalised form.
    pub dn: Option<String>,
    pub fingerprint: Option<String>,
    pub reason: String,
    /// The last day it applies, `YYYY-MM-DD`.
    pub expires: Option<String>,
    /// Where it is written: `exlint.toml:12`.
    pub origin: String,
}

impl Suppression {
    fn matches(&self, finding: &Finding) -> bool {
        let same_dn = || match (&self.dn, &finding.dn) {
            (Some(wanted), Some(dn)) => DnKey::of(wanted) == DnKey::of(dn),
            _ => false,
        };
        let same_fingerprint = || self.fingerprint.as_deref() == Some(finding.fingerprint.as_str());
        self.code.eq_ignore_ascii_case(finding.code) && (same_fingerprint() || same_dn())
    }

    /// What it names, for reports: `SMTP001 on \`CN=...\``, `SMTP001 with fingerprint \`...\``.
    pub fn describe(&self) -> String {
        match (&self.dn, &self.fingerprint) {
            (Some(dn), _) => format!("{} on `{dn}`", self.code),
            (None, Some(fingerprint)) => format!("{} with fingerprint `{fingerprint}`", self.code),
            (None, None) => self.code.clone(),
        }
    }

    /// Whether the day of `now` (RFC 3339) is past the last day of the suppression.
    fn expired(&self, now: &str) -> bool {
        self.expires.as_deref().is_some_and(|last_day| now.get(..10).is_some_and(|today| today > last_day))
    }
}

/// A finding set aside, with the suppression that did it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppressed {
    pub finding: Finding,
    /// Index into the suppressions given.
    pub suppression: usize,
}

/// Why a suppression set nothing aside.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unused {
    /// No finding has its code and DN or fingerprint.
    NoMatch,
    /// Its last day is past: the findings it named are reported again.
    Expired,
}

/// What the suppressions and the baseline made of the findings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Review {
    pub suppressions: Vec<Suppression>,
    pub suppressed: Vec<Suppressed>,
    /// Suppressions that set nothing aside, by index, with why.
    pub unused: Vec<(usize, Unused)>,
    /// With `--baseline`: findings that it holds (not reported), and entries of it no longer
    /// found.
    pub baseline: Option<BaselineOutcome>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BaselineOutcome {
    pub known: usize,
    pub fixed: usize,
}

impl Unused {
    /// How reports say it: `unused`, `expired`.
    pub fn label(self) -> &'static str {
        match self {
            Unused::NoMatch => "unused",
            Unused::Expired => "expired",
        }
    }
}

impl Review {
    /// Sets aside from `findings` what the suppressions and the baseline name. `now` is the
    /// report's time (RFC 3339), against which expiry dates are read.
    pub fn apply(
        findings: &mut Vec<Finding>,
        suppressions: &[Suppression],
        baseline: Option<&Baseline>,
        now: &str,
    ) -> Review {
        let mut review = Review { suppressions: suppressions.to_vec(), ..Review::default() };
        let mut used = vec![false; suppressions.len()];
        findings.retain(|finding| {
            let matching = suppressions.iter().position(|s| !s.expired(now) && s.matches(finding));
            let Some(index) = matching else { return true };
            used[index] = true;
            review.suppressed.push(Suppressed { finding: finding.clone(), suppression: index });
            false
        });
        review.unused = suppressions
            .iter()
            .enumerate()
            .filter(|&(index, _)| !used[index])
            .map(|(index, suppression)| {
                (index, if suppression.expired(now) { Unused::Expired } else { Unused::NoMatch })
            })
            .collect();
        if let Some(baseline) = baseline {
            let known: BTreeSet<&str> = baseline.findings.iter().map(|entry| entry.fingerprint.as_str()).collect();
            let before = findings.len();
            let mut found = BTreeSet::new();
            findings.retain(|finding| {
                let old = known.contains(finding.fingerprint.as_str());
                if old {
                    found.insert(finding.fingerprint.clone());
                }
                !old
            });
            review.baseline =
                Some(BaselineOutcome { known: before - findings.len(), fixed: known.len() - found.len() });
        }
        review
    }
}

/// The findings of a run, by fingerprint: `--write-baseline` writes it, `--baseline` reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Always 1; a baseline of another version is refused rather than misread.
    pub exlint_baseline: u32,
    pub findings: Vec<BaselineEntry>,
}

/// One finding of a baseline; all but the fingerprint is there for the people who read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    pub fingerprint: String,
    pub code: String,
    pub dn: Option<String>,
    pub message: String,
}

impl Baseline {
    pub const VERSION: u32 = 1;

    pub fn of(findings: &[Finding]) -> Baseline {
        Baseline {
            exlint_baseline: Baseline::VERSION,
            findings: findings
                .iter()
                .map(|finding| BaselineEntry {
                    fingerprint: finding.fingerprint.clone(),
                    code: finding.code.to_owned(),
                    dn: finding.dn.clone(),
                    message: finding.message.clone(),
                })
                .collect(),
        }
    }

    pub fn parse(text: &str) -> Result<Baseline, String> {
        let baseline: Baseline = serde_json::from_str(text).map_err(|error| error.to_string())?;
        if baseline.exlint_baseline != Baseline::VERSION {
            return Err(format!(
                "baseline version {} is not {}: write it again with `--write-baseline`",
                baseline.exlint_baseline,
                Baseline::VERSION
            ));
        }
        Ok(baseline)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;
    use crate::source::{Location, SourceId, Span};

    fn finding(code: &'static str, dn: &str) -> Finding {
        let location = Location { source: SourceId(0), span: Span::new(0, 1) };
        let mut finding = Finding::new(code, "name", "Title", Severity::Warning, location, "message").dn(dn);
        crate::fingerprint::assign(std::slice::from_mut(&mut finding));
        finding
    }

    fn suppression(code: &str, dn: Option<&str>, fingerprint: Option<&str>, expires: Option<&str>) -> Suppression {
        Suppression {
            code: code.to_owned(),
            dn: dn.map(str::to_owned),
            fingerprint: fingerprint.map(str::to_owned),
            reason: "accepted".to_owned(),
            expires: expires.map(str::to_owned),
            origin: "exlint.toml:1".to_owned(),
        }
    }

    const NOW: &str = "2026-11-22T10:00:00Z";

    #[test]
    fn suppressions_match_by_code_and_dn_in_any_spelling_or_by_fingerprint() {
        let first = finding("SMTP001", "CN=1,CN=SMTP,CN=Protocols,CN=EXBH01");
        let second = finding("SMTP001", "CN=1,CN=SMTP,CN=Protocols,CN=EXEU01");
        let third = finding("SMTP003", "CN=1,CN=SMTP,CN=Protocols,CN=EXEU01");
        let mut findings = vec![first.clone(), second.clone(), third.clone()];
        let suppressions = [
            suppression("smtp001", Some("cn=1, cn=smtp, cn=protocols, cn=exbh01"), None, None),
            suppression("SMTP003", None, Some(&third.fingerprint), Some("2026-11-22")),
            suppression("SMTP002", Some("CN=EXBH01"), None, None),
            suppression("SMTP001", Some("CN=1,CN=SMTP,CN=Protocols,CN=EXEU01"), None, Some("2026-11-21")),
        ];
        let review = Review::apply(&mut findings, &suppressions, None, NOW);
        assert_eq!(findings, [second]);
        assert_eq!(review.suppressed.iter().map(|s| s.suppression).collect::<Vec<_>>(), [0, 1]);
        assert_eq!(review.unused, [(2, Unused::NoMatch), (3, Unused::Expired)]);
    }

    #[test]
    fn a_baseline_hides_known_findings_and_counts_fixed_ones() {
        let old = finding("SMTP001", "CN=A");
        let gone = finding("SMTP001", "CN=B");
        let new = finding("SMTP001", "CN=C");
        let baseline = Baseline::parse(&serde_json::to_string(&Baseline::of(&[old.clone(), gone])).unwrap()).unwrap();
        let mut findings = vec![old, new.clone()];
        let review = Review::apply(&mut findings, &[], Some(&baseline), NOW);
        assert_eq!(findings, [new]);
        assert_eq!(review.baseline, Some(BaselineOutcome { known: 1, fixed: 1 }));
    }

    #[test]
    fn baselines_of_another_version_are_refused() {
        let error = Baseline::parse(r#"{"exlint_baseline": 2, "findings": []}"#).unwrap_err();
        assert!(error.contains("version 2"), "{error}");
        assert!(Baseline::parse(r#"{"fingerprints": []}"#).is_err());
    }
}
