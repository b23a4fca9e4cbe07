//! The human, JSON and Markdown reports and the topology graphs (DOT, Mermaid) on the Contoso
//! samples (the ldifde export, its UTF-16 twin, the filtered ldapsearch export, and a run with
//! suppressions and a baseline): snapshots of each, the same findings, fingerprints and
//! provenance in each, and the DOT graph read back by Graphviz when it is installed (required
//! with `EXLINT_REQUIRE_TOOLS=1`). SARIF and HTML have their own files.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use exlint::report::{dot, human, json, markdown, mermaid};
use exlint::settings::Settings;
use exlint::suppression::{Baseline, Suppression};

const LDIFDE: &str = "samples/contoso.ldf";
const UTF16: &str = "samples/contoso-utf16.ldf";
const FILTERED: &str = "samples/contoso-filtered.ldif";

fn settings() -> Settings {
    let mut settings = Settings::default();
    settings.options.gateways = vec!["EXMB01".into()];
    settings
}

/// Settings that set two findings aside: one by suppression (and one suppression that matches
/// nothing), one by baseline.
fn reviewed_settings() -> Settings {
    let run = common::check_with(&[LDIFDE], &settings());
    let by_code = |code: &str| run.findings.iter().find(|finding| finding.code == code).unwrap();
    let mut settings = settings();
    settings.suppressions = vec![
        Suppression {
            code: "SMTP001".into(),
            dn: by_code("SMTP001").dn.clone(),
            fingerprint: None,
            reason: "the partner relay | listens on *2525* by contract".into(),
            expires: Some("2099-12-31".into()),
            origin: "exlint.toml:4".into(),
        },
        Suppression {
            code: "SMTP003".into(),
            dn: Some("CN=nowhere".into()),
            fingerprint: None,
            reason: "stale".into(),
            expires: None,
            origin: "exlint.toml:10".into(),
        },
    ];
    settings.baseline = Some(Baseline::of(std::slice::from_ref(by_code("SMTP002"))));
    settings
}

fn cases() -> Vec<(&'static str, &'static str, Settings)> {
    vec![
        ("contoso", LDIFDE, settings()),
        ("utf16", UTF16, settings()),
        ("filtered", FILTERED, settings()),
        ("reviewed", LDIFDE, reviewed_settings()),
    ]
}

fn human(out: &mut dyn Write, analysis: &exlint::analysis::Analysis<'_>) -> std::io::Result<()> {
    human::write(out, analysis, human::Style { color: false, width: 100 })
}

#[test]
fn human_and_json_reports() {
    for (name, path, settings) in cases() {
        let human = common::render(&[path], &settings, human);
        let json_text = common::render(&[path], &settings, json::write);
        let json: serde_json::Value = serde_json::from_str(&json_text).unwrap();
        for finding in json["findings"].as_array().unwrap() {
            assert!(human.contains(finding["fingerprint"].as_str().unwrap()), "{name}");
        }
        assert!(human.contains(json["provenance"]["inputs"][0]["sha256"].as_str().unwrap()), "{name}");
        insta::assert_snapshot!(format!("human_{name}"), human);
        insta::assert_snapshot!(format!("json_{name}"), json_text);
    }
}

#[test]
fn markdown_reports() {
    for (name, path, settings) in cases() {
        let report = common::render(&[path], &settings, markdown::write);
        insta::assert_snapshot!(format!("markdown_{name}"), report);
        let json = common::check_with(&[path], &settings).json;
        for finding in json["findings"].as_array().unwrap().iter().chain(json["suppressed"].as_array().unwrap()) {
            let fingerprint = finding["fingerprint"].as_str().unwrap();
            assert!(report.contains(fingerprint), "{name}: {fingerprint} is missing");
        }
        for input in json["provenance"]["inputs"].as_array().unwrap() {
            assert!(report.contains(input["sha256"].as_str().unwrap()), "{name}: provenance");
        }
    }
    let reviewed = common::render(&[LDIFDE], &reviewed_settings(), markdown::write);
    assert!(reviewed.contains(r"the partner relay \| listens on \*2525\* by contract"), "{reviewed}");
    assert!(reviewed.contains("## Stale suppressions"), "{reviewed}");
    assert!(reviewed.contains("1 known from the baseline, not shown"), "{reviewed}");
}

#[test]
fn topology_graphs() {
    for (name, path, settings) in cases() {
        let graph = common::render(&[path], &settings, dot::write);
        insta::assert_snapshot!(format!("dot_{name}"), graph);
        insta::assert_snapshot!(format!("mermaid_{name}"), common::render(&[path], &settings, mermaid::write));
        // Every reported finding is about an object the graph draws.
        let counted: usize = graph
            .split("\\l")
            .filter_map(|line| line.split_once(" finding").and_then(|(count, _)| count.parse::<usize>().ok()))
            .sum();
        let run = common::check_with(&[path], &settings);
        assert_eq!(counted, run.findings.len(), "{name}");
        let mermaid = common::render(&[path], &settings, mermaid::write);
        for finding in &run.findings {
            assert!(graph.contains(&finding.fingerprint) && mermaid.contains(&finding.fingerprint), "{name}");
        }
        let sha256 = run.json["provenance"]["inputs"][0]["sha256"].as_str().unwrap();
        assert!(graph.contains(sha256) && mermaid.contains(sha256), "{name}: provenance");
    }
}

#[test]
fn graphviz_reads_the_dot_graph() {
    let Some(dot) = common::outside_tool(&["dot"], None, "Debian package `graphviz`") else { return };
    for (name, path, settings) in cases() {
        let graph = common::render(&[path], &settings, dot::write);
        let mut child = Command::new(&dot)
            .args(["-Tsvg"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(graph.as_bytes()).unwrap();
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success() && stderr.is_empty(), "{name}: {stderr}");
        assert!(String::from_utf8_lossy(&output.stdout).contains("server EXBH01"), "{name}");
    }
}
