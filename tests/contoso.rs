//! The Contoso samples end to end: the ldifde export, the same export in UTF-16LE
//! (`ldifde -u`), and an ldapsearch export filtered to virtual servers and connectors, with
//! the exact findings each must give.

mod common;

use std::path::Path;

use exlint::analysis::{analyze, index};
use exlint::exchange::Topology;
use exlint::ldif;
use exlint::provenance::Invocation;
use exlint::settings::Settings;
use exlint::source::{Encoding, Source};

const LDIFDE: &str = "samples/contoso.ldf";
const UTF16: &str = "samples/contoso-utf16.ldf";
const FILTERED: &str = "samples/contoso-filtered.ldif";

/// The checks of the foundation (SMTP001, SMTP002 and the reader's and index's LDIF and DIR
/// codes) on the Contoso samples; the whole catalogue is pinned on `samples/contoso-full.ldf`
/// and `samples/contoso-clean.ldf`.
fn check(paths: &[&str], gateways: &[&str]) -> common::Run {
    let mut settings = exlint::settings::Settings::default();
    settings.options.gateways = gateways.iter().map(|gateway| gateway.to_string()).collect();
    settings.selection.select = ["SMTP001", "SMTP002", "LDIF", "DIR"].map(String::from).to_vec();
    common::check_with(paths, &settings)
}

fn finding(code: &str, server: &str, line: u64) -> (String, Option<String>, u64) {
    (code.to_owned(), Some(server.to_owned()), line)
}

#[test]
fn ldifde_export_without_gateway() {
    let run = check(&[LDIFDE], &[]);
    assert_eq!(common::summary(&run), [finding("SMTP001", "EXBH01", 468), finding("SMTP001", "EXEU01", 763)]);
    assert_eq!(run.entries, [32]);
    assert_eq!(run.json["inputs"][0]["errors"], serde_json::json!([]));
    assert_eq!(run.json["not_evaluated"][0]["code"], "SMTP002");
    insta::assert_snapshot!("contoso_human", run.human);
}

#[test]
fn ldifde_export_with_gateways() {
    // EXBH01 is the Internet Mail connector's bridgehead; EXEU01 bridgeheads the Fabrikam
    // connector, whose `SMTP:fabrikam.com` address space counts as SMTP; EXMB01 sends through
    // no connector.
    for gateway in ["EXBH01", "exeu01"] {
        let run = check(&[LDIFDE], &[gateway]);
        assert_eq!(common::summary(&run), [finding("SMTP001", "EXBH01", 468), finding("SMTP001", "EXEU01", 763)]);
        assert_eq!(run.json["not_evaluated"], serde_json::json!([]));
    }
    let run = check(&[LDIFDE], &["EXMB01"]);
    assert_eq!(
        common::summary(&run),
        [finding("SMTP001", "EXBH01", 468), finding("SMTP002", "EXMB01", 485), finding("SMTP001", "EXEU01", 763)]
    );
    insta::assert_snapshot!("contoso_gateway_exmb01_json", run.json_text);
}

#[test]
fn utf16_export_reports_the_same_lines() {
    let utf8 = check(&[LDIFDE], &["EXMB01"]);
    let utf16 = check(&[UTF16], &["EXMB01"]);
    assert_eq!(common::summary(&utf16), common::summary(&utf8));
    assert_eq!(utf16.json["inputs"][0]["encoding"], "utf-16le");
    assert_eq!(utf16.json["findings"][1]["column"], utf8.json["findings"][1]["column"]);
    // The same report but for the provenance of the input: its size, encoding and digest.
    let without_inputs = |human: &str| -> Vec<String> {
        human.replace(UTF16, LDIFDE).lines().filter(|line| !line.contains(" sha256 ")).map(str::to_owned).collect()
    };
    assert_eq!(without_inputs(&utf16.human), without_inputs(&utf8.human));
    assert!(utf16.human.contains(&format!("{UTF16}: 68274 bytes, utf-16le, sha256 ")));
}

#[test]
fn utf16_sample_is_the_ldifde_sample_transcoded() {
    let utf8 = Source::open(Path::new(LDIFDE)).unwrap();
    let utf16 = Source::open(Path::new(UTF16)).unwrap();
    assert_eq!(utf16.encoding(), Encoding::Utf16Le);
    assert_eq!(utf16.text(), utf8.text());
    assert!(utf16.text().windows(2).any(|pair| pair == b"\r\n"), "ldifde writes CRLF");
}

#[test]
fn filtered_export_finds_servers_from_dns() {
    let run = check(&[FILTERED], &[]);
    assert_eq!(common::summary(&run), [finding("SMTP001", "EXBH01", 73), finding("SMTP001", "EXEU01", 154)]);
    assert_eq!(run.entries, [7]);
    // The Internet Mail connector names EXBH01's virtual server in other case and spacing.
    let run = check(&[FILTERED], &["EXBH01"]);
    assert_eq!(run.findings.iter().filter(|f| f.code == "SMTP002").count(), 0);
    // EXMB01 has no entry: the finding points at its virtual server.
    let run = check(&[FILTERED], &["EXMB01"]);
    assert_eq!(
        common::summary(&run),
        [finding("SMTP001", "EXBH01", 73), finding("SMTP002", "EXMB01", 91), finding("SMTP001", "EXEU01", 154)]
    );
    insta::assert_snapshot!("contoso_filtered_gateway_exmb01_human", run.human);
}

#[test]
fn filtered_sample_is_a_subset_of_the_ldifde_sample() {
    let dns = |path: &str| -> Vec<String> {
        let source = Source::open(Path::new(path)).unwrap();
        ldif::records(source.text()).map(|record| record.unwrap().dn.text.to_lowercase()).collect()
    };
    let all = dns(LDIFDE);
    let filtered = dns(FILTERED);
    assert_eq!(filtered.len(), 7);
    assert!(filtered.iter().all(|dn| all.contains(dn)));
}

#[test]
fn topology_of_the_ldifde_sample() {
    let sources = [Source::open(Path::new(LDIFDE)).unwrap()];
    let index = index(&sources, &|_| {});
    let topology = Topology::build(&index.directory);
    let names = |nodes: Vec<&str>| nodes.join(", ");
    assert_eq!(names(topology.organizations.iter().map(|o| o.node.name.as_str()).collect()), "Contoso");
    assert_eq!(
        names(topology.admin_groups.iter().map(|g| g.node.name.as_str()).collect()),
        "First Administrative Group, Europe Administrative Group"
    );
    assert_eq!(
        names(topology.routing_groups.iter().map(|g| g.node.name.as_str()).collect()),
        "First Routing Group, Europe Routing Group"
    );
    let exbh01 = topology.server_named("exbh01").unwrap();
    assert_eq!(
        exbh01.version.as_ref().unwrap().to_string(),
        "Exchange 2003 (version 6.5, build 7638.2, Service Pack 2)"
    );
    assert_eq!(topology.routing_groups[exbh01.routing_group.unwrap()].node.name, "First Routing Group");
    assert_eq!(topology.admin_groups[exbh01.admin_group.unwrap()].node.name, "First Administrative Group");
    let bindings: Vec<_> = topology.virtual_servers_of(exbh01).map(|vs| vs.bindings.len()).collect();
    assert_eq!(bindings, [1, 2]);
    assert_eq!(topology.smtp_connectors.len(), 2);
    assert_eq!(topology.smtp_connectors[0].address_spaces[0].text, "SMTP:*;1");
    let connector = &topology.routing_group_connectors[0];
    assert_eq!(connector.destination.as_ref().unwrap().name(), "Europe Routing Group");
    assert_eq!(topology.routing_groups[connector.routing_group.unwrap()].node.name, "First Routing Group");
    assert!(topology.servers.iter().all(|server| server.node.is_exported()));
}

#[test]
fn topology_of_the_filtered_sample_comes_from_dns() {
    let sources = [Source::open(Path::new(FILTERED)).unwrap()];
    let index = index(&sources, &|_| {});
    let topology = Topology::build(&index.directory);
    let servers: Vec<_> = topology.servers.iter().map(|server| server.name()).collect();
    assert_eq!(servers, ["EXBH01", "EXMB01", "EXEU01"]);
    assert!(topology.servers.iter().all(|server| !server.node.is_exported() && server.version.is_none()));
    let exeu01 = topology.server_named("EXEU01").unwrap();
    assert_eq!(topology.admin_groups[exeu01.admin_group.unwrap()].node.name, "Europe Administrative Group");
    assert!(topology.admin_groups.iter().all(|group| !group.node.is_exported()));
    assert_eq!(topology.organizations[0].node.name, "Contoso");
    assert_eq!(
        topology.routing_groups[topology.smtp_connectors[1].routing_group.unwrap()].node.name,
        "Europe Routing Group"
    );
}

#[test]
fn several_inputs_merge_and_overlaps_are_reported() {
    let run = check(&[LDIFDE, FILTERED], &[]);
    assert_eq!(run.entries, [32, 7]);
    let duplicates = run.findings.iter().filter(|f| f.code == "DIR001").count();
    assert_eq!(duplicates, 7, "every entry of the filtered export is already in the ldifde export");
    let rules: Vec<_> = common::summary(&run).into_iter().filter(|(code, ..)| code.starts_with("SMTP")).collect();
    assert_eq!(rules, [finding("SMTP001", "EXBH01", 468), finding("SMTP001", "EXEU01", 763)]);
}

#[test]
fn reports_do_not_depend_on_the_thread_count() {
    let render = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| {
            let sources = [Source::open(Path::new(LDIFDE)).unwrap(), Source::open(Path::new(FILTERED)).unwrap()];
            let mut settings = Settings::default();
            settings.options.gateways = vec!["EXMB01".into()];
            let analysis = analyze(&sources, &settings, &Invocation::default()).unwrap();
            let mut out = Vec::new();
            exlint::report::json::write(&mut out, &analysis).unwrap();
            out
        })
    };
    let one = render(1);
    assert_eq!(one, render(4));
    assert_eq!(one, render(7));
}

/// `(code, fingerprint)` of every finding, sorted.
fn fingerprints(run: &common::Run) -> Vec<(String, String)> {
    let mut fingerprints: Vec<_> =
        run.findings.iter().map(|finding| (finding.code.to_owned(), finding.fingerprint.clone())).collect();
    fingerprints.sort();
    fingerprints
}

#[test]
fn fingerprints_survive_reexports() {
    let original = check(&[LDIFDE], &["EXMB01"]);
    assert_eq!(fingerprints(&original).len(), 3);
    // The same directory exported again: LF line ends, a header that shifts every line, DNs in
    // other case and spacing, and the binding that SMTP001 keys on in base64.
    let text = std::fs::read_to_string(LDIFDE).unwrap();
    assert!(text.contains("msExchServerBindings: 10.0.1.25:25:\r\n"));
    let reexported = format!("# exported again\nversion: 1\n\n{}", text.replace("\r\n", "\n"))
        .replace("CN=Servers,", "cn=servers, ")
        .replace("msExchServerBindings: 10.0.1.25:25:\n", "msExchServerBindings:: MTAuMC4xLjI1OjI1Og==\n");
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("contoso-reexported.ldif");
    std::fs::write(&path, reexported).unwrap();
    let again = check(&[path.to_str().unwrap()], &["EXMB01"]);
    assert_ne!(common::summary(&again), common::summary(&original), "lines moved");
    assert_eq!(fingerprints(&again), fingerprints(&original));
    assert_eq!(fingerprints(&check(&[UTF16], &["EXMB01"])), fingerprints(&original));
    // A finding about another value is another finding.
    let changed = std::fs::read_to_string(&path).unwrap().replace(":: MTAuMC4xLjI1OjI1Og==", ": 10.0.1.26:25:");
    std::fs::write(&path, changed).unwrap();
    let changed = check(&[path.to_str().unwrap()], &["EXMB01"]);
    assert_eq!(fingerprints(&changed).len(), 3);
    assert_ne!(fingerprints(&changed), fingerprints(&original));
}
