#![allow(clippy::print_stderr)] // a skipped test says so
//! The SARIF report (`--format sarif`) on the samples: snapshots, the same findings as the JSON
//! report one for one, and Microsoft's validator (`sarif-multitool validate`, npm package
//! `@microsoft/sarif-multitool`) with no error and no warning on every report.
//!
//! The validator test is skipped with a message when `sarif-multitool` is not on the PATH (or
//! named by `SARIF_MULTITOOL`), and fails instead when `EXLINT_REQUIRE_TOOLS=1`, as in CI.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use exlint::analysis::analyze;
use exlint::finding::Severity;
use exlint::provenance::Invocation;
use exlint::report::{json, sarif};
use exlint::settings::Settings;
use exlint::source::Source;
use exlint::suppression::{Baseline, Suppression};
use serde_json::Value;

const LDIFDE: &str = "samples/contoso.ldf";
const UTF16: &str = "samples/contoso-utf16.ldf";
const FILTERED: &str = "samples/contoso-filtered.ldif";
const MALFORMED: &str = "samples/LDIF002/fires.ldif";

/// One analysis written as SARIF and as JSON.
struct Reports {
    sarif_text: String,
    sarif: Value,
    json: Value,
}

fn reports(sources: &[Source], settings: &Settings) -> Reports {
    reports_of(sources, settings, &Invocation::default())
}

/// [`reports`], recording `invocation`.
fn reports_of(sources: &[Source], settings: &Settings, invocation: &Invocation) -> Reports {
    let analysis = analyze(sources, settings, invocation).expect("gateways name servers of the export");
    let mut sarif_out = Vec::new();
    sarif::write(&mut sarif_out, &analysis).unwrap();
    let mut json_out = Vec::new();
    json::write(&mut json_out, &analysis).unwrap();
    let sarif_text = String::from_utf8(sarif_out).unwrap();
    Reports {
        sarif: serde_json::from_str(&sarif_text).unwrap(),
        sarif_text,
        json: serde_json::from_slice(&json_out).unwrap(),
    }
}

fn open(paths: &[&str]) -> Vec<Source> {
    paths.iter().map(|path| Source::open(Path::new(path)).expect(path)).collect()
}

/// The codes `codes` select (so that snapshots do not change as the catalogue grows), with
/// `gateways`.
fn settings(codes: &[&str], gateways: &[&str]) -> Settings {
    let mut settings = Settings::default();
    settings.selection.select = codes.iter().map(|code| code.to_string()).collect();
    settings.options.gateways = gateways.iter().map(|gateway| gateway.to_string()).collect();
    settings
}

/// The Contoso export with EXMB01 as gateway (SMTP002 fires), two findings set aside by
/// `[[suppress]]` or a baseline, suppressions that match nothing or have expired, a severity
/// changed, and a command line at a fixed time.
fn reviewed() -> Settings {
    let mut settings = settings(&["SMTP001", "SMTP002"], &["EXMB01"]);
    let first = reports(&open(&[LDIFDE]), &settings);
    let fingerprint = |index: usize| first.json["findings"][index]["fingerprint"].as_str().unwrap().to_owned();
    let suppression =
        |line: usize, code: &str, dn: Option<&str>, fingerprint: Option<String>, expires: Option<&str>| Suppression {
            code: code.to_owned(),
            dn: dn.map(str::to_owned),
            fingerprint,
            reason: format!("accepted in change {line}"),
            expires: expires.map(str::to_owned),
            origin: format!("exlint.toml:{line}"),
        };
    settings.suppressions = vec![
        suppression(3, "SMTP002", None, Some(fingerprint(1)), Some("2030-01-31")),
        suppression(9, "SMTP001", Some("CN=Nowhere,CN=Servers"), None, None),
        suppression(
            15,
            "SMTP001",
            Some(
                "CN=1,CN=SMTP,CN=Protocols,CN=EXEU01,CN=Servers,CN=Europe Administrative Group,CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com",
            ),
            None,
            Some("2020-12-31"),
        ),
    ];
    // The baseline knows EXBH01's SMTP001 and a finding fixed since.
    let mut baseline: Baseline = serde_json::from_value(serde_json::json!({
        "exlint_baseline": 1,
        "findings": [{"fingerprint": "0123456789abcdef0123456789abcdef", "code": "SMTP001", "dn": null, "message": "fixed since"}]
    }))
    .unwrap();
    baseline.findings.push(
        serde_json::from_value(serde_json::json!({
            "fingerprint": fingerprint(0), "code": "SMTP001", "dn": null, "message": "known"
        }))
        .unwrap(),
    );
    settings.baseline = Some(baseline);
    settings.selection.severity.insert("SMTP001".to_owned(), Severity::Warning);
    settings
}

/// The command line of [`reviewed`], at a fixed time.
fn reviewed_invocation() -> Invocation {
    Invocation {
        arguments: ["exlint", "check", LDIFDE, "--gateway", "EXMB01", "--baseline", "known.json", "--format", "sarif"]
            .map(String::from)
            .to_vec(),
        time: SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        digest_cache: None,
    }
}

/// Every report the tests look at, by name.
fn samples() -> Vec<(&'static str, Reports)> {
    let stdin = std::fs::read("samples/SMTP001/fires.ldif").unwrap();
    let absolute = std::fs::canonicalize(FILTERED).unwrap();
    let absolute = Source::open(&absolute).unwrap();
    vec![
        (
            "contoso_gateway_exmb01",
            reports(&open(&[LDIFDE]), &settings(&["SMTP001", "SMTP002", "LDIF", "DIR"], &["EXMB01"])),
        ),
        ("contoso_utf16_gateway_exmb01", reports(&open(&[UTF16]), &settings(&["SMTP001", "SMTP002"], &["EXMB01"]))),
        (
            "contoso_filtered_gateway_exmb01",
            reports(&open(&[FILTERED]), &settings(&["SMTP001", "SMTP002"], &["EXMB01"])),
        ),
        ("contoso_reviewed", reports_of(&open(&[LDIFDE]), &reviewed(), &reviewed_invocation())),
        ("ldif002_malformed", reports(&open(&[MALFORMED]), &settings(&["LDIF002"], &[]))),
        (
            "stdin_and_absolute_path",
            reports(&[Source::from_bytes("<stdin>", stdin), absolute], &settings(&["SMTP001", "DIR"], &[])),
        ),
    ]
}

/// The snapshots: each sample's report whole. The stdin one has an absolute path in it, so it
/// is only validated.
#[test]
fn snapshots() {
    for (name, reports) in samples() {
        if name != "stdin_and_absolute_path" {
            insta::assert_snapshot!(format!("sarif_{name}"), reports.sarif_text);
        }
    }
}

/// Results are the JSON report's findings, then its suppressed findings, in the same order,
/// with the same codes, places and fingerprints.
#[test]
fn results_are_the_json_findings_one_for_one() {
    for (name, reports) in samples() {
        let run = &reports.sarif["runs"][0];
        let results = run["results"].as_array().unwrap();
        let findings = reports.json["findings"].as_array().unwrap();
        let suppressed = reports.json["suppressed"].as_array().unwrap();
        assert_eq!(results.len(), findings.len() + suppressed.len(), "{name}");
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        let artifacts = run["artifacts"].as_array().unwrap();
        for (index, (result, finding)) in results.iter().zip(findings.iter().chain(suppressed)).enumerate() {
            let context = format!("{name}: result {index}");
            assert_eq!(result["ruleId"], finding["code"], "{context}");
            assert_eq!(rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"], finding["code"], "{context}");
            assert_eq!(result["partialFingerprints"]["exlintFingerprint/v1"], finding["fingerprint"], "{context}");
            let level = match finding["severity"].as_str().unwrap() {
                "error" => "error",
                "warning" => "warning",
                _ => "note",
            };
            assert_eq!(result["level"], level, "{context}");
            assert_eq!(result["properties"]["severity"], finding["severity"], "{context}");
            let location = &result["locations"][0];
            assert_places(&location["physicalLocation"], finding, artifacts, &context);
            assert_eq!(location["logicalLocations"][0]["fullyQualifiedName"], finding["dn"], "{context}");
            let evidence = finding["evidence"].as_array().unwrap();
            let related = result["relatedLocations"].as_array().map(Vec::as_slice).unwrap_or_default();
            assert_eq!(related.len(), evidence.len(), "{context}");
            for (related, evidence) in related.iter().zip(evidence) {
                assert_places(&related["physicalLocation"], evidence, artifacts, &context);
                assert_eq!(related["logicalLocations"][0]["fullyQualifiedName"], evidence["dn"], "{context}");
            }
            let is_suppressed = index >= findings.len();
            assert_eq!(result["suppressions"].is_array(), is_suppressed, "{context}");
            if is_suppressed {
                assert_eq!(result["suppressions"][0]["justification"], finding["suppression"]["reason"], "{context}");
            }
        }
    }
}

/// A SARIF physical location points where a JSON `path`/`line`/`column` does; SARIF's end
/// column is the one after the last character.
fn assert_places(physical: &Value, place: &Value, artifacts: &[Value], context: &str) {
    let region = &physical["region"];
    assert_eq!(region["startLine"], place["line"], "{context}");
    assert_eq!(region["startColumn"], place["column"], "{context}");
    assert_eq!(region["endLine"], place["end_line"], "{context}");
    assert_eq!(region["endColumn"].as_u64(), place["end_column"].as_u64().map(|column| column + 1), "{context}");
    let artifact = &artifacts[physical["artifactLocation"]["index"].as_u64().unwrap() as usize];
    let path = place["path"].as_str().unwrap();
    match artifact["location"]["uri"].as_str() {
        Some(uri) if Path::new(path).is_absolute() => assert_eq!(uri, format!("file://{path}"), "{context}"),
        Some(uri) => assert_eq!(uri, path, "{context}"),
        None => assert_eq!(path, "<stdin>", "{context}"),
    }
}

#[test]
fn reviewed_findings_keep_their_state() {
    let reports = reports_of(&open(&[LDIFDE]), &reviewed(), &reviewed_invocation());
    let run = &reports.sarif["runs"][0];
    let results = run["results"].as_array().unwrap();
    // EXBH01's SMTP001 is in the baseline; SMTP002 is suppressed; EXEU01's SMTP001 is new, its
    // suppression expired.
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["ruleId"], "SMTP001");
    assert_eq!(results[0]["baselineState"], "new");
    assert_eq!(results[0]["level"], "warning", "exlint.toml made SMTP001 a warning");
    assert_eq!(results[1]["ruleId"], "SMTP002");
    assert_eq!(results[1]["suppressions"][0]["kind"], "external");
    assert_eq!(results[1]["suppressions"][0]["justification"], "accepted in change 3");
    assert_eq!(run["properties"]["baseline"], serde_json::json!({"known": 1, "fixed": 1}));
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["startTimeUtc"], "2023-11-14T22:13:20Z");
    assert_eq!(invocation["arguments"][0], "check");
    let notifications = invocation["toolConfigurationNotifications"].as_array().unwrap();
    let ids: Vec<&str> = notifications.iter().map(|n| n["descriptor"]["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["unused-suppression", "expired-suppression"]);
    assert_eq!(notifications[1]["locations"][0]["physicalLocation"]["region"]["startLine"], 15);
    let overrides = &invocation["ruleConfigurationOverrides"];
    assert_eq!(
        overrides,
        &serde_json::json!([{"descriptor": {"id": "SMTP001", "index": 0}, "configuration": {"level": "warning", "properties": {"severity": "warning"}}}])
    );
}

#[test]
fn rules_are_the_codes_selected_with_their_pages() {
    let reports = reports(&open(&[LDIFDE]), &settings(&[], &["EXMB01"]));
    let driver = &reports.sarif["runs"][0]["tool"]["driver"];
    let rules = driver["rules"].as_array().unwrap();
    let catalogue = exlint::catalogue::catalogue();
    assert_eq!(rules.len(), catalogue.len(), "with no selection, every code");
    for (rule, code) in rules.iter().zip(catalogue) {
        assert_eq!(rule["id"], code.code);
        assert_eq!(rule["shortDescription"]["text"], code.title);
        assert_eq!(rule["help"]["markdown"], code.page());
        let uri = format!("{}/blob/main/docs/rules/{}.md", env!("CARGO_PKG_REPOSITORY"), code.code);
        assert_eq!(rule["helpUri"], uri);
        assert!(Path::new(&format!("docs/rules/{}.md", code.code)).exists(), "{uri} is a page of the repository");
        assert!(!rule["fullDescription"]["text"].as_str().unwrap().is_empty(), "{}: What it finds", code.code);
    }
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(reports.sarif["runs"][0]["columnKind"], "unicodeCodePoints");
}

#[test]
fn utf16_export_reports_the_same_results() {
    let utf8 = reports(&open(&[LDIFDE]), &settings(&["SMTP001", "SMTP002"], &["EXMB01"]));
    let utf16 = reports(&open(&[UTF16]), &settings(&["SMTP001", "SMTP002"], &["EXMB01"]));
    let results = |reports: &Reports| {
        let text = reports.sarif["runs"][0]["results"].to_string();
        text.replace(UTF16, LDIFDE)
    };
    assert_eq!(results(&utf16), results(&utf8));
    let artifact = &utf16.sarif["runs"][0]["artifacts"][0];
    assert_eq!(artifact["encoding"], "UTF-16LE");
    assert_eq!(artifact["length"], std::fs::metadata(UTF16).unwrap().len());
    assert_eq!(artifact["hashes"]["sha-256"], utf16.json["provenance"]["inputs"][0]["sha256"]);
}

/// `exlint check --format sarif`: the same document whatever the thread count, at
/// `SOURCE_DATE_EPOCH`, with the command line; `--help` names the format.
#[test]
fn the_command_line_writes_sarif() {
    let run = |threads: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_exlint"))
            .env("RAYON_NUM_THREADS", threads)
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .args(["check", LDIFDE, FILTERED, "--gateway", "EXMB01", "--format", "sarif"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "SMTP002 is a warning");
        String::from_utf8(output.stdout).unwrap()
    };
    let text = run("1");
    assert_eq!(text, run("2"));
    let log: Value = serde_json::from_str(&text).unwrap();
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["startTimeUtc"], "2023-11-14T22:13:20Z");
    assert!(invocation["commandLine"].as_str().unwrap().ends_with("--gateway EXMB01 --format sarif"), "{invocation}");
    let uris: Vec<&str> = log["runs"][0]["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["location"]["uri"].as_str().unwrap())
        .collect();
    assert_eq!(uris, [LDIFDE, FILTERED]);
    let help = Command::new(env!("CARGO_BIN_EXE_exlint")).args(["check", "--help"]).output().unwrap();
    assert!(String::from_utf8(help.stdout).unwrap().contains("sarif"));
}

/// The validator's command: `SARIF_MULTITOOL`, or `sarif-multitool` on the PATH.
fn multitool() -> Option<PathBuf> {
    common::outside_tool(&["sarif-multitool"], Some("SARIF_MULTITOOL"), "npm install -g @microsoft/sarif-multitool")
}

#[test]
fn microsofts_validator_finds_no_error_or_warning() {
    let Some(multitool) = multitool() else { return };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sarif-validation");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut names = Vec::new();
    for (name, reports) in samples() {
        let file = format!("{name}.sarif");
        std::fs::write(dir.join(&file), &reports.sarif_text).unwrap();
        names.push(file);
    }
    // One run for all the reports: the validator takes seconds to start. The npm wrapper runs
    // it through a shell, so it is given plain names in its own folder.
    let output = Command::new(&multitool)
        .current_dir(&dir)
        .arg("validate")
        .args(&names)
        .args(["--output", "validation.sarif", "--log", "ForceOverwrite"])
        .output()
        .unwrap();
    let log = std::fs::read_to_string(dir.join("validation.sarif")).unwrap_or_else(|error| {
        panic!(
            "the validator wrote no log ({error}): {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let log: Value = serde_json::from_str(&log).unwrap();
    let mut problems = Vec::new();
    for run in log["runs"].as_array().unwrap() {
        for result in run["results"].as_array().unwrap() {
            // A result's level is `warning` when absent.
            let level = result["level"].as_str().unwrap_or("warning");
            if level == "error" || level == "warning" {
                let file = &result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
                problems.push(format!("{level} {} in {file}: {}", result["ruleId"], result["message"]));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(log["runs"][0]["invocations"][0]["executionSuccessful"], true, "{log}");
}
