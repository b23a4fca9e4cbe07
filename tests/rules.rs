//! Every code of the catalogue on its samples, with the settings of `samples/<CODE>/exlint.toml`
//! when the code needs options: every `fires*.ldif` reports the code (for `fires.ldif`, the
//! human and JSON reports are snapshots), every `clean*.ldif` does not; the csvde reader's
//! codes have `fires*.csv` and `clean*.csv` instead. Edge cases of a rule
//! (DN case and spacing, base64 values, missing parents) are further `fires-*.ldif` and
//! `clean-*.ldif` files beside them.

mod common;

use exlint::catalogue::catalogue;

/// The sample files of a code that must (`fires`) or must not (`clean`) report it.
fn samples(code: &str, kind: &str) -> Vec<String> {
    let mut paths: Vec<String> = std::fs::read_dir(format!("samples/{code}"))
        .unwrap_or_else(|error| panic!("samples/{code}: {error}"))
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(kind) && (name.ends_with(".ldif") || name.ends_with(".csv")))
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
                !run.human.contains("Failed to read contents"),
                "{path}: miette could not show a label:\n{}",
                run.human
            );
            assert!(
                run.findings.iter().any(|finding| finding.code == code.code),
                "{path} does not report {}:\n{}",
                code.code,
                run.human
            );
            if path.ends_with("/fires.ldif") || path.ends_with("/fires.csv") {
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

/// How many findings of `code` a run reported.
fn count(run: &common::Run, code: &str) -> usize {
    run.findings.iter().filter(|finding| finding.code == code).count()
}

/// Why `code` was not evaluated, if it was not.
fn not_evaluated(run: &common::Run, code: &str) -> Option<String> {
    run.json["not_evaluated"]
        .as_array()
        .unwrap()
        .iter()
        .find(|rule| rule["code"] == code)
        .map(|rule| rule["reason"].as_str().unwrap().to_owned())
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
fn smtp008_compares_with_its_option() {
    let mut settings = common::sample_settings("SMTP008");
    settings.options.rule_options.insert("SMTP008", [("min-recipients", 100)].into());
    assert_eq!(count(&common::check_with(&["samples/SMTP008/fires.ldif"], &settings), "SMTP008"), 0, "200 >= 100");
    settings.options.rule_options.insert("SMTP008", [("min-recipients", 300)].into());
    assert_eq!(count(&common::check_with(&["samples/SMTP008/clean-at-limit.ldif"], &settings), "SMTP008"), 1);
}

#[test]
fn smtp010_takes_the_small_business_server_default_with_sbs() {
    let mut settings = common::sample_settings("SMTP010");
    settings.options.small_business_server = true;
    let run = common::check_with(&["samples/SMTP010/clean.ldif"], &settings);
    assert_eq!(count(&run, "SMTP010"), 1, "100 is not Small Business Server's default");
    assert!(run.human.contains("the default on Small Business Server (`--sbs`) is 10"), "{}", run.human);
    assert_eq!(count(&common::check_with(&["samples/SMTP010/fires-sbs-default.ldif"], &settings), "SMTP010"), 0);
}

#[test]
fn smtp013_tells_internal_servers_by_mailbox_stores_and_gateways() {
    let mut settings = common::sample_settings("SMTP013");
    settings.options.gateways = vec!["exmb01".to_owned()];
    let run = common::check_with(&["samples/SMTP013/fires.ldif"], &settings);
    assert_eq!(count(&run, "SMTP013"), 0, "a gateway is not internal:\n{}", run.human);

    // Without mailbox stores in the export, the rule says why it cannot tell.
    let settings = common::sample_settings("SMTP013");
    let run = common::check_with(&["samples/SMTP014/fires.ldif"], &settings);
    let reason = not_evaluated(&run, "SMTP013").expect("not evaluated");
    assert!(reason.contains("msExchPrivateMDB") && reason.contains("min-mailbox-stores = 0"), "{reason}");

    // ... unless the user counts every server that is not a gateway.
    let mut settings = common::sample_settings("SMTP013");
    settings.options.rule_options.insert("SMTP013", [("min-mailbox-stores", 0)].into());
    let run = common::check_with(&["samples/SMTP013/clean-no-mailbox-store.ldif"], &settings);
    assert_eq!(common::summary(&run), [("SMTP013".to_owned(), Some("EXBH01".to_owned()), 36)]);
    let run = common::check_with(&["samples/SMTP014/fires.ldif"], &settings);
    assert_eq!(not_evaluated(&run, "SMTP013"), None);
}

#[test]
fn sbs_exempts_the_authentication_and_queue_checks() {
    for (code, sample) in [
        ("SMTP013", "samples/SMTP013/fires.ldif"),
        ("SMTP014", "samples/SMTP014/fires.ldif"),
        ("SMTP016", "samples/SMTP016/fires.ldif"),
    ] {
        let mut settings = common::sample_settings(code);
        settings.options.small_business_server = true;
        let run = common::check_with(&[sample], &settings);
        assert_eq!(count(&run, code), 0, "{code}:\n{}", run.human);
        let reason = not_evaluated(&run, code).unwrap_or_else(|| panic!("{code} evaluated"));
        assert!(reason.contains("`--sbs`"), "{code}: {reason}");
    }
}

#[test]
fn smtp016_takes_the_system_drive_given() {
    let mut settings = common::sample_settings("SMTP016");
    settings.options.system_drive = "D:".to_owned();
    assert_eq!(count(&common::check_with(&["samples/SMTP016/fires.ldif"], &settings), "SMTP016"), 0);
    let run = common::check_with(&["samples/SMTP016/clean.ldif"], &settings);
    assert_eq!(count(&run, "SMTP016"), 1);
    assert!(run.human.contains("is on the system drive `D:`"), "{}", run.human);
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

#[test]
fn virtual_server_rules_say_what_the_export_lacks() {
    // A filtered export of one virtual server: no server entry with a DNS name, no recipient
    // policy, no receive connector.
    let run = common::check(&["samples/SMTP004/fires-filtered.ldif"], &[]);
    let reason = |code| not_evaluated(&run, code).unwrap_or_else(|| panic!("{code} evaluated"));
    assert!(reason("SMTP017").contains("`ncacn_ip_tcp:`") && reason("SMTP017").contains("servers found: exeu01"));
    assert!(reason("ROUTE001").contains("msExchRecipientPolicy"));
    assert!(reason("SMTP019").contains("msExchSmtpReceiveConnector"));
    for code in ["SMTP004", "SMTP007", "SMTP018"] {
        assert_eq!(not_evaluated(&run, code), None, "{code} needs only virtual servers");
    }
}

#[test]
fn smtp007_says_when_the_version_is_unknown() {
    let settings = common::sample_settings("SMTP007");
    let run = common::check_with(&["samples/SMTP007/fires-filtered.ldif"], &settings);
    assert!(run.findings[0].message.ends_with("the export does not tell the server's version"), "{}", run.human);
    let run = common::check_with(&["samples/SMTP007/fires-no-serial-number.ldif"], &settings);
    let notes: Vec<&str> = run.findings[0].evidence.iter().map(|evidence| evidence.note.as_str()).collect();
    assert!(notes.contains(&"no `serialNumber`: the server's version is unknown"), "{notes:?}");
}
