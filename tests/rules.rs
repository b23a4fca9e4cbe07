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
