//! Every code of the catalogue on its samples, with the settings of `samples/<CODE>/exlint.toml`
//! when the code needs options: every `fires*.ldif` reports the code (for `fires.ldif`, the
//! human and JSON reports are snapshots), every `clean*.ldif` does not. Edge cases of a rule
//! (DN case and spacing, base64 values, missing parents) are further `fires-*.ldif` and
//! `clean-*.ldif` files beside them.

mod common;

use exlint::catalogue::catalogue;

/// The sample files of a code that must (`fires`) or must not (`clean`) report it.
fn samples(code: &str, kind: &str) -> Vec<String> {
    let mut paths: Vec<String> = std::fs::read_dir(format!("samples/{code}"))
        .unwrap_or_else(|error| panic!("samples/{code}: {error}"))
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(kind) && name.ends_with(".ldif"))
        .map(|name| format!("samples/{code}/{name}"))
        .collect();
    paths.sort();
    paths
}

#[test]
fn every_code_fires_on_its_samples() {
    for code in catalogue() {
        let settings = common::sample_settings(code.code);
        for path in samples(code.code, "fires") {
            let run = common::check_with(&[&path], &settings);
            assert!(
                run.findings.iter().any(|finding| finding.code == code.code),
                "{path} does not report {}:\n{}",
                code.code,
                run.human
            );
            if path.ends_with("/fires.ldif") {
                insta::assert_snapshot!(format!("{}_fires_human", code.code), run.human);
                insta::assert_snapshot!(format!("{}_fires_json", code.code), run.json_text);
            }
        }
    }
}

#[test]
fn no_code_fires_on_its_clean_samples() {
    for code in catalogue() {
        let settings = common::sample_settings(code.code);
        for path in samples(code.code, "clean") {
            let run = common::check_with(&[&path], &settings);
            assert!(
                run.findings.iter().all(|finding| finding.code != code.code),
                "{path} reports {}:\n{}",
                code.code,
                run.human
            );
        }
    }
}

#[test]
fn smtp002_is_not_evaluated_without_a_gateway() {
    let run = common::check(&["samples/SMTP002/fires.ldif"], &[]);
    assert!(run.findings.iter().all(|finding| finding.code != "SMTP002"));
    let not_evaluated = &run.json["not_evaluated"][0];
    assert_eq!(not_evaluated["code"], "SMTP002");
    let reason = not_evaluated["reason"].as_str().unwrap();
    assert!(reason.contains("--gateway"), "{reason}");
    assert!(reason.contains("servers found: EXBH01, EXMB01"), "{reason}");
}

/// The codes found when only `select` runs on `path`, and the rules that could not look.
fn codes(path: &str, select: &[&str], options: &[(&'static str, &'static str, i64)]) -> (Vec<String>, Vec<String>) {
    let mut settings = exlint::settings::Settings::default();
    settings.selection.select = select.iter().map(|code| code.to_string()).collect();
    for &(code, name, value) in options {
        settings.options.rule_options.entry(code).or_default().insert(name, value);
    }
    let run = common::check_with(&[path], &settings);
    let found = run.findings.iter().map(|finding| finding.code.to_owned()).collect();
    let reasons = run.json["not_evaluated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|rule| format!("{}: {}", rule["code"].as_str().unwrap(), rule["reason"].as_str().unwrap()))
        .collect();
    (found, reasons)
}

#[test]
fn org006_thresholds_are_options() {
    let too_high = "samples/ORG006/fires-too-high.ldif";
    assert_eq!(codes(too_high, &["ORG006"], &[]).0, ["ORG006", "ORG006"]);
    assert!(codes(too_high, &["ORG006"], &[("ORG006", "max-size-kb", 204800)]).0.is_empty());
    let too_low = "samples/ORG006/fires-too-low.ldif";
    assert!(codes(too_low, &["ORG006"], &[("ORG006", "min-size-kb", 512)]).0.is_empty());
    let recipients = "samples/ORG006/fires-recipients.ldif";
    assert!(codes(recipients, &["ORG006"], &[("ORG006", "max-recipients", 10000)]).0.is_empty());
    // Raising the floor makes the defaults too low.
    assert_eq!(codes("samples/ORG006/clean.ldif", &["ORG006"], &[("ORG006", "min-size-kb", 20480)]).0.len(), 2);
}

#[test]
fn a_routing_group_master_is_reported_once() {
    let route = ["ROUTE002", "ROUTE003", "ROUTE007"];
    assert_eq!(codes("samples/ROUTE003/fires.ldif", &route, &[]).0, ["ROUTE003"]);
    assert_eq!(codes("samples/ROUTE002/fires-dangling.ldif", &route, &[]).0, ["ROUTE002"]);
    assert_eq!(codes("samples/ROUTE007/clean-routing-master.ldif", &route, &[]).0, ["ROUTE003"]);
}

#[test]
fn rules_say_what_the_export_lacks() {
    let reasons = |path, code| codes(path, &[code], &[]).1;
    // Message Delivery without information stores: public folder stores cannot be counted.
    let stores = reasons("samples/ORG001/fires.ldif", "ORG005");
    assert_eq!(stores.len(), 1);
    assert!(stores[0].contains("`msExchPublicMDB`"), "{stores:?}");
    // Groups without their containers: the export does not show what an administrative group holds.
    let containers = reasons("samples/ROUTE004/clean-filtered.ldif", "ROUTE004");
    assert!(containers[0].contains("`CN=Routing Groups`"), "{containers:?}");
    // Only the Exchange 2007 routing group, which has no master to judge.
    let legacy = reasons("samples/ROUTE002/clean-exchange-2007.ldif", "ROUTE002");
    assert!(legacy[0].contains("of Exchange 2000/2003"), "{legacy:?}");
    // Limits but no server.
    for code in ["VER001", "VER002", "ROUTE006"] {
        let versions = reasons("samples/ORG001/fires.ldif", code);
        assert!(versions[0].contains("`serialNumber`"), "{versions:?}");
    }
    let transport = reasons("samples/ORG001/fires.ldif", "ORG006");
    assert!(transport[0].contains("`CN=Transport Settings"), "{transport:?}");
    // An export of connectors alone is evaluated, and holds nothing dangling.
    assert_eq!(codes("samples/contoso-filtered.ldif", &["ROUTE007"], &[]), (vec![], vec![]));
}
