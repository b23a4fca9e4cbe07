//! The SARIF 2.1.0 report: `--format sarif`, for code-scanning dashboards and SARIF viewers.
//!
//! One run. `tool.driver.rules` lists every code the run could report (the whole catalogue
//! unless `--select`, `--ignore` or `exlint.toml` narrow it), whether it fired or not, so that
//! a dashboard keeps a rule's page for alerts that a later run no longer reports. Each finding
//! is a result; suppressed findings are results too, with SARIF's own `suppressions`, after the
//! reported ones. Rules that could not look and suppressions that set nothing aside are
//! notifications of the invocation. `docs/formats.md` documents every field.
//!
//! The model is a small hand-written one that borrows from the findings (as cargo-deny's
//! `src/sarif/model.rs`): the fields exlint writes, each typed, nothing else.

use std::borrow::Cow;
use std::io::{self, Write};
use std::path::Path;

mod model;

use model::*;

use super::{Summary, positions};
use crate::analysis::Analysis;
use crate::catalogue::{self, Code};
use crate::directory::Dn;
use crate::finding::{Evidence, Finding, Severity};
use crate::source::{Encoding, Location, Source};
use crate::suppression::{Suppression, Unused};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Relative artifact URIs are relative to the folder exlint ran in. It is deliberately left
/// without a `uri`, so that the report holds no absolute path and is the same on every machine;
/// GitHub code scanning and the VS Code SARIF viewer resolve this name to the checkout's root.
const BASE: &str = "%SRCROOT%";

/// Regions up to this many bytes carry their text.
const SNIPPET_LIMIT: usize = 4096;

pub fn write(out: &mut dyn Write, analysis: &Analysis<'_>) -> io::Result<()> {
    let codes: Vec<Code> =
        catalogue::catalogue().iter().copied().filter(|code| analysis.selection.includes(code.code)).collect();
    let help_uris: Vec<String> = codes.iter().map(|code| help_uri(code.code)).collect();
    let review = &analysis.review;
    // With a baseline, what is reported is what it does not hold; known findings are only
    // counted (`properties.baseline`), as in every format.
    let baseline_state = review.baseline.map(|_| BaselineState::New);
    let reported =
        analysis.findings.iter().map(|finding| SarifResult { baseline_state, ..result(analysis, &codes, finding) });
    let suppressed = review.suppressed.iter().map(|suppressed| SarifResult {
        suppressions: vec![suppression(&review.suppressions[suppressed.suppression])],
        ..result(analysis, &codes, &suppressed.finding)
    });
    let provenance = &analysis.provenance;
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: provenance.tool,
                    version: provenance.version,
                    semantic_version: provenance.version,
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules: codes.iter().zip(&help_uris).map(|(code, uri)| rule(code, uri)).collect(),
                    notifications: NotificationKind::ALL.iter().map(|kind| kind.descriptor()).collect(),
                },
            },
            invocations: [invocation(analysis, &codes)],
            original_uri_base_ids: OriginalUriBaseIds {
                base: BaseLocation { description: Message::text("The folder exlint ran in.".into()) },
            },
            artifacts: artifacts(analysis),
            results: reported.chain(suppressed).collect(),
            column_kind: "unicodeCodePoints",
            properties: RunProperties {
                generated: &provenance.generated,
                catalogue_version: provenance.catalogue_version,
                summary: Summary::of(&analysis.findings),
                suppressed: review.suppressed.len(),
                baseline: review.baseline,
            },
        }],
    };
    super::controls::write_json(&mut *out, &log)?;
    writeln!(out)
}

/// How exlint was run: command line, time, severities changed by the configuration, rules that
/// could not look, and suppressions that set nothing aside.
fn invocation<'a>(analysis: &'a Analysis<'_>, codes: &[Code]) -> Invocation<'a> {
    let provenance = &analysis.provenance;
    let review = &analysis.review;
    let overrides = codes.iter().enumerate().filter_map(|(index, code)| {
        let severity = analysis.selection.severity(code.code, code.severity);
        (severity != code.severity).then(|| Override {
            descriptor: DescriptorReference { id: code.code, index: Some(index) },
            configuration: Configuration { level: level(severity), properties: Some(Severities { severity }) },
        })
    });
    let not_evaluated = analysis.not_evaluated.iter().map(|not_evaluated| Notification {
        descriptor: NotificationKind::NotEvaluated.reference(),
        associated_rule: Some(rule_reference(codes, not_evaluated.code)),
        level: Level::Note,
        message: Message::text(sentence(&format!(
            "{} was not evaluated: {}",
            not_evaluated.code, not_evaluated.reason
        ))),
        locations: Vec::new(),
        properties: None,
    });
    Invocation {
        command_line: (!provenance.command_line.is_empty()).then(|| provenance.command()),
        // The arguments, without the program's name.
        arguments: provenance.command_line.get(1..).unwrap_or_default(),
        start_time_utc: &provenance.generated,
        execution_successful: true,
        rule_configuration_overrides: overrides.collect(),
        tool_execution_notifications: not_evaluated.collect(),
        tool_configuration_notifications: review
            .unused
            .iter()
            .map(|&(index, why)| unused(codes, &review.suppressions[index], why))
            .collect(),
    }
}

/// The inputs, in command-line order: `artifactLocation.index` points into them.
fn artifacts<'a>(analysis: &'a Analysis<'_>) -> Vec<Artifact<'a>> {
    let inputs = analysis.sources.iter().zip(&analysis.inputs).zip(&analysis.provenance.inputs);
    inputs
        .map(|((source, input), digest)| Artifact {
            location: artifact_location(source, None),
            length: source.size(),
            encoding: charset(source.encoding()),
            hashes: Hashes { sha256: &digest.sha256 },
            roles: ["analysisTarget"],
            properties: ArtifactProperties {
                encoding: source.encoding().label(),
                entries: input.entries,
                compression: source.compression().map(|compression| compression.label()),
            },
        })
        .collect()
}

/// The rule page in the repository, as `docs/rules/` holds it.
fn help_uri(code: &str) -> String {
    format!("{}/blob/main/docs/rules/{code}.md", env!("CARGO_PKG_REPOSITORY"))
}

fn rule<'a>(code: &'a Code, help_uri: &'a str) -> Descriptor<'a> {
    let finds = code.section("What it finds").unwrap_or_default();
    let page = code.page();
    Descriptor {
        id: code.code,
        name: Some(code.name),
        short_description: Message::text(code.title.into()),
        full_description: Some(Message { text: unwrapped(&finds).into(), markdown: Some(finds.into()) }),
        help: Some(Message { text: page.clone().into(), markdown: Some(page.into()) }),
        help_uri: Some(help_uri),
        default_configuration: Some(Configuration { level: level(code.severity), properties: None }),
        properties: Some(RuleProperties { severity: code.severity, origin: code.origin }),
    }
}

fn level(severity: Severity) -> Level {
    match severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::NonDefault | Severity::Info => Level::Note,
    }
}

/// A code by its id, and its index in `tool.driver.rules` when listed there.
fn rule_reference(codes: &[Code], code: &'static str) -> DescriptorReference {
    DescriptorReference { id: code, index: codes.iter().position(|known| known.code == code) }
}

fn result<'a>(analysis: &'a Analysis<'_>, codes: &[Code], finding: &'a Finding) -> SarifResult<'a> {
    let related = finding.evidence.iter().enumerate().map(|(index, evidence)| related(analysis, index, evidence));
    SarifResult {
        rule_id: finding.code,
        rule_index: codes.iter().position(|code| code.code == finding.code),
        level: level(finding.severity),
        message: Message::text(sentence(&finding.message)),
        locations: [SarifLocation {
            id: None,
            physical_location: physical(analysis, finding.location),
            logical_locations: finding.dn.as_deref().map(logical).into_iter().collect(),
            message: None,
            properties: None,
        }],
        related_locations: related.collect(),
        partial_fingerprints: Fingerprints { exlint: &finding.fingerprint },
        suppressions: Vec::new(),
        baseline_state: None,
        properties: ResultProperties {
            severity: finding.severity,
            server: finding.server.as_deref(),
            help: finding.help.as_deref(),
        },
    }
}

/// A piece of evidence: where it is, the object it belongs to, what the rule makes of it.
fn related<'a>(analysis: &'a Analysis<'_>, index: usize, evidence: &'a Evidence) -> SarifLocation<'a> {
    SarifLocation {
        // Ids are for references from messages (`[text](id)`), unique within the result.
        id: Some(index + 1),
        physical_location: physical(analysis, evidence.location),
        logical_locations: vec![logical(&evidence.dn)],
        message: Some(Message::text(sentence(&evidence.note))),
        properties: evidence
            .attribute
            .as_deref()
            .map(|attribute| EvidenceProperties { attribute, value: evidence.value.as_deref() }),
    }
}

fn logical(dn: &str) -> LogicalLocation<'_> {
    LogicalLocation { name: Dn::new(dn).name(), fully_qualified_name: dn, kind: "object" }
}

fn physical<'a>(analysis: &'a Analysis<'_>, location: Location) -> PhysicalLocation<'a> {
    let (start, last) = positions(analysis, location);
    // SARIF's end column is the one after the region; exlint's `end_column` is the last
    // character's. An empty span is an insertion point: it ends where it starts.
    let end_column = if location.span.len == 0 { last.column } else { last.column + 1 };
    let source = &analysis.sources[location.source.0];
    let span = location.span;
    // The text of the region, for viewers without the export at hand; not for huge spans.
    let snippet = (span.len <= SNIPPET_LIMIT).then(|| source.text().get(span.start..span.end())).flatten();
    PhysicalLocation {
        artifact_location: artifact_location(source, Some(location.source.0)),
        region: Region {
            start_line: start.line,
            start_column: Some(start.column),
            end_line: Some(last.line),
            end_column: Some(end_column),
            snippet: snippet.map(|bytes| Snippet { text: String::from_utf8_lossy(bytes) }),
        },
    }
}

/// Where an input is: its path as a URI, relative to [`BASE`] when it was given relative,
/// a `file:` URI when absolute; standard input has no URI, only a description.
fn artifact_location(source: &Source, index: Option<usize>) -> ArtifactLocation {
    let name = source.name();
    if name == "<stdin>" {
        return ArtifactLocation {
            uri: None,
            uri_base_id: None,
            index,
            description: Some(Message::text("Standard input.".into())),
        };
    }
    let (uri, base) = path_uri(Path::new(name));
    ArtifactLocation { uri: Some(uri), uri_base_id: base, index, description: None }
}

/// A path as a URI reference: bytes outside RFC 3986's unreserved set and `/` are
/// percent-encoded (`:` too in relative references, where it would read as a scheme).
fn path_uri(path: &Path) -> (String, Option<&'static str>) {
    let text = path.to_string_lossy();
    let text = if cfg!(windows) { text.replace('\\', "/") } else { text.into_owned() };
    let encode = |text: &str, keep: &[u8]| -> String {
        text.bytes()
            .map(|byte| {
                if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) || keep.contains(&byte) {
                    char::from(byte).to_string()
                } else {
                    format!("%{byte:02X}")
                }
            })
            .collect()
    };
    if path.is_absolute() {
        let slash = if text.starts_with('/') { "" } else { "/" };
        (format!("file://{slash}{}", encode(&text, b":")), None)
    } else {
        let mut relative = text.as_str();
        while let Some(rest) = relative.strip_prefix("./") {
            relative = rest;
        }
        (encode(relative, b""), Some(BASE))
    }
}

/// The IANA name of an encoding, as SARIF's `artifact.encoding` takes it.
fn charset(encoding: Encoding) -> &'static str {
    match encoding {
        Encoding::Utf8 | Encoding::Utf8Bom => "UTF-8",
        Encoding::Utf16Le | Encoding::Utf16LeUnmarked => "UTF-16LE",
        Encoding::Utf16Be => "UTF-16BE",
    }
}

fn suppression(suppression: &Suppression) -> SarifSuppression<'_> {
    SarifSuppression {
        kind: "external",
        status: "accepted",
        justification: &suppression.reason,
        properties: suppression,
    }
}

/// A suppression that set nothing aside, pointing at its `[[suppress]]` table.
fn unused<'a>(codes: &[Code], suppression: &'a Suppression, why: Unused) -> Notification<'a> {
    let (kind, text) = match why {
        Unused::NoMatch => (
            NotificationKind::UnusedSuppression,
            format!("the suppression of {} at {} matches no finding", suppression.code, suppression.origin),
        ),
        Unused::Expired => (
            NotificationKind::ExpiredSuppression,
            format!(
                "the suppression of {} at {} is past its last day, {}: the findings it named are reported again",
                suppression.code,
                suppression.origin,
                suppression.expires.as_deref().unwrap_or_default()
            ),
        ),
    };
    // `origin` is `path:line`, as the configuration file wrote it.
    let place = suppression.origin.rsplit_once(':').and_then(|(path, line)| Some((path, line.parse().ok()?)));
    let locations = place
        .map(|(path, line)| {
            let (uri, base) = path_uri(Path::new(path));
            SarifLocation {
                id: None,
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation {
                        uri: Some(uri),
                        uri_base_id: base,
                        index: None,
                        description: None,
                    },
                    // A region of a start line alone is that whole line.
                    region: Region {
                        start_line: line,
                        start_column: None,
                        end_line: None,
                        end_column: None,
                        snippet: None,
                    },
                },
                logical_locations: Vec::new(),
                message: None,
                properties: None,
            }
        })
        .into_iter()
        .collect();
    let code = codes.iter().find(|code| code.code == suppression.code).map(|code| code.code);
    Notification {
        descriptor: kind.reference(),
        associated_rule: code.map(|code| rule_reference(codes, code)),
        level: Level::Warning,
        message: Message::text(sentence(&text)),
        locations,
        properties: Some(suppression),
    }
}

/// exlint's messages are lower-case without a final period; SARIF asks for sentences.
fn sentence(message: &str) -> Cow<'static, str> {
    let mut chars = message.chars();
    let mut text: String = chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default();
    if !text.ends_with(['.', '!', '?']) {
        text.push('.');
    }
    text.into()
}

/// A Markdown paragraph's lines joined, for plain text.
fn unwrapped(markdown: &str) -> String {
    markdown
        .split("\n\n")
        .map(|paragraph| paragraph.split('\n').collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The kinds of notification, each described once in `tool.driver.notifications`.
#[derive(Clone, Copy)]
enum NotificationKind {
    NotEvaluated,
    UnusedSuppression,
    ExpiredSuppression,
}

impl NotificationKind {
    const ALL: [NotificationKind; 3] =
        [NotificationKind::NotEvaluated, NotificationKind::UnusedSuppression, NotificationKind::ExpiredSuppression];

    fn id(self) -> &'static str {
        match self {
            NotificationKind::NotEvaluated => "not-evaluated",
            NotificationKind::UnusedSuppression => "unused-suppression",
            NotificationKind::ExpiredSuppression => "expired-suppression",
        }
    }

    fn descriptor(self) -> Descriptor<'static> {
        let (level, text) = match self {
            NotificationKind::NotEvaluated => {
                (Level::Note, "A rule could not look: what it needs is not in the export or not given.")
            }
            NotificationKind::UnusedSuppression => {
                (Level::Warning, "A [[suppress]] entry of exlint.toml matches no finding.")
            }
            NotificationKind::ExpiredSuppression => (
                Level::Warning,
                "A [[suppress]] entry of exlint.toml is past its last day: its findings are reported again.",
            ),
        };
        // No `name`: SARIF wants it to differ from the id, and the id says it all.
        Descriptor {
            id: self.id(),
            name: None,
            short_description: Message::text(text.into()),
            full_description: None,
            help: None,
            help_uri: None,
            default_configuration: Some(Configuration { level, properties: None }),
            properties: None,
        }
    }

    fn reference(self) -> DescriptorReference {
        let index = NotificationKind::ALL.iter().position(|kind| kind.id() == self.id());
        DescriptorReference { id: self.id(), index }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(path_uri(Path::new("samples/contoso.ldf")), ("samples/contoso.ldf".into(), Some(BASE)));
        assert_eq!(path_uri(Path::new("./a/./my export.ldf")), ("a/./my%20export.ldf".into(), Some(BASE)));
        assert_eq!(path_uri(Path::new("c:d#1.ldif")), ("c%3Ad%231.ldif".into(), Some(BASE)));
        assert_eq!(path_uri(Path::new("../été.ldif")), ("../%C3%A9t%C3%A9.ldif".into(), Some(BASE)));
        #[cfg(unix)]
        assert_eq!(path_uri(Path::new("/tmp/x 1.ldif")), ("file:///tmp/x%201.ldif".into(), None));
    }

    #[test]
    fn messages_become_sentences() {
        assert_eq!(sentence("virtual server `1` has 2 bindings"), "Virtual server `1` has 2 bindings.");
        assert_eq!(sentence("`EXMB01` is a gateway"), "`EXMB01` is a gateway.");
        assert_eq!(sentence("done."), "Done.");
    }

    #[test]
    fn wrapped_markdown_is_unwrapped_for_text() {
        assert_eq!(unwrapped("one\ntwo\n\nthree"), "one two\n\nthree");
    }
}
