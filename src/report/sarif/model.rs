//! The SARIF 2.1.0 objects exlint writes (OASIS SARIF 2.1.0, section 3), each typed and
//! borrowing from the findings, as cargo-deny's `src/sarif/model.rs`: the fields exlint fills,
//! nothing else. Empty arrays and absent values are left out.

use std::borrow::Cow;

use serde::Serialize;

use crate::finding::Severity;
use crate::report::Summary;
use crate::suppression::{BaselineOutcome, Suppression};

#[derive(Serialize)]
pub(super) struct Log<'a> {
    #[serde(rename = "$schema")]
    pub(super) schema: &'static str,
    pub(super) version: &'static str,
    pub(super) runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Run<'a> {
    pub(super) tool: Tool<'a>,
    pub(super) invocations: [Invocation<'a>; 1],
    pub(super) original_uri_base_ids: OriginalUriBaseIds,
    pub(super) artifacts: Vec<Artifact<'a>>,
    pub(super) results: Vec<SarifResult<'a>>,
    pub(super) column_kind: &'static str,
    pub(super) properties: RunProperties<'a>,
}

#[derive(Serialize)]
pub(super) struct Tool<'a> {
    pub(super) driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Driver<'a> {
    pub(super) name: &'static str,
    pub(super) version: &'static str,
    pub(super) semantic_version: &'static str,
    pub(super) information_uri: &'static str,
    pub(super) rules: Vec<Descriptor<'a>>,
    pub(super) notifications: Vec<Descriptor<'static>>,
}

/// A `reportingDescriptor`: a rule, or a kind of notification.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Descriptor<'a> {
    pub(super) id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) name: Option<&'static str>,
    pub(super) short_description: Message,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) full_description: Option<Message>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) help: Option<Message>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) help_uri: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) default_configuration: Option<Configuration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) properties: Option<RuleProperties>,
}

#[derive(Serialize)]
pub(super) struct RuleProperties {
    /// exlint's own severity, finer than SARIF's levels.
    pub(super) severity: Severity,
    pub(super) origin: &'static str,
}

/// A `reportingConfiguration`.
#[derive(Serialize)]
pub(super) struct Configuration {
    pub(super) level: Level,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) properties: Option<Severities>,
}

/// exlint's severity of a code as configured (`[rules.CODE] severity`), finer than the level.
#[derive(Serialize)]
pub(super) struct Severities {
    pub(super) severity: Severity,
}

/// A `configurationOverride`: a code reported with another severity than its own.
#[derive(Serialize)]
pub(super) struct Override {
    pub(super) descriptor: DescriptorReference,
    pub(super) configuration: Configuration,
}

#[derive(Clone, Copy, Serialize)]
#[serde(rename_all = "lowercase")]
pub(super) enum Level {
    Error,
    Warning,
    Note,
}

#[derive(Clone, Copy, Serialize)]
#[serde(rename_all = "lowercase")]
pub(super) enum BaselineState {
    New,
}

/// A `message` or `multiformatMessageString`.
#[derive(Serialize)]
pub(super) struct Message {
    pub(super) text: Cow<'static, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) markdown: Option<Cow<'static, str>>,
}

impl Message {
    pub(super) fn text(text: Cow<'static, str>) -> Message {
        Message { text, markdown: None }
    }
}

#[derive(Serialize)]
pub(super) struct DescriptorReference {
    pub(super) id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) index: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Invocation<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) command_line: Option<String>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub(super) arguments: &'a [String],
    pub(super) start_time_utc: &'a str,
    pub(super) execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) rule_configuration_overrides: Vec<Override>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) tool_execution_notifications: Vec<Notification<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) tool_configuration_notifications: Vec<Notification<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Notification<'a> {
    pub(super) descriptor: DescriptorReference,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) associated_rule: Option<DescriptorReference>,
    pub(super) level: Level,
    pub(super) message: Message,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) locations: Vec<SarifLocation<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) properties: Option<&'a Suppression>,
}

#[derive(Serialize)]
pub(super) struct OriginalUriBaseIds {
    #[serde(rename = "%SRCROOT%")]
    pub(super) base: BaseLocation,
}

#[derive(Serialize)]
pub(super) struct BaseLocation {
    pub(super) description: Message,
}

#[derive(Serialize)]
pub(super) struct Artifact<'a> {
    pub(super) location: ArtifactLocation,
    pub(super) length: u64,
    pub(super) encoding: &'static str,
    pub(super) hashes: Hashes<'a>,
    pub(super) roles: [&'static str; 1],
    pub(super) properties: ArtifactProperties,
}

#[derive(Serialize)]
pub(super) struct Hashes<'a> {
    #[serde(rename = "sha-256")]
    pub(super) sha256: &'a str,
}

#[derive(Serialize)]
pub(super) struct ArtifactProperties {
    /// exlint's name of the encoding, which tells a byte-order mark apart.
    pub(super) encoding: &'static str,
    pub(super) entries: usize,
    /// `gzip` or `zip` when the input was decompressed: regions are then in the decompressed
    /// text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) compression: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SarifResult<'a> {
    pub(super) rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) rule_index: Option<usize>,
    pub(super) level: Level,
    pub(super) message: Message,
    pub(super) locations: [SarifLocation<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) related_locations: Vec<SarifLocation<'a>>,
    pub(super) partial_fingerprints: Fingerprints<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) suppressions: Vec<SarifSuppression<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) baseline_state: Option<BaselineState>,
    pub(super) properties: ResultProperties<'a>,
}

/// `partialFingerprints`: the finding's fingerprint; `v1` is the version of exlint's recipe.
#[derive(Serialize)]
pub(super) struct Fingerprints<'a> {
    #[serde(rename = "exlintFingerprint/v1")]
    pub(super) exlint: &'a str,
}

#[derive(Serialize)]
pub(super) struct ResultProperties<'a> {
    pub(super) severity: Severity,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) server: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) help: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SarifLocation<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) id: Option<usize>,
    pub(super) physical_location: PhysicalLocation<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) logical_locations: Vec<LogicalLocation<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) message: Option<Message>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) properties: Option<EvidenceProperties<'a>>,
}

#[derive(Serialize)]
pub(super) struct EvidenceProperties<'a> {
    /// The attribute as written (none when the evidence is the entry itself).
    pub(super) attribute: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) value: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct PhysicalLocation<'a> {
    pub(super) artifact_location: ArtifactLocation,
    pub(super) region: Region<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ArtifactLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) uri_base_id: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) description: Option<Message>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Region<'a> {
    pub(super) start_line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) start_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) end_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) snippet: Option<Snippet<'a>>,
}

/// An `artifactContent`: the text of a region, as the export has it.
#[derive(Serialize)]
pub(super) struct Snippet<'a> {
    pub(super) text: Cow<'a, str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct LogicalLocation<'a> {
    pub(super) name: String,
    pub(super) fully_qualified_name: &'a str,
    pub(super) kind: &'static str,
}

#[derive(Serialize)]
pub(super) struct SarifSuppression<'a> {
    pub(super) kind: &'static str,
    pub(super) status: &'static str,
    pub(super) justification: &'a str,
    /// The `[[suppress]]` entry: code, DN or fingerprint, reason, last day, where it is written.
    pub(super) properties: &'a Suppression,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RunProperties<'a> {
    /// When the report was made: `SOURCE_DATE_EPOCH` when set.
    pub(super) generated: &'a str,
    pub(super) catalogue_version: u32,
    /// Reported findings per exlint severity; suppressed ones are not counted.
    pub(super) summary: Summary,
    pub(super) suppressed: usize,
    /// With `--baseline`: findings it holds (not reported), and entries of it no longer found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) baseline: Option<BaselineOutcome>,
}
