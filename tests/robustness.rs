//! No input makes exlint panic: random exports built from Exchange-shaped fragments (and
//! random bytes among them), LDIF and csvde, go through the whole path, reports included.

use exlint::analysis::analyze;
use exlint::provenance::Invocation;
use exlint::report::{human, json};
use exlint::settings::Settings;
use exlint::source::Source;
use proptest::prelude::*;

const ORG: &str = "CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=x";

fn server_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("EXBH01".to_owned()),
        Just("exbh01".to_owned()),
        Just("Zürich".to_owned()),
        "[A-Za-z0-9 ,+\\\\=#é]{0,8}"
    ]
}

fn dn() -> impl Strategy<Value = String> {
    (server_name(), 0u8..6, "[0-9]{1,2}").prop_map(|(server, shape, instance)| {
        let servers = format!("CN={server},CN=Servers,CN=AG,{ORG}");
        match shape {
            0 => servers,
            1 => format!("CN={instance},CN=SMTP,CN=Protocols,{servers}"),
            2 => format!("CN=Conn {instance},CN=Connections,CN=RG,CN=Routing Groups,CN=AG,{ORG}"),
            3 => format!("CN=RG,CN=Routing Groups,CN=AG,{ORG}"),
            4 => format!("cn={instance}, cn=smtp,cn=protocols, cn={server} ,CN=Servers,CN=AG,{ORG}"),
            _ => format!("CN={instance}\\,{server},{ORG}"),
        }
    })
}

fn attribute() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        "[ -~]{0,30}",
        "(Local:)?(SMTP|X400|smtp)?:?[*a-z.;]{0,12};?[0-9a-z]{0,4}",
        "[0-9.]{0,10}:[0-9a-z]{0,6}:[a-z.]{0,8}",
        "Version [0-9]{1,2}\\.[0-9] \\(Build [0-9]{1,6}(\\.[0-9])?(: [A-Za-z ]{0,12})?\\)",
        dn(),
        proptest::collection::vec(any::<u8>(), 0..20).prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
    ];
    let name = prop_oneof![
        Just("objectClass"),
        Just("msExchServerBindings"),
        Just("routingList"),
        Just("msExchSourceBridgeheadServersDN"),
        Just("msExchTargetBridgeheadServersDN"),
        Just("msExchDestinationRGDN"),
        Just("msExchHomeRoutingGroup"),
        Just("msExchRoutingGroupMembersBL"),
        Just("msExchRoutingMasterDN"),
        Just("msExchSmtpSmartHost"),
        Just("serialNumber"),
        Just("objectCategory"),
        Just("adminDisplayName"),
        Just("cost"),
    ];
    let class = prop_oneof![
        Just("protocolCfgSMTPServer"),
        Just("msExchExchangeServer"),
        Just("msExchRoutingSMTPConnector"),
        Just("msExchRoutingGroupConnector"),
        Just("msExchRoutingGroup"),
        Just("msExchAdminGroup"),
        Just("msExchOrganizationContainer"),
    ];
    prop_oneof![
        class.prop_map(|class| format!("objectClass: {class}")),
        (name, value).prop_map(|(name, value)| format!("{name}: {value}")),
    ]
}

fn record() -> impl Strategy<Value = String> {
    let change = prop_oneof![
        Just(String::new()),
        Just("changetype: add\n".to_owned()),
        dn().prop_map(|superior| format!(
            "changetype: modrdn\nnewrdn: CN=Renamed é\ndeleteoldrdn: 1\nnewsuperior: {superior}\n"
        )),
        Just("changetype: delete\n".to_owned()),
        (attribute()).prop_map(|line| {
            let name = line.split(':').next().unwrap_or("cn").to_owned();
            format!("changetype: modify\nreplace: {name}\n{line}\n-\nincrement: cost\ncost: 2\n-\n")
        }),
    ];
    (dn(), change, proptest::collection::vec(attribute(), 0..8)).prop_map(|(dn, change, attributes)| {
        let body = if change.starts_with("changetype: add") || change.is_empty() {
            attributes.join("\n")
        } else {
            String::new()
        };
        format!("dn: {dn}\n{change}{body}\n")
    })
}

/// A csvde field: plain, quoted with doubled quotes and line ends, multi-valued, binary, or
/// broken.
fn csv_field() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -!#-+\\--~]{0,12}",
        "[ -~\r\n]{0,12}".prop_map(|text| format!("\"{}\"", text.replace('"', "\"\""))),
        dn().prop_map(|dn| format!("\"{dn}\"")),
        "(top|server|msExchSmtpVirtualServer)(;(top|server|msExchRoutingSMTPConnector)){0,3}",
        "(SMTP:\\*;1|:25:|X400:c=US;a= ;)(;SMTP:[a-z.]{0,6};[0-9]{1,2}){0,2}",
        "X'[0-9a-fz]{0,9}'",
        "\"[a-z,]{0,6}",
        "\"[a-z]{0,4}\"[a-z]{0,2}",
    ]
}

fn csv_row() -> impl Strategy<Value = String> {
    (dn(), proptest::collection::vec(csv_field(), 0..7))
        .prop_map(|(dn, fields)| std::iter::once(format!("\"{dn}\"")).chain(fields).collect::<Vec<_>>().join(","))
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::with_cases(256) })]

    #[test]
    fn the_whole_path_never_panics(
        records in proptest::collection::vec(record(), 1..12),
        noise in proptest::collection::vec(any::<u8>(), 0..40),
        noise_at in any::<prop::sample::Index>(),
        gateway in server_name(),
    ) {
        let mut text = records.join("\n").into_bytes();
        let at = noise_at.index(text.len() + 1);
        text.splice(at..at, noise);
        let sources = [Source::from_bytes("random.ldif", text)];
        for gateways in [vec![], vec![gateway]] {
            let mut settings = Settings::default();
            settings.options.gateways = gateways;
            let Ok(analysis) = analyze(&sources, &settings, &Invocation::default()) else { continue };
            let mut out = Vec::new();
            human::write(&mut out, &analysis, human::Style { color: true, width: 80 }).unwrap();
            json::write(&mut out, &analysis).unwrap();
        }
    }

    #[test]
    fn csvde_exports_never_panic(
        header in proptest::collection::vec("(objectClass|cn|msExchServerBindings|routingList|)", 0..6),
        rows in proptest::collection::vec(csv_row(), 0..10),
        noise in proptest::collection::vec(any::<u8>(), 0..20),
        noise_at in any::<prop::sample::Index>(),
        crlf in any::<bool>(),
    ) {
        let end = if crlf { "\r\n" } else { "\n" };
        let mut text = format!("DN,{}{end}{}", header.join(","), rows.join(end)).into_bytes();
        let at = noise_at.index(text.len() + 1);
        text.splice(at..at, noise);
        let sources = [Source::from_bytes("random.csv", text)];
        let analysis = analyze(&sources, &Settings::default(), &Invocation::default()).unwrap();
        for finding in &analysis.findings {
            prop_assert!(finding.location.span.end() <= sources[0].text().len());
        }
        let mut out = Vec::new();
        human::write(&mut out, &analysis, human::Style { color: true, width: 80 }).unwrap();
        json::write(&mut out, &analysis).unwrap();
    }
}
