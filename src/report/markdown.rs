//! The Markdown report: `--format markdown`, to paste into a ticket. Provenance first, then a
//! summary by severity, the findings grouped by server with the lines of the export they are
//! about, the rules that could not look, and what suppressions and the baseline set aside.
//!
//! Text from the export is escaped so that it stays text: control characters are shown as
//! escapes (`report::controls`), outside code spans Markdown's punctuation is
//! backslash-escaped, code spans and blocks get a fence longer than any run of backticks they
//! hold (so no value can close them), and table cells escape `|`.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::controls::{escape_controls, escape_controls_in_lines};
use super::{Summary, excerpts, not_evaluated_by_reason, plural, positions, source_of};
use crate::analysis::Analysis;
use crate::finding::{Finding, Severity};

pub fn write(out: &mut dyn Write, analysis: &Analysis<'_>) -> io::Result<()> {
    write_provenance(out, analysis)?;
    write_summary(out, analysis)?;
    write_findings(out, analysis)?;
    write_not_evaluated(out, analysis)?;
    write_review(out, analysis)
}

fn write_provenance(out: &mut dyn Write, analysis: &Analysis<'_>) -> io::Result<()> {
    let provenance = &analysis.provenance;
    writeln!(out, "# exlint report\n")?;
    writeln!(out, "| Input | Bytes | Encoding | Entries | SHA-256 |\n|---|---:|---|---:|---|")?;
    for (input, summary) in provenance.inputs.iter().zip(&analysis.inputs) {
        writeln!(
            out,
            "| {} | {} | {} | {} | `{}` |",
            cell(&code_span(&input.path)),
            input.bytes,
            input.encoding_label(),
            summary.entries,
            input.sha256
        )?;
    }
    let decompressed = super::decompressed_inputs(analysis);
    if !decompressed.is_empty() {
        let names: Vec<String> = decompressed.iter().map(|name| code_span(name)).collect();
        write!(out, "\nLines and columns of {} are those of the decompressed text.\n", names.join(", "))?;
    }
    write!(
        out,
        "\nMade by {} {} (rule catalogue {}) at {}",
        provenance.tool, provenance.version, provenance.catalogue_version, provenance.generated
    )?;
    if !provenance.command_line.is_empty() {
        write!(out, " with {}", code_span(&provenance.command()))?;
    }
    writeln!(out, ".\n")
}

fn write_summary(out: &mut dyn Write, analysis: &Analysis<'_>) -> io::Result<()> {
    let summary = Summary::of(&analysis.findings);
    writeln!(out, "## Summary\n\n| Severity | Findings |\n|---|---:|")?;
    for (severity, count) in [
        (Severity::Error, summary.error),
        (Severity::Warning, summary.warning),
        (Severity::NonDefault, summary.non_default),
        (Severity::Info, summary.info),
    ] {
        writeln!(out, "| {severity} | {count} |")?;
    }
    writeln!(out, "| **total** | **{}** |", summary.total())?;
    let review = &analysis.review;
    write!(out, "\n{} suppressed", review.suppressed.len())?;
    if let Some(baseline) = review.baseline {
        write!(out, "; {} known from the baseline, not shown; {} fixed since", baseline.known, baseline.fixed)?;
    }
    writeln!(
        out,
        "; {} rule{} not evaluated.\n",
        analysis.not_evaluated.len(),
        plural(analysis.not_evaluated.len(), "", "s")
    )
}

/// Findings by server, servers by name, then those about no one server.
fn write_findings(out: &mut dyn Write, analysis: &Analysis<'_>) -> io::Result<()> {
    writeln!(out, "## Findings\n")?;
    if analysis.findings.is_empty() {
        return writeln!(out, "No findings.\n");
    }
    let mut by_server: BTreeMap<(bool, String), Vec<&Finding>> = BTreeMap::new();
    for finding in &analysis.findings {
        let key = match &finding.server {
            Some(server) => (false, server.to_lowercase()),
            None => (true, String::new()),
        };
        by_server.entry(key).or_default().push(finding);
    }
    for ((_, _), findings) in by_server {
        match &findings[0].server {
            Some(server) => writeln!(out, "### Server {}\n", code_span(server))?,
            None => writeln!(out, "### Not about one server\n")?,
        }
        for finding in findings {
            write_finding(out, analysis, finding)?;
        }
    }
    Ok(())
}

fn write_finding(out: &mut dyn Write, analysis: &Analysis<'_>, finding: &Finding) -> io::Result<()> {
    writeln!(out, "#### {} ({}): {}\n", finding.code, finding.severity, inline(finding.title))?;
    writeln!(out, "{}\n", inline(&finding.message))?;
    let (start, _) = positions(analysis, finding.location);
    let source = source_of(analysis, finding.location);
    if let Some(dn) = &finding.dn {
        writeln!(out, "- Object: {}", code_span(dn))?;
    }
    writeln!(out, "- At: {}", code_span(&format!("{}:{start}", source.name())))?;
    for evidence in &finding.evidence {
        let (line, _) = positions(analysis, evidence.location);
        let at = format!("{}:{}", source_of(analysis, evidence.location).name(), line.line);
        writeln!(out, "- {}: {}", code_span(&at), inline(&evidence.note))?;
    }
    if let Some(help) = &finding.help {
        writeln!(out, "- Fix: {}", inline(help))?;
    }
    writeln!(out, "- Fingerprint: `{}`\n", finding.fingerprint)?;
    for excerpt in excerpts(analysis, finding) {
        let range = match excerpt.first_line == excerpt.last_line {
            true => format!("line {}", excerpt.first_line),
            false => format!("lines {}-{}", excerpt.first_line, excerpt.last_line),
        };
        let name = escape_controls(excerpt.source.name());
        let text = escape_controls_in_lines(&excerpt.text);
        let fence = fence(&format!("{name}\n{text}"));
        writeln!(out, "{fence}ldif\n# {name}, {range}\n{text}\n{fence}\n")?;
    }
    Ok(())
}

fn write_not_evaluated(out: &mut dyn Write, analysis: &Analysis<'_>) -> io::Result<()> {
    if analysis.not_evaluated.is_empty() {
        return Ok(());
    }
    writeln!(out, "## Not evaluated\n\n| Rules | Why |\n|---|---|")?;
    for (reason, codes) in not_evaluated_by_reason(&analysis.not_evaluated) {
        writeln!(out, "| {} | {} |", codes.join(", "), cell(&inline(reason)))?;
    }
    writeln!(out)
}

fn write_review(out: &mut dyn Write, analysis: &Analysis<'_>) -> io::Result<()> {
    let review = &analysis.review;
    if !review.suppressed.is_empty() {
        writeln!(
            out,
            "## Suppressed\n\n| Finding | At | Fingerprint | Reason | Expires | Suppressed by |\n|---|---|---|---|---|---|"
        )?;
        for suppressed in &review.suppressed {
            let finding = &suppressed.finding;
            let suppression = &review.suppressions[suppressed.suppression];
            let (start, _) = positions(analysis, finding.location);
            let at = format!("{}:{start}", source_of(analysis, finding.location).name());
            writeln!(
                out,
                "| {} ({}): {} | {} | `{}` | {} | {} | {} |",
                finding.code,
                finding.severity,
                cell(&inline(&finding.message)),
                cell(&code_span(&at)),
                finding.fingerprint,
                cell(&inline(&suppression.reason)),
                cell(&inline(suppression.expires.as_deref().unwrap_or("never"))),
                cell(&code_span(&suppression.origin))
            )?;
        }
        writeln!(out)?;
    }
    if !review.unused.is_empty() {
        writeln!(out, "## Stale suppressions\n")?;
        for &(index, why) in &review.unused {
            let suppression = &review.suppressions[index];
            let what = match why {
                crate::suppression::Unused::NoMatch => "matches no finding",
                crate::suppression::Unused::Expired => "has expired: what it named is reported again",
            };
            writeln!(out, "- {} ({}): {}", inline(&suppression.describe()), code_span(&suppression.origin), what)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Text for Markdown: its backticked values as code spans, Markdown punctuation elsewhere
/// escaped so that names from the export never turn into links, emphasis or HTML; an unpaired
/// backtick stays a backtick. Two values with nothing between (`` `a``b` ``, where a value held
/// backticks) are one span, since two spans cannot touch.
fn inline(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    let mut escaped = String::with_capacity(text.len());
    let mut code: Option<String> = None;
    for (index, part) in parts.iter().enumerate() {
        let closed = index + 1 < parts.len();
        if index % 2 == 1 && closed {
            match code.as_mut() {
                Some(code) => code.extend(["``", part]),
                None => code = Some((*part).to_owned()),
            }
            continue;
        }
        let between_values = part.is_empty() && index + 2 < parts.len();
        if index % 2 == 0 && between_values && code.is_some() {
            continue;
        }
        if let Some(code) = code.take() {
            escaped.push_str(&code_span(&code));
        }
        if index % 2 == 1 {
            escaped.push_str("\\`");
        }
        for c in escape_controls(part).chars() {
            if matches!(c, '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '!' | '~' | '&') {
                escaped.push('\\');
            }
            escaped.push(c);
        }
    }
    if let Some(code) = code {
        escaped.push_str(&code_span(&code));
    }
    escaped
}

/// A code span that holds `text` whatever it contains: delimited by more backticks than its
/// longest run, padded with a space at each end when it starts or ends with a backtick or a
/// space (CommonMark strips one space from each end of a span that has both), control
/// characters escaped.
fn code_span(text: &str) -> String {
    let text = escape_controls(text);
    let ticks = "`".repeat(longest_run(&text, '`') + 1);
    let pad = if text.starts_with(['`', ' ']) || text.ends_with(['`', ' ']) { " " } else { "" };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

/// A table cell: `|` escaped, even in code spans, as GitHub's tables require.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// A code fence longer than any run of backticks in `text`.
fn fence(text: &str) -> String {
    "`".repeat((longest_run(text, '`') + 1).max(3))
}

fn longest_run(text: &str, c: char) -> usize {
    text.split(|other| other != c).map(str::len).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_the_export_stays_text() {
        assert_eq!(inline("server `EX_01` has *two* [bindings]"), r"server `EX_01` has \*two\* \[bindings\]");
        assert_eq!(inline("<script>"), r"\<script\>");
        assert_eq!(inline("name `a`**b**` is odd"), r"name `a`\*\*b\*\*\` is odd");
        assert_eq!(inline("an `open value"), r"an \`open value");
        assert_eq!(inline("host `x``**y**` set"), r"host ```x``**y**``` set");
        assert_eq!(inline("`a` `b`"), "`a` `b`");
        assert_eq!(inline("`\x1b[31mred`"), r"`\x1b[31mred`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x"), "`` `x ``");
        assert_eq!(code_span(" x"), "`  x `");
        assert_eq!(code_span("bell\x07"), r"`bell\x07`");
        assert_eq!(cell("`a|b` | c"), r"`a\|b` \| c");
        assert_eq!(fence("no ticks"), "```");
        assert_eq!(fence("a ```` b"), "`````");
    }
}
