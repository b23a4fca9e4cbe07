//! Reports: one module per format, each a `write` function over the same [`Analysis`].

pub(crate) mod controls;
pub mod dot;
mod graph;
pub mod html;
pub mod human;
pub mod json;
pub mod markdown;
pub mod mermaid;
pub mod sarif;
pub mod statistics;

use serde::Serialize;

use crate::analysis::Analysis;
use crate::finding::{Finding, NotEvaluated, Severity};
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

/// Rules that could not look, grouped by reason (many share one: no virtual servers, no
/// `Message Delivery`), in the order of their first code.
fn not_evaluated_by_reason(not_evaluated: &[NotEvaluated]) -> Vec<(&str, Vec<&'static str>)> {
    let mut groups: Vec<(&str, Vec<&'static str>)> = Vec::new();
    for rule in not_evaluated {
        match groups.iter_mut().find(|(reason, _)| *reason == rule.reason) {
            Some((_, codes)) => codes.push(rule.code),
            None => groups.push((&rule.reason, vec![rule.code])),
        }
    }
    groups
}

/// The provenance in a few lines of text: exlint, the catalogue, the time and the command line,
/// then each input with its size, encoding and SHA-256, and for a decompressed input that its
/// positions are in the decompressed text.
fn provenance_lines(analysis: &Analysis<'_>) -> Vec<String> {
    let provenance = &analysis.provenance;
    let mut first = format!(
        "{} {}, catalogue {}, {}",
        provenance.tool, provenance.version, provenance.catalogue_version, provenance.generated
    );
    if !provenance.command_line.is_empty() {
        first.push_str(&format!(": {}", provenance.command()));
    }
    std::iter::once(first)
        .chain(provenance.inputs.iter().map(|input| {
            let positions = match input.compression {
                Some(_) => "; lines and columns are in the decompressed text",
                None => "",
            };
            format!(
                "{}: {} bytes, {}, sha256 {}{positions}",
                input.path,
                input.bytes,
                input.encoding_label(),
                input.sha256
            )
        }))
        .collect()
}

/// The inputs that were decompressed, whose lines and columns are those of the decompressed
/// text: the formats that show the inputs as a table say so below it.
fn decompressed_inputs<'a>(analysis: &'a Analysis<'_>) -> Vec<&'a str> {
    let inputs = analysis.provenance.inputs.iter();
    inputs.filter(|input| input.compression.is_some()).map(|input| input.path.as_str()).collect()
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

/// Lines of an export that a finding is about, for reports that quote them.
#[derive(Clone, Debug)]
struct Excerpt<'s> {
    source: &'s Source,
    first_line: usize,
    last_line: usize,
    /// The lines, with `\n` line ends whatever the file uses.
    text: String,
}

/// The lines a finding and its evidence point at, file by file in report order, lines that
/// touch or overlap merged into one excerpt.
fn excerpts<'s>(analysis: &Analysis<'s>, finding: &Finding) -> Vec<Excerpt<'s>> {
    let mut locations: Vec<Location> =
        std::iter::once(finding.location).chain(finding.evidence.iter().map(|evidence| evidence.location)).collect();
    locations.sort_unstable();
    let mut merged: Vec<(Location, usize, usize)> = Vec::new();
    for location in locations {
        let (start, end) = positions(analysis, location);
        match merged.last_mut() {
            Some((last, _, last_line)) if last.source == location.source && start.line <= *last_line + 1 => {
                last.span = last.span.cover(location.span);
                *last_line = (*last_line).max(end.line);
            }
            _ => merged.push((location, start.line, end.line)),
        }
    }
    merged
        .into_iter()
        .map(|(location, first_line, last_line)| {
            let source = source_of(analysis, location);
            let text = String::from_utf8_lossy(source.lines_of(location.span)).replace("\r\n", "\n");
            Excerpt { source, first_line, last_line, text }
        })
        .collect()
}
