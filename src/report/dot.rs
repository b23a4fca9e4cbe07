//! The topology as a Graphviz graph: `--format dot`, for `dot -Tsvg`. Groups are clusters;
//! a routing group that a connector leads to gets an invisible anchor, since Graphviz draws
//! edges between nodes and clips them at a cluster's border (`compound`, `lhead`). The
//! provenance is the graph's caption; each object's findings are its tooltip.

use std::io::{self, Write};

use super::controls::escape_controls;
use super::graph::{Edge, Shape, Syntax, colours, draw};
use crate::analysis::Analysis;
use crate::exchange::NodeKind;

pub fn write(out: &mut dyn Write, analysis: &Analysis<'_>) -> io::Result<()> {
    draw(out, analysis, &mut Dot::default())
}

/// Keeps the provenance, written last as the graph's caption.
#[derive(Default)]
struct Dot {
    provenance: String,
}

impl Syntax for Dot {
    fn start(&mut self, out: &mut dyn Write, provenance: &[String]) -> io::Result<()> {
        writeln!(out, "digraph exlint {{")?;
        writeln!(out, "  graph [rankdir=LR, compound=true, fontname=\"Helvetica\", fontsize=11];")?;
        self.provenance = quote(provenance);
        writeln!(
            out,
            "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"Helvetica\", fontsize=10];"
        )?;
        writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=9];")
    }

    fn open_group(&mut self, out: &mut dyn Write, id: usize, shape: &Shape<'_>, depth: usize) -> io::Result<()> {
        let indent = "  ".repeat(depth + 1);
        writeln!(out, "{indent}subgraph cluster_{id} {{")?;
        writeln!(out, "{indent}  label={};", quote(&shape.lines))?;
        let (fill, border) = shape.severity.map_or(("#fafafa", "#999999"), colours);
        let style = if shape.node.exported { "filled" } else { "filled,dashed" };
        writeln!(out, "{indent}  style=\"{style}\"; fillcolor=\"{fill}\"; color=\"{border}\";")?;
        if shape.node.kind == NodeKind::RoutingGroup {
            writeln!(out, "{indent}  n{id} [shape=point, style=invis, width=0.01, label=\"\"];")?;
        }
        Ok(())
    }

    fn close_group(&mut self, out: &mut dyn Write, _id: usize, depth: usize) -> io::Result<()> {
        writeln!(out, "{}}}", "  ".repeat(depth + 1))
    }

    fn object(&mut self, out: &mut dyn Write, id: usize, shape: &Shape<'_>, depth: usize) -> io::Result<()> {
        let (fill, border) = shape.severity.map_or(("#ffffff", "#333333"), colours);
        let style = if shape.node.exported { "rounded,filled" } else { "rounded,filled,dashed" };
        let penwidth = if shape.severity.is_some() { 2 } else { 1 };
        let tooltip = match shape.findings.is_empty() {
            true => String::new(),
            false => format!(", tooltip={}", quote(&shape.findings)),
        };
        writeln!(
            out,
            "{}n{id} [label={}, style=\"{style}\", fillcolor=\"{fill}\", color=\"{border}\", penwidth={penwidth}{tooltip}];",
            "  ".repeat(depth + 1),
            quote(&shape.lines)
        )
    }

    fn edge(&mut self, out: &mut dyn Write, edge: &Edge) -> io::Result<()> {
        let (from, to) = (edge.from, edge.to);
        match edge.link {
            None => writeln!(out, "  n{from} -> n{to} [arrowhead=none];"),
            Some(link) => {
                let head = if edge.to_group { format!(", lhead=cluster_{to}") } else { String::new() };
                writeln!(out, "  n{from} -> n{to} [style=dashed, label=\"{}\"{head}];", link.label())
            }
        }
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        // Last, so that the groups above do not inherit the caption's place and size.
        writeln!(out, "  graph [labelloc=b, labeljust=l, fontsize=9, label={}];", self.provenance)?;
        writeln!(out, "}}")
    }
}

/// A DOT string of left-aligned lines: control characters shown as escapes, quotes and
/// backslashes escaped, each line ended by `\l`.
fn quote(lines: &[String]) -> String {
    let mut quoted = String::from("\"");
    for line in lines {
        quoted.push_str(&escape_controls(line).replace('\\', "\\\\").replace('"', "\\\""));
        quoted.push_str("\\l");
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_quoted() {
        let lines = ["server EX\"01".to_owned(), r"queue C:\Queue".to_owned(), "EX\x1b]0;t\x07\n".to_owned()];
        assert_eq!(quote(&lines), r#""server EX\"01\lqueue C:\\Queue\lEX\\x1b]0;t\\x07\\x0a\l""#);
    }
}
