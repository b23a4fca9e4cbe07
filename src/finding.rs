//! Findings: what the rules and the reader report, as plain data that every report format
//! renders.

use std::collections::HashMap;
use std::fmt;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::directory::{DnKey, Entry};
use crate::ldif::Attribute;
use crate::source::Location;

/// How serious a finding is, with ExBPA's levels. Ordered from least to most serious.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Worth knowing; nothing to change.
    Info,
    /// Differs from the product default; not wrong in itself.
    NonDefault,
    /// Against recommended practice.
    Warning,
    /// Broken, or certain to cause trouble.
    Error,
}

impl Severity {
    pub const ALL: [Severity; 4] = [Severity::Error, Severity::Warning, Severity::NonDefault, Severity::Info];

    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::NonDefault => "non-default",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One problem found, pointing at the lines of the export it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub code: &'static str,
    pub name: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    /// Lower-case, no trailing period, offending values in backticks.
    pub message: String,
    pub location: Location,
    /// The Exchange server the finding is about, by name.
    pub server: Option<String>,
    /// The DN of the object the finding is about, as written in the export.
    pub dn: Option<String>,
    /// What the rule read and what it makes of each: the entries and attribute values it is
    /// based on, each with its place in the export.
    pub evidence: Vec<Evidence>,
    /// What to do about it.
    pub help: Option<String>,
    /// The finding's identity across re-exports: see [`Finding::assign_fingerprints`].
    pub fingerprint: String,
}

/// One entry, or one attribute value of an entry, that a finding is based on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    pub location: Location,
    /// The entry's DN as written.
    pub dn: String,
    /// The attribute as written (`msExchServerBindings`); `None` when the evidence is the entry
    /// itself, located at its `dn:` line.
    pub attribute: Option<String>,
    /// The value as text, decoded when it was base64.
    pub value: Option<String>,
    /// What the rule makes of it, lower-case.
    pub note: String,
}

impl Evidence {
    /// An entry, pointed at by its `dn:` line.
    pub fn entry(entry: &Entry<'_>, note: impl Into<String>) -> Evidence {
        Evidence {
            location: entry.location(),
            dn: entry.dn.text().to_owned(),
            attribute: None,
            value: None,
            note: note.into(),
        }
    }

    /// An attribute value of an entry, pointed at by its line.
    pub fn value(entry: &Entry<'_>, attribute: &Attribute<'_>, note: impl Into<String>) -> Evidence {
        Evidence {
            location: entry.location_of(attribute),
            dn: entry.dn.text().to_owned(),
            attribute: Some(attribute.description().to_owned()),
            value: Some(attribute.value.text().into_owned()),
            note: note.into(),
        }
    }

    /// A value the topology keeps apart from its attribute line (a parsed binding, say),
    /// pointed at by the line it was read from.
    pub fn parsed(location: Location, dn: &str, attribute: &str, value: &str, note: impl Into<String>) -> Evidence {
        Evidence {
            location,
            dn: dn.to_owned(),
            attribute: Some(attribute.to_owned()),
            value: Some(value.to_owned()),
            note: note.into(),
        }
    }
}

impl Finding {
    pub fn new(
        code: &'static str,
        name: &'static str,
        title: &'static str,
        severity: Severity,
        location: Location,
        message: impl Into<String>,
    ) -> Finding {
        Finding {
            code,
            name,
            title,
            severity,
            message: message.into(),
            location,
            server: None,
            dn: None,
            evidence: Vec::new(),
            help: None,
            fingerprint: String::new(),
        }
    }

    pub fn server(mut self, name: impl Into<String>) -> Finding {
        self.server = Some(name.into());
        self
    }

    pub fn dn(mut self, dn: impl Into<String>) -> Finding {
        self.dn = Some(dn.into());
        self
    }

    pub fn evidence(mut self, evidence: Evidence) -> Finding {
        self.evidence.push(evidence);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    /// The order of reports: by file, then position, then code, so that output never depends
    /// on which thread found what.
    pub fn sort(findings: &mut [Finding]) {
        findings.sort_by(|a, b| {
            (a.location.source, a.location.span.start, a.code, &a.message).cmp(&(
                b.location.source,
                b.location.span.start,
                b.code,
                &b.message,
            ))
        });
    }
}

impl Finding {
    /// Gives every finding its fingerprint: a hash of its code, the normalised DN of the object
    /// it is about, and its key value, the attributes and values on the lines it points at (or,
    /// for a malformed record, which has no DN, its message). Line numbers, line ends, the file's
    /// encoding, base64 or plain values, and the case and spacing of DNs do not enter it, so
    /// the same problem keeps its fingerprint when the directory is exported again. Findings
    /// that would share one are told apart by their order: `…:2`, `…:3`.
    pub fn assign_fingerprints(findings: &mut [Finding]) {
        let mut seen: HashMap<String, usize> = HashMap::new();
        for finding in findings {
            let base = finding.identity_hash();
            let count = seen.entry(base.clone()).or_default();
            *count += 1;
            finding.fingerprint = if *count == 1 { base } else { format!("{base}:{count}") };
        }
    }

    fn identity_hash(&self) -> String {
        let dn = self.dn.as_deref().map(|dn| DnKey::of(dn).to_string());
        let key = match &dn {
            None => self.message.clone(),
            Some(_) => {
                let mut values: Vec<String> = self
                    .evidence
                    .iter()
                    .filter(|evidence| self.location.contains(evidence.location))
                    .filter_map(|evidence| {
                        let attribute = evidence.attribute.as_deref()?.to_ascii_lowercase();
                        Some(format!("{attribute}={}", evidence.value.as_deref()?.trim()))
                    })
                    .collect();
                // The values of a multi-valued attribute come in no defined order.
                values.sort_unstable();
                values.join("\n")
            }
        };
        let mut hasher = Sha256::new();
        for part in [FINGERPRINT_VERSION, self.code, dn.as_deref().unwrap_or_default(), &key] {
            hasher.update(part.as_bytes());
            hasher.update([0]);
        }
        hasher.finalize()[..16].iter().map(|byte| format!("{byte:02x}")).collect()
    }
}

/// Changes if ever the recipe of fingerprints has to, so that old ones never match by chance.
const FINGERPRINT_VERSION: &str = "exlint-fingerprint-1";

/// A rule that could not look, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NotEvaluated {
    pub code: &'static str,
    pub reason: String,
}
