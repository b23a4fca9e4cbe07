//! `--statistics`: how much was read and found, and how long it took, as a few plain tables on
//! standard error, so that the report on standard output stays what its format says.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::time::Duration;

use super::controls::escape_controls;
use super::{Summary, plural};
use crate::analysis::Analysis;
use crate::finding::Severity;

/// Writes the statistics of `analysis`, which took `elapsed` from start to report.
pub fn write(out: &mut dyn Write, analysis: &Analysis<'_>, elapsed: Duration) -> io::Result<()> {
    let bytes: u64 = analysis.sources.iter().map(|source| source.size()).sum();
    let entries: usize = analysis.inputs.iter().map(|input| input.entries).sum();
    let files = analysis.sources.len();
    let seconds = elapsed.as_secs_f64();
    writeln!(
        out,
        "read: {files} file{}, {bytes} bytes, {entries} entr{}",
        plural(files, "", "s"),
        plural(entries, "y", "ies")
    )?;
    let stages: Vec<String> =
        analysis.statistics.stages.iter().map(|(stage, time)| format!("{stage} {:.3} s", time.as_secs_f64())).collect();
    writeln!(
        out,
        "time: {seconds:.3} s in all ({}), {:.1} MB/s",
        stages.join(", "),
        bytes as f64 / 1e6 / seconds.max(1e-9)
    )?;
    let summary = Summary::of(&analysis.findings);
    writeln!(
        out,
        "findings: {} ({} error, {} warning, {} non-default, {} info), {} suppressed",
        summary.total(),
        summary.error,
        summary.warning,
        summary.non_default,
        summary.info,
        analysis.review.suppressed.len()
    )?;
    let mut per_rule: BTreeMap<&str, (Severity, usize, usize)> = BTreeMap::new();
    for finding in &analysis.findings {
        per_rule.entry(finding.code).or_insert((finding.severity, 0, 0)).1 += 1;
    }
    for suppressed in &analysis.review.suppressed {
        let finding = &suppressed.finding;
        per_rule.entry(finding.code).or_insert((finding.severity, 0, 0)).2 += 1;
    }
    if !per_rule.is_empty() {
        writeln!(out, "\n{:<8} {:<11} {:>8} {:>10}", "CODE", "SEVERITY", "FINDINGS", "SUPPRESSED")?;
        for (code, (severity, reported, suppressed)) in per_rule {
            writeln!(out, "{code:<8} {:<11} {reported:>8} {suppressed:>10}", severity.label())?;
        }
    }
    // Class names come from the export: shown with their control characters escaped.
    let classes: Vec<_> =
        analysis.statistics.classes.iter().map(|(class, count)| (escape_controls(class), count)).collect();
    if !classes.is_empty() {
        let width = classes.iter().map(|(class, _)| class.len()).max().unwrap_or(0).max("OBJECT CLASS".len());
        writeln!(out, "\n{:<width$} {:>8}", "OBJECT CLASS", "ENTRIES")?;
        for (class, count) in &classes {
            writeln!(out, "{class:<width$} {count:>8}")?;
        }
    }
    Ok(())
}
