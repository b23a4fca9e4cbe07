//! The whole catalogue on two whole exports, each checked with the configuration beside it:
//! `samples/contoso-full.ldf`, where every rule fires, and `samples/contoso-clean.ldf`, the same
//! two organizations with every problem fixed, where none fires and every rule is evaluated.
//! A new rule fails these tests until the full export holds an object that it reports and the
//! clean one holds what it needs to look at.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use exlint::config::ConfigFile;
use exlint::rules::RULES;
use exlint::settings::Settings;

const FULL: &str = "samples/contoso-full.ldf";
const FULL_CONFIG: &str = "samples/contoso-full.toml";
const CLEAN: &str = "samples/contoso-clean.ldf";
const CLEAN_CONFIG: &str = "samples/contoso-clean.toml";

/// Findings per code on the full export: one each, on the objects its header comment lists.
/// A change that moves a number here changes what the sample shows: update the header too.
const FULL_COUNTS: &[(&str, usize)] = &[
    ("SMTP001", 1),
    ("SMTP002", 1),
    ("SMTP003", 1),
    ("SMTP004", 1),
    ("SMTP005", 1),
    ("SMTP006", 1),
    ("SMTP007", 1),
    ("SMTP008", 1),
    ("SMTP009", 1),
    ("SMTP010", 1),
    ("SMTP011", 1),
    ("SMTP012", 1),
    ("SMTP013", 1),
    ("SMTP014", 1),
    ("SMTP015", 1),
    ("SMTP016", 1),
    ("SMTP017", 1),
    ("SMTP018", 1),
    ("SMTP019", 1),
    ("CONN001", 1),
    ("CONN002", 1),
    ("CONN003", 1),
    ("CONN004", 1),
    ("CONN005", 1),
    ("CONN006", 1),
    ("CONN007", 1),
    ("CONN008", 1),
    ("CONN009", 1),
    ("CONN010", 1),
    ("CONN011", 1),
    ("CONN012", 1),
    ("CONN013", 1),
    ("CONN014", 1),
    ("ROUTE001", 1),
    ("ROUTE002", 1),
    ("ROUTE003", 1),
    ("ROUTE004", 1),
    ("ROUTE005", 1),
    ("ROUTE006", 1),
    ("ROUTE007", 1),
    ("ORG001", 1),
    ("ORG002", 1),
    ("ORG003", 1),
    ("ORG004", 1),
    ("ORG005", 1),
    ("ORG006", 1),
    ("VER001", 1),
    ("VER002", 1),
];

/// The settings a configuration file gives, as `--config FILE` reads them.
fn settings(path: &str) -> Settings {
    let file = ConfigFile::find(Some(Path::new(path))).unwrap().unwrap();
    file.settings().unwrap_or_else(|error| panic!("{path}: {error}"))
}

fn codes_not_evaluated(run: &common::Run) -> Vec<String> {
    let not_evaluated = run.json["not_evaluated"].as_array().unwrap();
    not_evaluated.iter().map(|rule| format!("{}: {}", rule["code"], rule["reason"])).collect()
}

#[test]
fn every_rule_fires_on_the_full_export() {
    let run = common::check_with(&[FULL], &settings(FULL_CONFIG));
    let silent: Vec<&str> = RULES
        .iter()
        .map(|rule| rule.code)
        .filter(|code| run.findings.iter().all(|finding| finding.code != *code))
        .collect();
    assert!(silent.is_empty(), "{FULL} reports nothing for {silent:?}");
    assert_eq!(codes_not_evaluated(&run), Vec::<String>::new());
}

#[test]
fn the_full_export_is_read_without_a_reader_or_index_finding() {
    let run = common::check_with(&[FULL], &settings(FULL_CONFIG));
    let reader: Vec<String> = run
        .findings
        .iter()
        .filter(|finding| finding.code.starts_with("LDIF") || finding.code.starts_with("DIR"))
        .map(|finding| format!("{}: {}", finding.code, finding.message))
        .collect();
    assert_eq!(reader, Vec::<String>::new());
    assert_eq!(run.json["inputs"][0]["errors"], serde_json::json!([]));
    assert_eq!(run.entries, [137]);
}

#[test]
fn findings_per_code_on_the_full_export() {
    let run = common::check_with(&[FULL], &settings(FULL_CONFIG));
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for finding in &run.findings {
        *counts.entry(finding.code).or_default() += 1;
    }
    let expected: BTreeMap<&str, usize> = FULL_COUNTS.iter().copied().collect();
    assert_eq!(counts, expected);
    // What each finding says, in report order, one line each.
    let findings: Vec<String> = run.json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| {
            format!(
                "{:<8} {:>4}  {}",
                finding["code"].as_str().unwrap(),
                finding["line"],
                finding["message"].as_str().unwrap()
            )
        })
        .collect();
    insta::assert_snapshot!("contoso_full_findings", findings.join("\n"));
}

#[test]
fn the_full_export_says_what_fires_on_what() {
    // The header comment has a line per code naming the object that triggers it.
    let text = std::fs::read_to_string(FULL).unwrap();
    let header: Vec<&str> = text.lines().take_while(|line| line.starts_with('#')).collect();
    for rule in RULES {
        let prefix = format!("# {:<8} ", rule.code);
        assert!(
            header.iter().any(|line| line.starts_with(&prefix)),
            "{FULL}: the header names no object for {}",
            rule.code
        );
    }
}

#[test]
fn the_clean_export_reports_nothing_and_evaluates_every_rule() {
    // The clean export holds everything a rule needs to look at: virtual servers of Exchange
    // 2000/2003, receive connectors, mailbox and public folder stores, recipient policies,
    // Message Delivery and Transport Settings, Send connectors and routing group connectors;
    // its configuration names the gateways and the non-Exchange gateway. No rule is left
    // unevaluated, so none needs a reason here.
    let run = common::check_with(&[CLEAN], &settings(CLEAN_CONFIG));
    assert!(run.findings.is_empty(), "{CLEAN}:\n{}", run.human);
    assert_eq!(codes_not_evaluated(&run), Vec::<String>::new());
    assert_eq!(run.json["inputs"][0]["errors"], serde_json::json!([]));
    assert_eq!(run.entries, [138]);
}

#[test]
fn the_exports_are_shaped_like_ldifde_output() {
    for path in [FULL, CLEAN] {
        let bytes = std::fs::read(path).unwrap();
        let text = std::str::from_utf8(&bytes).unwrap();
        assert!(text.ends_with("\r\n"), "{path}");
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert!(lines.iter().all(|line| !line.contains('\n')), "{path}: every line ends with CRLF");
        let records: Vec<&[&str]> = lines
            .split(|line| line.is_empty())
            .filter(|record| record.first().is_some_and(|line| line.starts_with("dn: ")))
            .collect();
        // The first line after the `dn:` line and its continuations.
        let is_add =
            |record: &[&str]| record.iter().skip(1).find(|line| !line.starts_with(' ')) == Some(&"changetype: add");
        assert!(records.iter().all(|record| is_add(record)), "{path}: ldifde writes add records");
        assert!(
            lines.iter().filter(|line| !line.starts_with('#')).all(|line| line.len() <= 80),
            "{path}: ldifde folds lines at 80 columns"
        );
        assert!(lines.iter().any(|line| line.starts_with(' ')), "{path}: folded lines");
        for base64 in ["objectGUID:: ", "msExchServerBindings:: ", "msExchSmtpRelayIpList:: ", "adminDisplayName:: "] {
            assert!(lines.iter().any(|line| line.starts_with(base64)), "{path}: no `{base64}`");
        }
    }
}

fn exlint() -> Command {
    let mut command = Command::cargo_bin("exlint").unwrap();
    command.timeout(Duration::from_secs(60)).env("SOURCE_DATE_EPOCH", "1700000000");
    command
}

#[test]
fn the_command_line_fails_on_the_full_export_only() {
    exlint().args(["check", FULL, "--config", FULL_CONFIG]).assert().code(1);
    exlint().args(["check", CLEAN, "--config", CLEAN_CONFIG]).assert().code(0);
}

#[test]
fn the_exports_are_what_their_generator_writes() {
    let Some(python) = common::outside_tool(&["python3"], None, "Debian package `python3`") else { return };
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("generated-samples");
    std::fs::create_dir_all(&dir).unwrap();
    for variant in ["full", "clean"] {
        let written = dir.join(format!("contoso-{variant}.ldf"));
        let status = std::process::Command::new(&python)
            .arg("scripts/samples/contoso_full.py")
            .arg(variant)
            .arg(format!("scripts/samples/header-{variant}.txt"))
            .arg(&written)
            .status()
            .unwrap();
        assert!(status.success());
        assert!(
            std::fs::read(&written).unwrap() == std::fs::read(format!("samples/contoso-{variant}.ldf")).unwrap(),
            "samples/contoso-{variant}.ldf is not what scripts/samples/generate writes: edit the generator, then run it"
        );
    }
}
