//! The JSON report: `--format json`. Its shape is documented in `docs/formats.md`; fields are
//! only ever added, and `schema_version` changes if one ever has to change meaning.

use std::io::{self, Write};

use serde::Serialize;

use super::{Summary, positions};
use crate::analysis::Analysis;
use crate::catalogue;
use crate::finding::{Finding, NotEvaluated, Severity};
use crate::provenance::Provenance;
use crate::source::Location;
use crate::suppression::{BaselineOutcome, Suppression, Unused};

const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    schema_version: u32,
    tool: Tool,
    provenance: &'a Provenance,
    inputs: Vec<Input<'a>>,
    findings: Vec<JsonFinding<'a>>,
    not_evaluated: &'a [NotEvaluated],
    suppressed: Vec<JsonSuppressed<'a>>,
    unused_suppressions: Vec<UnusedSuppression<'a>>,
    baseline: Option<BaselineOutcome>,
    summary: Summary,
}

#[derive(Serialize)]
struct JsonSuppressed<'a> {
    #[serde(flatten)]
    finding: JsonFinding<'a>,
    suppression: &'a Suppression,
}

#[derive(Serialize)]
struct UnusedSuppression<'a> {
    #[serde(flatten)]
    suppression: &'a Suppression,
    why: Unused,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Input<'a> {
    path: &'a str,
    encoding: &'static str,
    /// `ldif` or `csvde`.
    format: &'static str,
    /// `gzip` or `zip` when decompressed: lines and columns are then in the decompressed text.
    #[serde(skip_serializing_if = "Option::is_none")]
    compression: Option<&'static str>,
    bytes: u64,
    entries: usize,
    /// Malformed records: the reader's findings for this input, in short.
    errors: Vec<InputError<'a>>,
}

#[derive(Serialize)]
struct InputError<'a> {
    code: &'static str,
    line: usize,
    column: usize,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    code: &'static str,
    rule: &'static str,
    severity: Severity,
    title: &'static str,
    server: Option<&'a str>,
    dn: Option<&'a str>,
    #[serde(flatten)]
    at: Place<'a>,
    message: &'a str,
    help: Option<&'a str>,
    fingerprint: &'a str,
    evidence: Vec<JsonEvidence<'a>>,
}

#[derive(Serialize)]
struct JsonEvidence<'a> {
    dn: &'a str,
    attribute: Option<&'a str>,
    value: Option<&'a str>,
    #[serde(flatten)]
    at: Place<'a>,
    message: &'a str,
}

#[derive(Serialize)]
struct Place<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

fn place<'a>(analysis: &'a Analysis<'_>, location: Location) -> Place<'a> {
    let (start, end) = positions(analysis, location);
    Place {
        path: analysis.sources[location.source.0].name(),
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
    }
}

pub fn write(out: &mut dyn Write, analysis: &Analysis<'_>) -> io::Result<()> {
    let inputs = analysis
        .sources
        .iter()
        .zip(&analysis.inputs)
        .enumerate()
        .map(|(index, (source, input))| Input {
            path: source.name(),
            encoding: source.encoding().label(),
            format: source.format().label(),
            compression: source.compression().map(|compression| compression.label()),
            bytes: source.size(),
            entries: input.entries,
            errors: analysis
                .findings
                .iter()
                .filter(|finding| finding.location.source.0 == index && catalogue::is_reader_error(finding.code))
                .map(|finding| {
                    let start = source.position(finding.location.span.start);
                    InputError { code: finding.code, line: start.line, column: start.column, message: &finding.message }
                })
                .collect(),
        })
        .collect();
    let findings = analysis.findings.iter().map(|finding| json_finding(analysis, finding)).collect();
    let review = &analysis.review;
    let report = Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool { name: env!("CARGO_PKG_NAME"), version: env!("CARGO_PKG_VERSION") },
        provenance: &analysis.provenance,
        inputs,
        findings,
        not_evaluated: &analysis.not_evaluated,
        suppressed: review
            .suppressed
            .iter()
            .map(|suppressed| JsonSuppressed {
                finding: json_finding(analysis, &suppressed.finding),
                suppression: &review.suppressions[suppressed.suppression],
            })
            .collect(),
        unused_suppressions: review
            .unused
            .iter()
            .map(|&(index, why)| UnusedSuppression { suppression: &review.suppressions[index], why })
            .collect(),
        baseline: review.baseline,
        summary: Summary::of(&analysis.findings),
    };
    super::controls::write_json(&mut *out, &report)?;
    writeln!(out)
}

fn json_finding<'a>(analysis: &'a Analysis<'_>, finding: &'a Finding) -> JsonFinding<'a> {
    JsonFinding {
        code: finding.code,
        rule: finding.name,
        severity: finding.severity,
        title: finding.title,
        server: finding.server.as_deref(),
        dn: finding.dn.as_deref(),
        at: place(analysis, finding.location),
        message: &finding.message,
        help: finding.help.as_deref(),
        fingerprint: &finding.fingerprint,
        evidence: finding
            .evidence
            .iter()
            .map(|evidence| JsonEvidence {
                dn: &evidence.dn,
                attribute: evidence.attribute.as_deref(),
                value: evidence.value.as_deref(),
                at: place(analysis, evidence.location),
                message: &evidence.note,
            })
            .collect(),
    }
}
