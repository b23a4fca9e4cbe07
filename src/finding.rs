//! Findings: what the rules and the reader report, as plain data that every report format
//! renders.

use std::fmt;

use serde::Serialize;

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
    /// The finding's identity across re-exports: see [`crate::fingerprint::assign`].
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

    /// Adds evidence, when there is some: an object the export lacks has none.
    pub fn evidence(mut self, evidence: impl Into<Option<Evidence>>) -> Finding {
        self.evidence.extend(evidence.into());
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

/// A rule that could not look, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NotEvaluated {
    pub code: &'static str,
    pub reason: String,
}
