//! The HTML report: `--format html`. One self-contained page that reads offline and prints:
//! provenance, a summary, the findings by severity and by server (each with the lines of the
//! export it points at), the organization's tree with the findings on their nodes, what was not
//! evaluated, suppressed or baselined, and the reference page of every code found.
//!
//! Nothing is fetched: the style and the script are inline, and a Content-Security-Policy
//! allows those two by their SHA-256 and nothing else, so the browser itself refuses any
//! request a page might make (an `<img>` smuggled in through the export, say). Everything from
//! the export is HTML-escaped besides.
//!
//! The JSON report (`report::json::write`, byte for byte but for `</` and `<!--`, written
//! `<\/` and `<\u0021--` so that they cannot end or confuse the script element) is embedded as
//! `<script type="application/json" id="exlint-report">`: the page reads its finding count from
//! it, and tools can take the whole report out of the page.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::io::{self, Write};

use base64::Engine as _;
use sha2::{Digest, Sha256};

mod escape;
mod pages;

use escape::{Prose, Text};
use pages::markdown;

use super::{Summary, plural, positions, source_of};
use crate::analysis::Analysis;
use crate::catalogue::{self, Code};
use crate::exchange::{LinkKind, NodeKind, Outline};
use crate::finding::{Finding, Severity};
use crate::source::Location;
use crate::suppression::{Suppression, Unused};

const STYLE: &str = include_str!("html.css");
const SCRIPT: &str = include_str!("html.js");

/// Lines of the export shown for one location; the rest is counted.
const MAX_LINES: usize = 30;

pub fn write(out: &mut dyn Write, analysis: &Analysis<'_>) -> io::Result<()> {
    let mut json = Vec::new();
    super::json::write(&mut json, analysis)?;
    let json = String::from_utf8(json).map_err(io::Error::other)?;
    let mut html = String::new();
    Page::new(analysis).render(&mut html, &json).map_err(io::Error::other)?;
    out.write_all(html.as_bytes())
}

/// The JSON report made safe inside a `<script>` element: `</` could end it, `<!--` could
/// start a comment state that keeps `</script>` from ending it. Both escapes are JSON that
/// parses to the same value.
pub fn script_safe(json: &str) -> String {
    json.replace("</", r"<\/").replace("<!--", r"<\u0021--")
}

/// The `Content-Security-Policy` of every page: nothing may load, and only the page's own
/// style and script, known by their hash, may apply and run.
pub fn content_security_policy() -> String {
    let hash = |text: &str| base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()));
    format!(
        "default-src 'none'; style-src 'sha256-{}'; script-src 'sha256-{}'; img-src 'none'; base-uri 'none'; form-action 'none'",
        hash(STYLE),
        hash(SCRIPT)
    )
}

struct Page<'a, 's> {
    analysis: &'a Analysis<'s>,
    /// Reported findings on each node of the outline, in report order.
    by_node: Vec<Vec<&'a Finding>>,
    /// Reported findings that belong to no node.
    unplaced: Vec<&'a Finding>,
    /// The codes that have a finding, reported or suppressed, in catalogue order.
    codes: Vec<Code>,
}

impl<'a, 's> Page<'a, 's> {
    fn new(analysis: &'a Analysis<'s>) -> Page<'a, 's> {
        let outline = &analysis.outline;
        let mut by_node = vec![Vec::new(); outline.nodes.len()];
        let mut unplaced = Vec::new();
        for finding in &analysis.findings {
            match outline.node_of(finding) {
                Some(node) => by_node[node].push(finding),
                None => unplaced.push(finding),
            }
        }
        let found = |code: &Code| {
            analysis
                .findings
                .iter()
                .chain(analysis.review.suppressed.iter().map(|s| &s.finding))
                .any(|f| f.code == code.code)
        };
        let codes = catalogue::catalogue().iter().copied().filter(found).collect();
        Page { analysis, by_node, unplaced, codes }
    }

    fn render(&self, html: &mut String, json: &str) -> fmt::Result {
        let provenance = &self.analysis.provenance;
        let names: Vec<&str> = provenance.inputs.iter().map(|input| input.path.as_str()).collect();
        let total = self.analysis.findings.len();
        write!(
            html,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"generator\" content=\"exlint {}\">\n\
             <title>exlint report: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
            Text(&content_security_policy()),
            Text(provenance.version),
            Text(&names.join(", ")),
        )?;
        write!(
            html,
            "<header>\n<h1>exlint report</h1>\n<p class=\"subtitle\">{} · generated {} · {total} finding{}</p>\n\
             <nav><a href=\"#summary\">Summary</a><a href=\"#provenance\">Provenance</a>\
             <a href=\"#findings\">Findings</a><a href=\"#servers\">By server</a>\
             <a href=\"#organization\">Organization</a><a href=\"#not-evaluated\">Not evaluated</a>\
             <a href=\"#review\">Suppressions and baseline</a><a href=\"#rules\">Rules</a></nav>\n</header>\n",
            Text(&names.join(", ")),
            Text(&provenance.generated),
            plural(total, "", "s"),
        )?;
        write!(
            html,
            "<div class=\"filter\">\n<label for=\"filter\">Filter</label>\n\
             <input id=\"filter\" type=\"search\" autocomplete=\"off\" spellcheck=\"false\" \
             placeholder=\"code, server, DN, message or severity; all words must match\">\n\
             <output id=\"count\" for=\"filter\">findings shown: <span id=\"shown-count\">{total}</span> of \
             <span id=\"total-count\">{total}</span></output>\n</div>\n<main>\n",
        )?;
        self.summary(html)?;
        self.provenance(html)?;
        self.by_severity(html)?;
        self.by_server(html)?;
        self.organization(html)?;
        self.not_evaluated(html)?;
        self.review(html)?;
        self.rules(html)?;
        write!(
            html,
            "</main>\n<script type=\"application/json\" id=\"exlint-report\">{}</script>\n\
             <script>{SCRIPT}</script>\n</body>\n</html>\n",
            script_safe(json)
        )
    }

    fn summary(&self, html: &mut String) -> fmt::Result {
        let summary = Summary::of(&self.analysis.findings);
        html.push_str("<section id=\"summary\">\n<h2>Summary</h2>\n<table>\n<tr><th>severity</th><th class=\"number\">findings</th></tr>\n");
        for (severity, count) in [
            (Severity::Error, summary.error),
            (Severity::Warning, summary.warning),
            (Severity::NonDefault, summary.non_default),
            (Severity::Info, summary.info),
        ] {
            let label = severity.label();
            writeln!(
                html,
                "<tr><td><span class=\"sev sev-{label}\">{label}</span></td><td class=\"number\">{count}</td></tr>"
            )?;
        }
        writeln!(html, "<tr><th>total</th><th class=\"number\">{}</th></tr>\n</table>", summary.total())?;
        let review = &self.analysis.review;
        let entries: usize = self.analysis.inputs.iter().map(|input| input.entries).sum();
        let files = self.analysis.sources.len();
        writeln!(
            html,
            "<p>{entries} entr{} read from {files} file{}. {} suppressed finding{}, {} unused or expired suppression{}, {} rule{} not evaluated.</p>",
            plural(entries, "y", "ies"),
            plural(files, "", "s"),
            review.suppressed.len(),
            plural(review.suppressed.len(), "", "s"),
            review.unused.len(),
            plural(review.unused.len(), "", "s"),
            self.analysis.not_evaluated.len(),
            plural(self.analysis.not_evaluated.len(), "", "s"),
        )?;
        if let Some(baseline) = review.baseline {
            writeln!(
                html,
                "<p>Baseline: {} known finding{} not reported, {} no longer found.</p>",
                baseline.known,
                plural(baseline.known, "", "s"),
                baseline.fixed
            )?;
        }
        html.push_str("</section>\n");
        Ok(())
    }

    fn provenance(&self, html: &mut String) -> fmt::Result {
        let provenance = &self.analysis.provenance;
        let command = provenance.command();
        let command = if command.is_empty() { "(not recorded)".to_owned() } else { command };
        write!(
            html,
            "<section id=\"provenance\">\n<h2>Provenance</h2>\n<table>\n\
             <tr><th>exlint</th><td>{}</td></tr>\n<tr><th>catalogue</th><td>version {}</td></tr>\n\
             <tr><th>command line</th><td><code>{}</code></td></tr>\n<tr><th>generated</th><td>{}</td></tr>\n</table>\n",
            Text(provenance.version),
            provenance.catalogue_version,
            Text(&command),
            Text(&provenance.generated),
        )?;
        html.push_str(
            "<table>\n<tr><th>input</th><th>encoding</th><th class=\"number\">bytes</th>\
             <th class=\"number\">entries</th><th>SHA-256</th></tr>\n",
        );
        for (input, read) in provenance.inputs.iter().zip(&self.analysis.inputs) {
            writeln!(
                html,
                "<tr><td class=\"nowrap\"><code>{}</code></td><td>{}</td><td class=\"number\">{}</td><td class=\"number\">{}</td><td class=\"mono digest\">{}</td></tr>",
                Text(&input.path),
                input.encoding_label(),
                input.bytes,
                read.entries,
                input.sha256
            )?;
        }
        html.push_str("</table>\n");
        let decompressed = super::decompressed_inputs(self.analysis);
        if !decompressed.is_empty() {
            let names: Vec<String> = decompressed.iter().map(|name| format!("<code>{}</code>", Text(name))).collect();
            writeln!(html, "<p>Lines and columns of {} are those of the decompressed text.</p>", names.join(", "))?;
        }
        html.push_str("</section>\n");
        Ok(())
    }

    fn by_severity(&self, html: &mut String) -> fmt::Result {
        html.push_str("<section id=\"findings\">\n<h2>Findings by severity</h2>\n");
        if self.analysis.findings.is_empty() {
            html.push_str("<p class=\"empty\">No findings.</p>\n");
        }
        for severity in Severity::ALL {
            let findings: Vec<&Finding> = self.analysis.findings.iter().filter(|f| f.severity == severity).collect();
            if findings.is_empty() {
                continue;
            }
            let label = severity.label();
            writeln!(
                html,
                "<section class=\"group\" id=\"severity-{label}\">\n<h3><span class=\"sev sev-{label}\">{label}</span> {} finding{}</h3>",
                findings.len(),
                plural(findings.len(), "", "s")
            )?;
            for finding in findings {
                self.card(html, finding, None)?;
            }
            html.push_str("</section>\n");
        }
        html.push_str("</section>\n");
        Ok(())
    }

    /// One finding in full: what, where, the lines of the export, the evidence, what to do.
    fn card(&self, html: &mut String, finding: &Finding, suppression: Option<&Suppression>) -> fmt::Result {
        let label = finding.severity.label();
        let (start, _) = positions(self.analysis, finding.location);
        let path = source_of(self.analysis, finding.location).name();
        write!(
            html,
            "<article class=\"finding {label}\" id=\"{}\" data-search=\"{}\">\n<div class=\"head\">\
             <span class=\"sev sev-{label}\">{label}</span><a class=\"code\" href=\"#rule-{code}\">{code}</a>\
             <span class=\"title\">{}</span>",
            Text(&anchor(finding)),
            Text(&search_key(finding)),
            Text(finding.title),
            code = finding.code,
        )?;
        if let Some(server) = &finding.server {
            write!(html, "<span class=\"server\">server <strong>{}</strong></span>", Text(server))?;
        }
        writeln!(html, "</div>\n<p class=\"message\">{}</p>", Prose(&finding.message))?;
        if let Some(suppression) = suppression {
            write!(
                html,
                "<p class=\"suppression\">Suppressed by <code>{}</code>: {}",
                Text(&suppression.origin),
                Prose(&suppression.reason)
            )?;
            if let Some(expires) = &suppression.expires {
                write!(html, " (until {})", Text(expires))?;
            }
            html.push_str("</p>\n");
        }
        write!(html, "<dl>\n<dt>where</dt><dd class=\"mono\">{}:{start}</dd>\n", Text(path))?;
        if let Some(dn) = &finding.dn {
            writeln!(html, "<dt>DN</dt><dd class=\"mono\">{}</dd>", Text(dn))?;
        }
        writeln!(html, "<dt>fingerprint</dt><dd class=\"mono\">{}</dd>\n</dl>", Text(&finding.fingerprint))?;
        let marked: Vec<(usize, usize)> = finding
            .evidence
            .iter()
            .filter(|evidence| evidence.location.source == finding.location.source)
            .map(|evidence| {
                let (first, last) = positions(self.analysis, evidence.location);
                (first.line, last.line)
            })
            .collect();
        self.lines(html, finding.location, &marked)?;
        if !finding.evidence.is_empty() {
            html.push_str("<ul class=\"evidence\">\n");
            for evidence in &finding.evidence {
                let (first, _) = positions(self.analysis, evidence.location);
                write!(
                    html,
                    "<li>{} <span class=\"where\">{}:{first}</span>",
                    Prose(&evidence.note),
                    Text(source_of(self.analysis, evidence.location).name())
                )?;
                if finding.dn.as_deref() != Some(evidence.dn.as_str()) {
                    write!(html, " <span class=\"mono\">{}</span>", Text(&evidence.dn))?;
                }
                if !finding.location.contains(evidence.location) {
                    self.lines(html, evidence.location, &[])?;
                }
                html.push_str("</li>\n");
            }
            html.push_str("</ul>\n");
        }
        if let Some(help) = &finding.help {
            writeln!(html, "<p class=\"help\">{}</p>", Prose(help))?;
        }
        html.push_str("</article>\n");
        Ok(())
    }

    /// The lines of the export a location touches, numbered, those in `marked` (first and last
    /// line numbers) highlighted.
    fn lines(&self, html: &mut String, location: Location, marked: &[(usize, usize)]) -> fmt::Result {
        let source = source_of(self.analysis, location);
        let (start, _) = positions(self.analysis, location);
        let text = String::from_utf8_lossy(source.lines_of(location.span));
        let lines: Vec<&str> = text.split('\n').map(|line| line.strip_suffix('\r').unwrap_or(line)).collect();
        html.push_str("<pre class=\"lines\"><code>");
        for (number, line) in (start.line..).zip(lines.iter().take(MAX_LINES)) {
            let class = if marked.iter().any(|&(first, last)| (first..=last).contains(&number)) {
                "line marked"
            } else {
                "line"
            };
            write!(html, "<span class=\"{class}\"><span class=\"number\">{number}</span>{}</span>", Text(line))?;
        }
        if lines.len() > MAX_LINES {
            let more = lines.len() - MAX_LINES;
            write!(html, "<span class=\"line\">… {more} more line{}</span>", plural(more, "", "s"))?;
        }
        html.push_str("</code></pre>\n");
        Ok(())
    }

    fn by_server(&self, html: &mut String) -> fmt::Result {
        html.push_str("<section id=\"servers\">\n<h2>Findings by server</h2>\n");
        // Servers by name in any case; findings about no server last.
        let mut servers: BTreeMap<(bool, String), (&str, Vec<&Finding>)> = BTreeMap::new();
        for finding in &self.analysis.findings {
            let name = finding.server.as_deref();
            let key = (name.is_none(), name.unwrap_or_default().to_lowercase());
            servers.entry(key).or_insert_with(|| (name.unwrap_or("(no server)"), Vec::new())).1.push(finding);
        }
        if servers.is_empty() {
            html.push_str("<p class=\"empty\">No findings.</p>\n</section>\n");
            return Ok(());
        }
        html.push_str("<table>\n<tr><th>server</th>");
        for severity in Severity::ALL {
            write!(html, "<th class=\"number\">{}</th>", severity.label())?;
        }
        html.push_str("<th>findings</th></tr>\n");
        for ((no_server, _), (name, findings)) in &servers {
            let node = if *no_server { None } else { self.server_node(name) };
            match node {
                Some(node) => write!(html, "<tr class=\"group\"><td><a href=\"#node-{node}\">{}</a></td>", Text(name))?,
                None => write!(html, "<tr class=\"group\"><td>{}</td>", Text(name))?,
            }
            for severity in Severity::ALL {
                let count = findings.iter().filter(|finding| finding.severity == severity).count();
                write!(html, "<td class=\"number\">{count}</td>")?;
            }
            html.push_str("<td>");
            for finding in findings {
                badge(html, finding)?;
            }
            html.push_str("</td></tr>\n");
        }
        html.push_str("</table>\n</section>\n");
        Ok(())
    }

    fn server_node(&self, name: &str) -> Option<usize> {
        let nodes = &self.analysis.outline.nodes;
        nodes.iter().position(|node| node.kind == NodeKind::Server && node.name.eq_ignore_ascii_case(name))
    }

    fn organization(&self, html: &mut String) -> fmt::Result {
        let outline = &self.analysis.outline;
        html.push_str("<section id=\"organization\">\n<h2>Organization</h2>\n");
        if outline.nodes.is_empty() {
            html.push_str("<p class=\"empty\">The export holds no Exchange organization.</p>\n");
        } else {
            html.push_str(
                "<p>Organization, administrative and routing groups, servers with their virtual servers and \
                 receive connectors, and the connectors of each routing group, as the export gives them; \
                 each node with its findings, marked by the most serious.</p>\n<ul class=\"tree\">\n",
            );
            for root in outline.children(None) {
                self.node(html, root)?;
            }
            html.push_str("</ul>\n");
        }
        if !self.unplaced.is_empty() {
            html.push_str("<h3>Findings on no node</h3>\n<ul class=\"node-findings group\">\n");
            for finding in &self.unplaced {
                reference(html, finding)?;
            }
            html.push_str("</ul>\n");
        }
        html.push_str("</section>\n");
        Ok(())
    }

    fn node(&self, html: &mut String, index: usize) -> fmt::Result {
        let outline = &self.analysis.outline;
        let node = &outline.nodes[index];
        let findings = &self.by_node[index];
        let worst = findings.iter().map(|finding| finding.severity).max();
        let class = worst.map(|severity| format!(" worst-{}", severity.label())).unwrap_or_default();
        write!(
            html,
            "<li class=\"node{class}\" id=\"node-{index}\"><span class=\"label\" title=\"{}\"><span class=\"kind\">{}</span> <span class=\"name\">{}</span></span>",
            Text(&node.dn),
            node.kind.label(),
            Text(&node.name)
        )?;
        if !node.details.is_empty() {
            write!(html, " <span class=\"details\">{}</span>", Text(&node.details.join(" · ")))?;
        }
        if !node.exported {
            html.push_str(" <span class=\"absent\">(no entry in the export)</span>");
        }
        html.push('\n');
        for link in &outline.links {
            let (other, what) = match (link.from == index, link.to == index) {
                (true, _) => (link.to, link_label(link.kind, true)),
                (_, true) => (link.from, link_label(link.kind, false)),
                _ => continue,
            };
            writeln!(
                html,
                "<div class=\"link\">{what}: <a href=\"#node-{other}\">{}</a></div>",
                Text(&node_label(outline, other))
            )?;
        }
        if !findings.is_empty() {
            html.push_str("<ul class=\"node-findings group\">\n");
            for finding in findings {
                reference(html, finding)?;
            }
            html.push_str("</ul>\n");
        }
        let mut children = outline.children(Some(index)).peekable();
        if children.peek().is_some() {
            html.push_str("<ul>\n");
            for child in children {
                self.node(html, child)?;
            }
            html.push_str("</ul>\n");
        }
        html.push_str("</li>\n");
        Ok(())
    }

    fn not_evaluated(&self, html: &mut String) -> fmt::Result {
        html.push_str("<section id=\"not-evaluated\">\n<h2>Not evaluated</h2>\n");
        if self.analysis.not_evaluated.is_empty() {
            html.push_str("<p class=\"empty\">Every rule selected was evaluated.</p>\n");
        } else {
            html.push_str("<table>\n<tr><th>code</th><th>why not</th></tr>\n");
            for rule in &self.analysis.not_evaluated {
                writeln!(
                    html,
                    "<tr><td class=\"nowrap\"><code>{}</code></td><td>{}</td></tr>",
                    rule.code,
                    Prose(&rule.reason)
                )?;
            }
            html.push_str("</table>\n");
        }
        html.push_str("</section>\n");
        Ok(())
    }

    fn review(&self, html: &mut String) -> fmt::Result {
        let review = &self.analysis.review;
        html.push_str("<section id=\"review\">\n<h2>Suppressions and baseline</h2>\n<h3>Suppressed findings</h3>\n");
        if review.suppressed.is_empty() {
            html.push_str("<p class=\"empty\">No finding is suppressed.</p>\n");
        }
        for suppressed in &review.suppressed {
            self.card(html, &suppressed.finding, Some(&review.suppressions[suppressed.suppression]))?;
        }
        html.push_str("<h3>Unused and expired suppressions</h3>\n");
        if review.unused.is_empty() {
            html.push_str("<p class=\"empty\">Every suppression set a finding aside.</p>\n");
        } else {
            html.push_str(
                "<table>\n<tr><th>code</th><th>object or finding</th><th>reason</th><th>until</th><th>written at</th><th>why unused</th></tr>\n",
            );
            for &(index, why) in &review.unused {
                let suppression = &review.suppressions[index];
                let target = suppression.dn.as_deref().or(suppression.fingerprint.as_deref()).unwrap_or_default();
                let why = match why {
                    Unused::NoMatch => "matches no finding",
                    Unused::Expired => "expired: the findings it named are reported again",
                };
                writeln!(
                    html,
                    "<tr><td class=\"nowrap\"><code>{}</code></td><td class=\"mono\">{}</td><td>{}</td><td class=\"nowrap\">{}</td><td><code>{}</code></td><td>{why}</td></tr>",
                    Text(&suppression.code),
                    Text(target),
                    Prose(&suppression.reason),
                    Text(suppression.expires.as_deref().unwrap_or("")),
                    Text(&suppression.origin),
                )?;
            }
            html.push_str("</table>\n");
        }
        html.push_str("<h3>Baseline</h3>\n");
        match review.baseline {
            Some(baseline) => writeln!(
                html,
                "<p>{} finding{} of the baseline found again and not reported; {} of its findings no longer found.</p>",
                baseline.known,
                plural(baseline.known, "", "s"),
                baseline.fixed
            )?,
            None => html.push_str("<p class=\"empty\">No baseline given.</p>\n"),
        }
        html.push_str("</section>\n");
        Ok(())
    }

    fn rules(&self, html: &mut String) -> fmt::Result {
        html.push_str("<section id=\"rules\">\n<h2>Rules</h2>\n");
        if self.codes.is_empty() {
            html.push_str("<p class=\"empty\">No code has a finding.</p>\n");
        }
        let codes: Vec<&str> = self.codes.iter().map(|code| code.code).collect();
        for code in &self.codes {
            writeln!(html, "<section class=\"rule\" id=\"rule-{}\">", code.code)?;
            markdown(html, &code.page(), &codes);
            html.push_str("</section>\n");
        }
        html.push_str("</section>\n");
        Ok(())
    }
}

/// A finding's anchor: its fingerprint, stable across re-exports, so that links to it keep
/// working.
fn anchor(finding: &Finding) -> String {
    format!("f-{}", finding.fingerprint)
}

/// What the filter matches: code, server, DN, message and severity, in lower case.
fn search_key(finding: &Finding) -> String {
    let fields = [
        finding.code,
        finding.server.as_deref().unwrap_or_default(),
        finding.dn.as_deref().unwrap_or_default(),
        &finding.message,
        finding.severity.label(),
    ];
    fields.join(" ").to_lowercase()
}

/// A finding's code, coloured by severity, linking to the finding.
fn badge(html: &mut String, finding: &Finding) -> fmt::Result {
    let label = finding.severity.label();
    write!(
        html,
        "<a class=\"sev badge sev-{label}\" href=\"#{}\" title=\"{}\" data-search=\"{}\">{}</a>",
        Text(&anchor(finding)),
        Text(&finding.message),
        Text(&search_key(finding)),
        finding.code
    )
}

/// A finding in one line: its badge and message.
fn reference(html: &mut String, finding: &Finding) -> fmt::Result {
    write!(html, "<li data-search=\"{}\">", Text(&search_key(finding)))?;
    let label = finding.severity.label();
    writeln!(
        html,
        "<a class=\"sev badge sev-{label}\" href=\"#{}\">{}</a> {}</li>",
        Text(&anchor(finding)),
        finding.code,
        Prose(&finding.message)
    )
}

fn link_label(kind: LinkKind, outgoing: bool) -> &'static str {
    match (kind, outgoing) {
        (LinkKind::SourceBridgehead, true) => "sends through",
        (LinkKind::SourceBridgehead, false) => "source bridgehead of",
        (LinkKind::TargetBridgehead, true) => "delivers to",
        (LinkKind::TargetBridgehead, false) => "target bridgehead of",
        (LinkKind::Destination, true) => "leads to",
        (LinkKind::Destination, false) => "reached from",
    }
}

/// A node's name where it is named away from its place in the tree: virtual servers and
/// receive connectors with their server's.
fn node_label(outline: &Outline, index: usize) -> String {
    let node = &outline.nodes[index];
    match (node.kind, node.parent) {
        (NodeKind::VirtualServer | NodeKind::ReceiveConnector, Some(parent)) => {
            format!("{} / {}", outline.nodes[parent].name, node.name)
        }
        _ => node.name.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_content_and_attributes() {
        assert_eq!(Text(r#"<a href="x">&'</a>"#).to_string(), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
        assert_eq!(Text("plain").to_string(), "plain");
    }

    #[test]
    fn backticked_values_become_code_and_stay_escaped() {
        assert_eq!(Prose("has `<b>` and `:25:`").to_string(), "has <code>&lt;b&gt;</code> and <code>:25:</code>");
        assert_eq!(Prose("odd ` tick").to_string(), "odd ` tick");
        assert_eq!(Prose("`a` then `b").to_string(), "<code>a</code> then `b");
    }

    #[test]
    fn embedded_json_cannot_end_its_script_and_parses_the_same() {
        let json = serde_json::json!({ "dn": "CN=</script><!--<script>" }).to_string();
        let safe = script_safe(&json);
        assert!(!safe.contains("</") && !safe.contains("<!--"), "{safe}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&safe).unwrap(),
            serde_json::from_str::<serde_json::Value>(&json).unwrap()
        );
    }

    #[test]
    fn reference_pages_nest_under_the_report_and_show_html_as_text() {
        let mut html = String::new();
        markdown(
            &mut html,
            "# SMTP001\n\n## Why\n<img src=x>\n\nsee [SMTP002](SMTP002.md), [other](ORG9.md)\n",
            &["SMTP002"],
        );
        assert!(html.contains("<h3>SMTP001</h3>") && html.contains("<h4>Why</h4>"), "{html}");
        assert!(html.contains("&lt;img src=x&gt;") && !html.contains("<img"), "{html}");
        assert!(html.contains(r##"<a href="#rule-SMTP002">"##) && html.contains(r#"<a href="ORG9.md">"#), "{html}");
    }
}
