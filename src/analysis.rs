//! One analysis, end to end: the inputs' bytes read into records, the records into the
//! directory index, the index into the Exchange topology, the topology checked by the rules.
//! Everything found along the way, malformed records included, becomes a [`Finding`].

use std::collections::HashMap;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::catalogue::{CSV_ROW_SEVERITY, DIRECTORY_SEVERITY, Declared};
use crate::csvde;
use crate::directory::{self, Builder, Directory, Note};
use crate::exchange::{Outline, Topology};
use crate::finding::{Finding, NotEvaluated, Severity};
use crate::fingerprint;
use crate::ldif::{self, ErrorKind, Record, Records};
use crate::provenance::{Invocation, Provenance};
use crate::rules::Options;
use crate::rules::{self, Context, RULES, Rule};
use crate::settings::{Selection, Settings};
use crate::source::{Format, Location, Source, SourceId, Span};
use crate::suppression::Review;

const PART_SIZE: usize = 8 << 20;

/// What one input held.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InputSummary {
    /// Records with a `dn:` line: entries and change records.
    pub entries: usize,
    /// Exporter blocks without `dn:` (search references, result trailers) that were skipped.
    pub exporter_blocks: usize,
}

/// The outcome of analysing some inputs.
pub struct Analysis<'s> {
    pub sources: &'s [Source],
    /// One per source, in the same order.
    pub inputs: Vec<InputSummary>,
    /// Reported findings, sorted by file, position and code, each with its fingerprint.
    pub findings: Vec<Finding>,
    pub not_evaluated: Vec<NotEvaluated>,
    /// What suppressions and the baseline set aside.
    pub review: Review,
    /// The topology, for the reports that draw it.
    pub outline: Outline,
    pub provenance: Provenance,
    pub statistics: Statistics,
    /// The codes this analysis reports and their severities, as the settings chose them.
    pub selection: Selection,
}

/// What `--statistics` shows besides counts of findings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Statistics {
    /// Entries of the index per most specific object class (the last `objectClass` value),
    /// most frequent first.
    pub classes: Vec<(String, usize)>,
    /// Wall time of each stage, in order.
    pub stages: Vec<(&'static str, Duration)>,
}

/// Why an analysis could not be made.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    UnknownGateway(#[from] UnknownGateway),
    /// An input could not be read again for its SHA-256.
    #[error("cannot read `{path}` again for its SHA-256: {error}")]
    Digest { path: String, error: std::io::Error },
}

/// A `--gateway` that names no server of the export.
#[derive(Debug, thiserror::Error)]
#[error("no server named {} in the export (servers found: {servers})", .unknown.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", "))]
pub struct UnknownGateway {
    pub unknown: Vec<String>,
    pub servers: String,
}

/// The inputs read into one directory index, with what reading them found.
pub struct Index<'s> {
    pub directory: Directory<'s>,
    /// One per source, in the same order.
    pub inputs: Vec<InputSummary>,
    /// Malformed records, damaged encodings, and the index's notes, unsorted.
    pub findings: Vec<Finding>,
}

/// Called with the number of bytes read each time a part of an input has been read, from the
/// threads that read them.
pub type Progress<'p> = &'p (dyn Fn(usize) + Sync);

/// Reads `sources` into one directory index: bytes to records to entries.
pub fn index<'s>(sources: &'s [Source], progress: Progress<'_>) -> Index<'s> {
    let mut findings = Vec::new();
    let mut inputs = Vec::with_capacity(sources.len());
    let mut builder = Builder::new();
    for (index, source) in sources.iter().enumerate() {
        let id = SourceId(index);
        findings.extend(source.encoding_problems().iter().map(|problem| {
            let location = Location { source: id, span: problem.span };
            reader_finding(
                ErrorKind::InvalidUtf16,
                ErrorKind::InvalidUtf16.severity(),
                location,
                problem.message.clone(),
            )
        }));
        let mut input = Input { id, builder: &mut builder, findings: &mut findings, summary: InputSummary::default() };
        match source.format() {
            Format::Ldif => read(source, &mut input, progress),
            Format::Csvde => read_csvde(source, &mut input, progress),
        }
        inputs.push(input.summary);
    }
    let directory = builder.finish();
    findings.extend(directory.notes().iter().map(note_finding));
    Index { directory, inputs, findings }
}

/// Reads, indexes and checks `sources` with the rules `settings` select; the report records
/// `invocation`.
pub fn analyze<'s>(sources: &'s [Source], settings: &Settings, invocation: &Invocation) -> Result<Analysis<'s>, Error> {
    analyze_with_progress(sources, settings, invocation, &|_| {})
}

/// [`analyze`], telling `progress` how reading goes.
pub fn analyze_with_progress<'s>(
    sources: &'s [Source],
    settings: &Settings,
    invocation: &Invocation,
    progress: Progress<'_>,
) -> Result<Analysis<'s>, Error> {
    let mut stages = Vec::new();
    let mut timed = |stage: &'static str, started: Instant| stages.push((stage, started.elapsed()));
    let started = Instant::now();
    // Hashing is sequential per file; it runs beside the parallel reading.
    let (provenance, Index { directory, inputs, mut findings }) =
        rayon::join(|| Provenance::collect(sources, invocation), || index(sources, progress));
    let provenance = provenance.map_err(|(path, error)| Error::Digest { path, error })?;
    timed("read and index", started);
    let started = Instant::now();
    let topology = Topology::build(&directory);
    check_gateways(&topology, &settings.options)?;
    let outline = Outline::of(&topology);
    timed("topology", started);
    let started = Instant::now();
    let selection = &settings.selection;
    let selected: Vec<&'static Rule> = RULES.iter().copied().filter(|rule| selection.includes(rule.code)).collect();
    let context = Context { topology: &topology, options: &settings.options };
    let (rule_findings, not_evaluated) = rules::run(&selected, &context);
    findings.extend(rule_findings);
    findings.retain(|finding| selection.includes(finding.code));
    for finding in &mut findings {
        finding.severity = selection.severity(finding.code, finding.severity);
    }
    Finding::sort(&mut findings);
    fingerprint::assign(&mut findings);
    let review =
        Review::apply(&mut findings, &settings.suppressions, settings.baseline.as_ref(), &provenance.generated);
    timed("rules", started);
    let statistics = Statistics { classes: class_counts(&directory), stages };
    let selection = selection.clone();
    Ok(Analysis { sources, inputs, findings, not_evaluated, review, outline, provenance, statistics, selection })
}

/// Entries per most specific object class, most frequent first, then by name.
fn class_counts(directory: &Directory<'_>) -> Vec<(String, usize)> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for entry in directory.entries() {
        let class = entry.values("objectClass").last().map(|value| value.text().trim().to_owned());
        *counts.entry(class.unwrap_or_else(|| "(no objectClass)".to_owned())).or_default() += 1;
    }
    let mut counts: Vec<(String, usize)> = counts.into_iter().collect();
    counts.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts
}

/// Parses a source in parallel parts, then adds the records in the index's scope to it, in
/// file order.
fn read<'s>(source: &'s Source, input: &mut Input<'s, '_>, progress: Progress<'_>) {
    let text = source.text();
    // Parts of a few MiB keep both cores busy to the end and let progress move smoothly.
    let parts = (rayon::current_num_threads() * 4).max(text.len() / PART_SIZE);
    let parts: Vec<_> = ldif::split(text, parts)
        .into_par_iter()
        .map(|range| {
            let length = range.len();
            let mut records = Records::new(text, range).keeping(directory::in_scope);
            let items: Vec<_> = records.by_ref().collect();
            progress(length);
            (items, records.tally())
        })
        .collect();
    let mut line_marks = Vec::with_capacity(parts.len());
    for (items, tally) in parts {
        input.summary.exporter_blocks += tally.exporter_blocks;
        input.summary.entries += tally.elided_records;
        line_marks.push(tally.line_marks);
        for item in items {
            match item {
                Ok(record) => input.record(record),
                Err(error) => input.error(error.kind, error.kind.severity(), error.span, error.message, error.hint),
            }
        }
    }
    source.set_line_marks(line_marks);
}

/// Reads a csvde export in one pass (its rows are short and few: a configuration partition),
/// adding the records in the index's scope to it.
fn read_csvde<'s>(source: &'s Source, input: &mut Input<'s, '_>, progress: Progress<'_>) {
    for item in csvde::records(source.text()) {
        match item {
            Ok(record) if directory::in_scope(&record.dn.text) => input.record(record),
            Ok(_) => input.summary.entries += 1,
            Err(error) => {
                let hint = error.hint();
                input.error(error.kind, CSV_ROW_SEVERITY, error.span, error.message, hint);
            }
        }
    }
    progress(source.text().len());
}

/// Where the records and errors of one input go.
struct Input<'s, 'a> {
    id: SourceId,
    builder: &'a mut Builder<'s>,
    findings: &'a mut Vec<Finding>,
    summary: InputSummary,
}

impl<'s> Input<'s, '_> {
    fn record(&mut self, record: Record<'s>) {
        self.summary.entries += 1;
        self.builder.add(self.id, record);
    }

    fn error(&mut self, kind: impl Declared, severity: Severity, span: Span, message: String, hint: impl Into<String>) {
        let location = Location { source: self.id, span };
        self.findings.push(reader_finding(kind, severity, location, message).help(hint));
    }
}

fn reader_finding(kind: impl Declared, severity: Severity, location: Location, message: String) -> Finding {
    Finding::new(kind.code(), kind.name(), kind.title(), severity, location, message)
}

fn note_finding(note: &Note) -> Finding {
    let kind = note.kind;
    let finding =
        Finding::new(kind.code(), kind.name(), kind.title(), DIRECTORY_SEVERITY, note.location, note.message.clone())
            .dn(note.dn.clone());
    match &note.related {
        Some(first) => finding.evidence(first.clone()),
        None => finding,
    }
}

fn check_gateways(topology: &Topology<'_>, options: &Options) -> Result<(), UnknownGateway> {
    let unknown: Vec<String> =
        options.gateways.iter().filter(|gateway| topology.server_named(gateway).is_none()).cloned().collect();
    if unknown.is_empty() {
        return Ok(());
    }
    Err(UnknownGateway { unknown, servers: topology.server_names() })
}
