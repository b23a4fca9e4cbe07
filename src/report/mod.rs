//! Reports: one module per format, each a `write` function over the same [`Analysis`].

pub mod html;
pub mod human;
pub mod json;
pub mod statistics;

use serde::Serialize;

use crate::analysis::Analysis;
use crate::finding::{Finding, Severity};
use crate::source::{Location, Position, Source};

/// Findings per severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub error: usize,
    pub warning: usize,
    #[serde(rename = "non-default")]
    pub non_default: usize,
    pub info: usize,
}

impl Summary {
    pub fn of(findings: &[Finding]) -> Summary {
        let mut summary = Summary::default();
        for finding in findings {
            *match finding.severity {
                Severity::Error => &mut summary.error,
                Severity::Warning => &mut summary.warning,
                Severity::NonDefault => &mut summary.non_default,
                Severity::Info => &mut summary.info,
            } += 1;
        }
        summary
    }

    pub fn total(&self) -> usize {
        self.error + self.warning + self.non_default + self.info
    }
}

/// `one` or `many`, as `count` needs: `plural(n, "y", "ies")`.
fn plural(count: usize, one: &'static str, many: &'static str) -> &'static str {
    if count == 1 { one } else { many }
}

/// The source a location points into.
fn source_of<'s>(analysis: &Analysis<'s>, location: Location) -> &'s Source {
    &analysis.sources[location.source.0]
}

/// First and last character of a location, as users count them.
fn positions(analysis: &Analysis<'_>, location: Location) -> (Position, Position) {
    let source = source_of(analysis, location);
    (source.position(location.span.start), source.end_position(location.span))
}
