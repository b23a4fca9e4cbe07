//! Every code of the catalogue on its samples: `samples/<CODE>/fires.ldif` reports it (the
//! human and JSON reports are snapshots), `samples/<CODE>/clean.ldif` does not, each with the
//! settings of `samples/<CODE>/exlint.toml` when the code needs options.

mod common;

use exlint::catalogue::catalogue;

#[test]
fn every_code_fires_on_its_sample() {
    for code in catalogue() {
        let path = format!("samples/{}/fires.ldif", code.code);
        let run = common::check_with(&[&path], &common::sample_settings(code.code));
        assert!(
            run.findings.iter().any(|finding| finding.code == code.code),
            "{path} does not report {}:\n{}",
            code.code,
            run.human
        );
        insta::assert_snapshot!(format!("{}_fires_human", code.code), run.human);
        insta::assert_snapshot!(format!("{}_fires_json", code.code), run.json_text);
    }
}

#[test]
fn no_code_fires_on_its_clean_sample() {
    for code in catalogue() {
        let path = format!("samples/{}/clean.ldif", code.code);
        let run = common::check_with(&[&path], &common::sample_settings(code.code));
        assert!(
            run.findings.iter().all(|finding| finding.code != code.code),
            "{path} reports {}:\n{}",
            code.code,
            run.human
        );
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
