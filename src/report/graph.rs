//! What the topology graphs draw, whatever their syntax: the organization, its administrative
//! and routing groups as nested boxes, servers with their virtual servers and receive
//! connectors, connectors with their address spaces and costs, and the links routing follows
//! (bridgeheads, routing group connectors' destinations). Objects with findings are marked with
//! the worst severity and the count, and carry each finding's code, fingerprint and message (a
//! tooltip, a comment); the drawing carries the report's provenance. `dot.rs` and `mermaid.rs`
//! only spell it.

use std::io::{self, Write};

use super::{plural, provenance_lines};
use crate::analysis::Analysis;
use crate::exchange::{LinkKind, NodeKind, Outline, OutlineNode};
use crate::finding::{Finding, Severity};

/// How a syntax spells the parts of a drawing. Ids are small integers, the outline's indexes.
pub(super) trait Syntax {
    /// Starts the drawing, which records `provenance` (one line per fact).
    fn start(&mut self, out: &mut dyn Write, provenance: &[String]) -> io::Result<()>;
    /// A group that holds other objects: organization, administrative or routing group.
    fn open_group(&mut self, out: &mut dyn Write, id: usize, shape: &Shape<'_>, depth: usize) -> io::Result<()>;
    fn close_group(&mut self, out: &mut dyn Write, id: usize, depth: usize) -> io::Result<()>;
    fn object(&mut self, out: &mut dyn Write, id: usize, shape: &Shape<'_>, depth: usize) -> io::Result<()>;
    fn edge(&mut self, out: &mut dyn Write, edge: &Edge) -> io::Result<()>;
    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()>;
}

/// One object as drawn.
pub(super) struct Shape<'a> {
    pub(super) node: &'a OutlineNode,
    /// `routing group First Routing Group`, then details, one per line.
    pub(super) lines: Vec<String>,
    /// The worst severity of its findings, if it has any.
    pub(super) severity: Option<Severity>,
    /// Its findings, one line each: `SMTP001 (non-default) 42a7…: message`.
    pub(super) findings: Vec<String>,
}

/// A line between two objects.
pub(super) struct Edge {
    pub(super) from: usize,
    pub(super) to: usize,
    /// `None` for a server's own virtual servers and receive connectors.
    pub(super) link: Option<LinkKind>,
    /// Whether `to` is a group rather than an object.
    pub(super) to_group: bool,
}

/// Colours of a severity: fill, then border, readable in print.
pub(super) fn colours(severity: Severity) -> (&'static str, &'static str) {
    match severity {
        Severity::Error => ("#f8d7da", "#b02a37"),
        Severity::Warning => ("#fff3cd", "#b7791f"),
        Severity::NonDefault => ("#dbeafe", "#1d4ed8"),
        Severity::Info => ("#eeeeee", "#555555"),
    }
}

pub(super) fn is_group(kind: NodeKind) -> bool {
    matches!(kind, NodeKind::Organization | NodeKind::AdminGroup | NodeKind::RoutingGroup)
}

/// Draws the topology of `analysis` in `syntax`.
pub(super) fn draw(out: &mut dyn Write, analysis: &Analysis<'_>, syntax: &mut dyn Syntax) -> io::Result<()> {
    let outline = &analysis.outline;
    let mut findings: Vec<Vec<&Finding>> = vec![Vec::new(); outline.nodes.len()];
    for finding in analysis.findings.iter() {
        if let Some(index) = outline.node_of(finding) {
            findings[index].push(finding);
        }
    }
    let shape = |index: usize| {
        let node = &outline.nodes[index];
        let mut lines = vec![format!("{} {}", node.kind.label(), node.name)];
        lines.extend(node.details.iter().cloned());
        if !node.exported {
            lines.push("(no entry in the export)".to_owned());
        }
        let severity = findings[index].iter().map(|finding| finding.severity).max();
        if let Some(severity) = severity {
            let count = findings[index].len();
            lines.push(format!("{count} finding{}, worst: {severity}", plural(count, "", "s")));
        }
        let findings = findings[index]
            .iter()
            .map(|finding| {
                format!("{} ({}) {}: {}", finding.code, finding.severity, finding.fingerprint, finding.message)
            })
            .collect();
        Shape { node, lines, severity, findings }
    };
    syntax.start(out, &provenance_lines(analysis))?;
    draw_level(out, outline, None, 0, &shape, syntax)?;
    let mut edges: Vec<Edge> = Vec::new();
    for (index, node) in outline.nodes.iter().enumerate() {
        let owned = !is_group(node.kind) && node.parent.is_some_and(|parent| !is_group(outline.nodes[parent].kind));
        if owned && let Some(parent) = node.parent {
            edges.push(Edge { from: parent, to: index, link: None, to_group: false });
        }
    }
    edges.extend(outline.links.iter().map(|link| Edge {
        from: link.from,
        to: link.to,
        link: Some(link.kind),
        to_group: is_group(outline.nodes[link.to].kind),
    }));
    for edge in &edges {
        syntax.edge(out, edge)?;
    }
    syntax.finish(out)
}

/// The objects under `parent`: groups as groups with their contents, objects beside what they
/// own (a server's virtual servers, linked to it by an edge).
fn draw_level<'o>(
    out: &mut dyn Write,
    outline: &'o Outline,
    parent: Option<usize>,
    depth: usize,
    shape: &dyn Fn(usize) -> Shape<'o>,
    syntax: &mut dyn Syntax,
) -> io::Result<()> {
    for index in outline.children(parent) {
        if is_group(outline.nodes[index].kind) {
            syntax.open_group(out, index, &shape(index), depth)?;
            draw_level(out, outline, Some(index), depth + 1, shape, syntax)?;
            syntax.close_group(out, index, depth)?;
        } else {
            syntax.object(out, index, &shape(index), depth)?;
            draw_level(out, outline, Some(index), depth, shape, syntax)?;
        }
    }
    Ok(())
}
