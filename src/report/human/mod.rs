//! The human report: each finding rendered by miette, pointing at the lines of the export,
//! then a summary.
//!
//! Findings are plain data; this module wraps each in a view that implements
//! `miette::Diagnostic` by hand. Labels in another file than the finding's are rendered as
//! related diagnostics of their own, since a snippet shows one file.
//!
//! Everything from the export is shown with its control characters escaped
//! (`report::controls`): the message, help, labels and file names, and the quoted lines, which
//! miette reads from an excerpt of them (`excerpt.rs`) rather than from the source.

mod excerpt;

use std::fmt;
use std::io::{self, Write};

use excerpt::{CONTEXT_LINES, Excerpt};
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

use super::controls::escape_controls;
use super::{Summary, plural, positions, provenance_lines, source_of};
use crate::analysis::Analysis;
use crate::finding::{Evidence, Finding, Severity};
use crate::source::{Format, Location, Source};

/// How to render: colours for a terminal, none for files and pipes (and `NO_COLOR`).
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub color: bool,
    /// Columns to wrap text at.
    pub width: usize,
}

pub fn write(out: &mut dyn Write, analysis: &Analysis<'_>, style: Style) -> io::Result<()> {
    let theme = if style.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .with_context_lines(CONTEXT_LINES);
    // A csvde row is a whole object, and the rows around it other objects: no context.
    let row_handler = handler.clone().with_context_lines(0);
    for finding in &analysis.findings {
        let mut text = String::new();
        let handler = match source_of(analysis, finding.location).format() {
            Format::Ldif => &handler,
            Format::Csvde => &row_handler,
        };
        handler.render_report(&mut text, &View::of(analysis, finding)).map_err(io::Error::other)?;
        out.write_all(text.as_bytes())?;
        writeln!(out, "  fingerprint {}\n", finding.fingerprint)?;
    }
    write_summary(out, analysis)?;
    write_review(out, analysis)?;
    write_provenance(out, analysis)
}

fn write_summary(out: &mut dyn Write, analysis: &Analysis<'_>) -> io::Result<()> {
    let summary = Summary::of(&analysis.findings);
    let entries: usize = analysis.inputs.iter().map(|input| input.entries).sum();
    let files = analysis.sources.len();
    writeln!(
        out,
        "{} finding{} ({} error, {} warning, {} non-default, {} info) in {files} file{}, {entries} entr{}",
        summary.total(),
        plural(summary.total(), "", "s"),
        summary.error,
        summary.warning,
        summary.non_default,
        summary.info,
        plural(files, "", "s"),
        plural(entries, "y", "ies"),
    )?;
    for (reason, codes) in super::not_evaluated_by_reason(&analysis.not_evaluated) {
        writeln!(out, "not evaluated: {}: {}", codes.join(", "), escape_controls(reason))?;
    }
    if !analysis.findings.is_empty() {
        writeln!(out, "run `exlint explain CODE` for what a finding means and how to fix it")?;
    }
    Ok(())
}

/// What suppressions and the baseline set aside, so that nothing leaves the report unseen.
fn write_review(out: &mut dyn Write, analysis: &Analysis<'_>) -> io::Result<()> {
    let review = &analysis.review;
    for suppressed in &review.suppressed {
        let finding = &suppressed.finding;
        let suppression = &review.suppressions[suppressed.suppression];
        let (position, _) = positions(analysis, finding.location);
        writeln!(
            out,
            "suppressed: {} at {}:{position}: {} ({}: {})",
            finding.code,
            escape_controls(source_of(analysis, finding.location).name()),
            escape_controls(&finding.message),
            escape_controls(&suppression.origin),
            escape_controls(&suppression.reason)
        )?;
    }
    for &(index, why) in &review.unused {
        let suppression = &review.suppressions[index];
        writeln!(
            out,
            "{} suppression at {}: {}",
            why.label(),
            escape_controls(&suppression.origin),
            escape_controls(&suppression.describe())
        )?;
    }
    if let Some(baseline) = review.baseline {
        writeln!(
            out,
            "baseline: {} known finding{} not shown, {} fixed since",
            baseline.known,
            plural(baseline.known, "", "s"),
            baseline.fixed
        )?;
    }
    Ok(())
}

fn write_provenance(out: &mut dyn Write, analysis: &Analysis<'_>) -> io::Result<()> {
    provenance_lines(analysis).iter().try_for_each(|line| writeln!(out, "{}", escape_controls(line)))
}

/// A finding as miette sees it: its evidence in the finding's file as labels, and the
/// evidence in other files as related views.
struct View<'a> {
    finding: &'a Finding,
    /// Set for the view of the finding itself; related views only carry evidence.
    headline: bool,
    source: &'a Source,
    excerpt: Excerpt<'a>,
    labels: Vec<LabeledSpan>,
    related: Vec<View<'a>>,
}

impl<'a> View<'a> {
    fn of(analysis: &Analysis<'a>, finding: &'a Finding) -> View<'a> {
        let home = finding.location.source;
        let (here, elsewhere): (Vec<&Evidence>, Vec<&Evidence>) =
            finding.evidence.iter().partition(|evidence| evidence.location.source == home);
        // The primary span gets its own underline unless labels already mark lines inside it.
        let covered = here.iter().any(|evidence| finding.location.contains(evidence.location));
        let mut marks: Vec<(Location, Option<&str>)> =
            here.iter().map(|evidence| (evidence.location, Some(evidence.note.as_str()))).collect();
        if !covered {
            marks.insert(0, (finding.location, None));
        }
        let primary = (!covered).then_some(0);
        let mut sources: Vec<_> = elsewhere.iter().map(|evidence| evidence.location.source).collect();
        sources.dedup();
        let related = sources
            .into_iter()
            .map(|source| {
                let marks = elsewhere
                    .iter()
                    .filter(|evidence| evidence.location.source == source)
                    .map(|evidence| (evidence.location, Some(evidence.note.as_str())))
                    .collect();
                View::showing(finding, false, &analysis.sources[source.0], marks, None, Vec::new())
            })
            .collect();
        View::showing(finding, true, source_of(analysis, finding.location), marks, primary, related)
    }

    /// A view whose labels mark `marks` (the one at `primary` as the primary label) in an
    /// excerpt of `source`.
    fn showing(
        finding: &'a Finding,
        headline: bool,
        source: &'a Source,
        marks: Vec<(Location, Option<&str>)>,
        primary: Option<usize>,
        related: Vec<View<'a>>,
    ) -> View<'a> {
        let spans: Vec<_> = marks.iter().map(|(location, _)| location.span).collect();
        let excerpt = Excerpt::new(source, &spans);
        let labels = marks
            .iter()
            .enumerate()
            .map(|(index, (location, text))| {
                let text = text.map(|text| escape_controls(text).into_owned());
                let span = excerpt.span(location.span);
                match primary == Some(index) {
                    true => LabeledSpan::new_primary_with_span(text, span),
                    false => LabeledSpan::new_with_span(text, span),
                }
            })
            .collect();
        View { finding, headline, source, excerpt, labels, related }
    }
}

impl fmt::Display for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.headline {
            write!(f, "{}: {}", self.finding.title, escape_controls(&self.finding.message))
        } else {
            write!(f, "see also {}", escape_controls(self.source.name()))
        }
    }
}

impl fmt::Debug for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("View").field("code", &self.finding.code).finish_non_exhaustive()
    }
}

impl std::error::Error for View<'_> {}

impl Diagnostic for View<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.headline
            .then(|| Box::new(format!("{} ({})", self.finding.code, self.finding.severity)) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::NonDefault | Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let help = self.finding.help.as_deref().filter(|_| self.headline)?;
        Some(Box::new(escape_controls(help)))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.excerpt)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|view| view as &dyn Diagnostic)))
    }
}
