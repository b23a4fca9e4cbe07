//! The topology as a Mermaid flowchart: `--format mermaid`, for Markdown viewers that draw
//! Mermaid (GitHub, GitLab, many wikis) and `mmdc`. Groups are subgraphs; severities are
//! classes.

use std::io::{self, Write};

use super::controls::escape_controls;
use super::graph::{Edge, Shape, Syntax, colours, draw};
use crate::analysis::Analysis;
use crate::finding::Severity;

pub fn write(out: &mut dyn Write, analysis: &Analysis<'_>) -> io::Result<()> {
    draw(out, analysis, &mut Mermaid::default())
}

/// Remembers which objects and groups to colour, since Mermaid styles them after they are
/// declared.
#[derive(Default)]
struct Mermaid {
    marked: Vec<(usize, Severity, bool)>,
}

impl Syntax for Mermaid {
    fn start(&mut self, out: &mut dyn Write, provenance: &[String]) -> io::Result<()> {
        for line in provenance {
            writeln!(out, "%% {}", comment(line))?;
        }
        writeln!(out, "flowchart LR")
    }

    fn open_group(&mut self, out: &mut dyn Write, id: usize, shape: &Shape<'_>, depth: usize) -> io::Result<()> {
        if let Some(severity) = shape.severity {
            self.marked.push((id, severity, true));
        }
        writeln!(out, "{}subgraph n{id}[\"{}\"]", "  ".repeat(depth + 1), label(&shape.lines))
    }

    fn close_group(&mut self, out: &mut dyn Write, _id: usize, depth: usize) -> io::Result<()> {
        writeln!(out, "{}end", "  ".repeat(depth + 1))
    }

    fn object(&mut self, out: &mut dyn Write, id: usize, shape: &Shape<'_>, depth: usize) -> io::Result<()> {
        if let Some(severity) = shape.severity {
            self.marked.push((id, severity, false));
        }
        let indent = "  ".repeat(depth + 1);
        writeln!(out, "{indent}n{id}[\"{}\"]", label(&shape.lines))?;
        shape.findings.iter().try_for_each(|finding| writeln!(out, "{indent}%% n{id}: {}", comment(finding)))
    }

    fn edge(&mut self, out: &mut dyn Write, edge: &Edge) -> io::Result<()> {
        let (from, to) = (edge.from, edge.to);
        match edge.link {
            None => writeln!(out, "  n{from} --- n{to}"),
            Some(link) => writeln!(out, "  n{from} -. {} .-> n{to}", link.label()),
        }
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        for severity in Severity::ALL {
            let (fill, border) = colours(severity);
            writeln!(out, "  classDef {} fill:{fill},stroke:{border},stroke-width:2px", class(severity))?;
        }
        for &(id, severity, group) in &self.marked {
            let (fill, border) = colours(severity);
            match group {
                // Classes do not reach subgraphs in every Mermaid version; styles do.
                true => writeln!(out, "  style n{id} fill:{fill},stroke:{border},stroke-width:2px")?,
                false => writeln!(out, "  class n{id} {}", class(severity))?,
            }
        }
        Ok(())
    }
}

fn class(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::NonDefault => "nondefault",
        Severity::Info => "info",
    }
}

/// Lines for a quoted Mermaid label: control characters shown as escapes, Mermaid's entity
/// codes for the characters that would end the label or be read as markup, `<br>` between
/// lines.
fn label(lines: &[String]) -> String {
    let escape = |line: &String| {
        escape_controls(line)
            .chars()
            .map(|c| match c {
                '#' => "#35;".to_owned(),
                '"' => "#quot;".to_owned(),
                '<' => "#lt;".to_owned(),
                '>' => "#gt;".to_owned(),
                '`' => "#96;".to_owned(),
                c => c.to_string(),
            })
            .collect::<String>()
    };
    lines.iter().map(escape).collect::<Vec<_>>().join("<br>")
}

/// A line for a `%%` comment, which ends at the line's end: control characters, line ends
/// included, shown as escapes.
fn comment(line: &str) -> String {
    escape_controls(line).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_escape_what_mermaid_reads() {
        let lines = ["server \"EX#1\"".to_owned(), "binding <:25:>\x1b[2J".to_owned()];
        assert_eq!(label(&lines), r"server #quot;EX#35;1#quot;<br>binding #lt;:25:#gt;\x1b[2J");
        assert_eq!(comment("a\nb"), r"a\x0ab");
    }
}
