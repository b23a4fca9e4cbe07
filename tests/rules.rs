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

/// The reason a code was not evaluated, if it was not.
fn not_evaluated(run: &common::Run, code: &str) -> Option<String> {
    run.json["not_evaluated"]
        .as_array()
        .unwrap()
        .iter()
        .find(|rule| rule["code"] == code)
        .map(|rule| rule["reason"].as_str().unwrap().to_owned())
}

fn count(run: &common::Run, code: &str) -> usize {
    run.findings.iter().filter(|finding| finding.code == code).count()
}

#[test]
fn conn001_is_not_evaluated_without_a_non_exchange_gateway() {
    let mut settings = common::sample_settings("CONN001");
    settings.options.non_exchange_gateways.clear();
    let run = common::check_with(&["samples/CONN001/fires.ldif"], &settings);
    assert_eq!(count(&run, "CONN001"), 0);
    let reason = not_evaluated(&run, "CONN001").expect("not evaluated");
    assert!(reason.contains("--non-exchange-gateway"), "{reason}");
}

#[test]
fn conn001_looks_at_the_gateways_connectors_or_at_all() {
    // The connector that sends to relay.isp.example is bridgeheaded on EXMB01.
    let path = "samples/CONN001/fires-other-bridgehead.ldif";
    let mut settings = common::sample_settings("CONN001");
    assert_eq!(count(&common::check_with(&[path], &settings), "CONN001"), 1, "gateway EXBH01");
    settings.options.gateways = vec!["exmb01".into()];
    assert_eq!(count(&common::check_with(&[path], &settings), "CONN001"), 0, "gateway EXMB01");
    settings.options.gateways.clear();
    assert_eq!(count(&common::check_with(&[path], &settings), "CONN001"), 0, "no gateway: any connector");
    // Without a gateway, the organization's connectors are judged together.
    let run = common::check_with(&["samples/CONN001/fires.ldif"], &settings);
    assert_eq!(count(&run, "CONN001"), 1);
    assert!(run.findings[0].message.starts_with("organization `Contoso`: "), "{}", run.findings[0].message);
    // Each host given must be named; an IP address matches with or without brackets.
    settings.options.non_exchange_gateways = vec!["relay.isp.example".into(), "192.0.2.25".into()];
    let run = common::check_with(&["samples/CONN001/clean-filtered.ldif"], &settings);
    assert_eq!(count(&run, "CONN001"), 0, "{}", run.human);
    settings.options.non_exchange_gateways.push("[192.0.2.26]".into());
    let run = common::check_with(&["samples/CONN001/clean-filtered.ldif"], &settings);
    assert_eq!(count(&run, "CONN001"), 1, "{}", run.human);
    assert!(run.findings[0].message.contains("`[192.0.2.26]`"), "{}", run.findings[0].message);
}

#[test]
fn conn003_needs_server_versions() {
    let run = common::check_with(&["samples/CONN003/clean-no-serial-number.ldif"], &common::sample_settings("CONN003"));
    let reason = not_evaluated(&run, "CONN003").expect("not evaluated");
    assert!(reason.contains("serialNumber"), "{reason}");
    let run = common::check_with(&["samples/CONN003/fires.ldif"], &common::sample_settings("CONN003"));
    assert_eq!(not_evaluated(&run, "CONN003"), None);
}

#[test]
fn conn004_limit_is_900_unless_set() {
    let mut settings = common::sample_settings("CONN004");
    settings.options.rule_options.clear();
    assert_eq!(count(&common::check_with(&["samples/CONN004/fires.ldif"], &settings), "CONN004"), 0);
    settings.options.rule_options.insert("CONN004", [("max-connectors", 2)].into());
    // The hidden per-server object is not counted: 3 connectors, over a limit of 2.
    let run = common::check_with(&["samples/CONN004/clean.ldif"], &settings);
    assert_eq!(count(&run, "CONN004"), 1);
    assert!(run.findings[0].message.contains("has 3 connectors"), "{}", run.findings[0].message);
}

#[test]
fn conn007_needs_a_send_connector() {
    let run = common::check_with(&["samples/CONN006/clean.ldif"], &common::sample_settings("CONN007"));
    let reason = not_evaluated(&run, "CONN007").expect("not evaluated");
    assert!(reason.contains("Send connector"), "{reason}");
}

#[test]
fn conn012_needs_to_know_a_routing_group() {
    // The SMTP002 sample's servers do not say their routing group.
    let run = common::check_with(&["samples/SMTP002/fires.ldif"], &common::sample_settings("CONN012"));
    let reason = not_evaluated(&run, "CONN012").expect("not evaluated");
    assert!(reason.contains("msExchHomeRoutingGroup"), "{reason}");
}
