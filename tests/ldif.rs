//! The LDIF reader on input shaped like real exports: folding, base64, line ends, byte-order
//! marks, comments, change records, exporter blocks, and malformed records that must be
//! reported where they are while the rest is still read.

use std::path::Path;

use exlint::ldif::{self, Body, ChangeType, ErrorKind, Record, Records, ValueForm};
use exlint::source::{Encoding, Source};
use proptest::prelude::*;

/// Records and errors of a text, as `(line, column)` of each error.
fn read(text: &[u8]) -> (Source, Vec<String>, Vec<(ErrorKind, usize, usize)>) {
    let source = Source::from_bytes("test.ldif", text.to_vec());
    let mut dns = Vec::new();
    let mut errors = Vec::new();
    for item in ldif::records(source.text()) {
        match item {
            Ok(record) => dns.push(record.dn.text.into_owned()),
            Err(error) => {
                let position = source.position(error.span.start);
                errors.push((error.kind, position.line, position.column));
            }
        }
    }
    (source, dns, errors)
}

fn only_record(source: &Source) -> Record<'_> {
    let mut records = ldif::records(source.text());
    let record = records.next().expect("a record").expect("valid");
    assert!(records.next().is_none());
    record
}

fn values(record: &Record<'_>, name: &str) -> Vec<String> {
    record.attributes().unwrap().iter().filter(|a| a.is(name)).map(|a| a.value.text().into_owned()).collect()
}

#[test]
fn folded_dn_and_base64_value_with_crlf() {
    let text = b"dn: CN=1,CN=SMTP,CN=Protocols,CN=EXBH01,CN=Servers,CN=First Administrative Gro\r\n up,O=Contoso\r\nmsExchSmtpRelayIpList:: GAAAgCAAAIA8AACARAAAgAEAAABMAAAAAAAAAAAAAAABAAAAAQAAAAIAAAAC\r\n AAAABAAAAAAAAABMAACAAAAAAAAAAAAAAAAAAAAAAP////9/AAAB\r\n";
    let source = Source::from_bytes("t", text.to_vec());
    let record = only_record(&source);
    assert_eq!(
        record.dn.text,
        "CN=1,CN=SMTP,CN=Protocols,CN=EXBH01,CN=Servers,CN=First Administrative Group,O=Contoso"
    );
    let relay = &record.attributes().unwrap()[0];
    assert_eq!(relay.value.form(), ValueForm::Base64);
    let bytes = relay.value.bytes();
    assert_eq!(bytes.len(), 84);
    assert_eq!(&bytes[80..], [127, 0, 0, 1]);
    // The span covers the raw lines, both of them.
    assert_eq!(source.position(relay.span.start).line, 3);
    assert_eq!(source.end_position(relay.span).line, 4);
    assert!(source.text()[relay.value.span.start..relay.value.span.end()].starts_with(b"GAAAgCAA"));
}

#[test]
fn a_leading_colon_is_read_from_base64_and_from_plain_text() {
    let source = Source::from_bytes("t", b"dn: CN=1,O=x\nmsExchServerBindings:: OjI1Og==\nmsExchServerBindings: :2525:\nmsExchServerBindings:10.0.1.25:25:\n".to_vec());
    let record = only_record(&source);
    assert_eq!(values(&record, "msexchserverbindings"), [":25:", ":2525:", "10.0.1.25:25:"]);
}

#[test]
fn line_ends_byte_order_marks_and_encodings() {
    let body = "dn: CN=Zürich,O=x\r\ncn: Zürich\ndescription: folded\r\n  value\n\ndn: CN=b,O=x\r\ncn: b";
    for (bytes, encoding) in [
        (body.as_bytes().to_vec(), Encoding::Utf8),
        ([b"\xEF\xBB\xBF".as_slice(), body.as_bytes()].concat(), Encoding::Utf8Bom),
        (
            [&[0xFF, 0xFE][..], &body.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<_>>()].concat(),
            Encoding::Utf16Le,
        ),
        (
            [&[0xFE, 0xFF][..], &body.encode_utf16().flat_map(u16::to_be_bytes).collect::<Vec<_>>()].concat(),
            Encoding::Utf16Be,
        ),
        (body.encode_utf16().flat_map(u16::to_le_bytes).collect(), Encoding::Utf16LeUnmarked),
    ] {
        let source = Source::from_bytes("t", bytes);
        assert_eq!(source.encoding(), encoding);
        let records: Vec<_> = ldif::records(source.text()).map(Result::unwrap).collect();
        assert_eq!(records.len(), 2, "{encoding}");
        assert_eq!(records[0].dn.text, "CN=Zürich,O=x");
        assert_eq!(values(&records[0], "description"), ["folded value"], "{encoding}");
        assert_eq!(values(&records[1], "cn"), ["b"], "{encoding}: no final newline");
        // Line and column mean the same whatever the encoding.
        let cn = &records[0].attributes().unwrap()[0];
        assert_eq!(source.position(cn.value.span.start).to_string(), "2:5");
    }
}

#[test]
fn comments_blank_lines_and_whitespace_lines() {
    let text = b"\n\n# header comment\n#  folded onto\n  a second line\n\n# before the record\ndn: CN=a,O=x\n# inside\ncn: a\n#\xFF\xFE not UTF-8 in a comment\ndescription: # is data here\n\n\n \n\ndn: CN=b,O=x\ncn: b\n\n\n";
    let (source, dns, errors) = read(text);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(dns, ["CN=a,O=x", "CN=b,O=x"]);
    let record = ldif::records(source.text()).next().unwrap().unwrap();
    assert_eq!(values(&record, "description"), ["# is data here"]);
}

#[test]
fn version_line_opens_the_file_only() {
    assert_eq!(read(b"# comment\n\nversion: 1\ndn: CN=a,O=x\ncn: a\n").2, []);
    assert_eq!(read(b"version: 2\ndn: CN=a,O=x\ncn: a\n").2, [(ErrorKind::MisplacedVersion, 1, 10)]);
    let (_, dns, errors) = read(b"dn: CN=a,O=x\ncn: a\n\nversion: 1\ndn: CN=b,O=x\ncn: b\n");
    assert_eq!(errors, [(ErrorKind::MisplacedVersion, 4, 1)]);
    assert_eq!(dns, ["CN=a,O=x", "CN=b,O=x"]);
}

#[test]
fn change_records_are_kept() {
    let text = b"DN: CN=a,O=x\nChangeType: Add\ncn: a\n\ndn: CN=a,O=x\ncontrol: 1.2.840.113556.1.4.1413 false:: MAMCAQE=\nchangetype: Modify\nadd: description\ndescription: one\n-\nreplace: cn\ncn: b\n\ndn: CN=b,O=x\nchangetype: modrdn\nnewrdn:: Q049TsO8ZXI=\ndeleteoldrdn: 1\nnewsuperior: O=y\n\ndn: CN=c,O=x\nchangetype: delete\n\ndn: CN=Some-Class,CN=Schema,DC=X\nchangetype: ntdsSchemaModify\nreplace: isDefunct\nisDefunct: TRUE\n";
    let source = Source::from_bytes("t", text.to_vec());
    let records: Vec<_> = ldif::records(source.text()).map(Result::unwrap).collect();
    let changes: Vec<_> = records.iter().map(|record| record.change).collect();
    assert_eq!(
        changes,
        [
            Some(ChangeType::Add),
            Some(ChangeType::Modify),
            Some(ChangeType::ModRdn),
            Some(ChangeType::Delete),
            Some(ChangeType::NtdsSchemaModify)
        ]
    );
    assert_eq!(values(&records[0], "cn"), ["a"]);
    assert_eq!(records[1].controls[0].oid, "1.2.840.113556.1.4.1413");
    assert_eq!(records[1].controls[0].critical, Some(false));
    let Body::Modify(modifications) = &records[1].body else { panic!("modify") };
    assert_eq!(modifications.len(), 2);
    assert_eq!(modifications[1].values[0].value.text(), "b");
    let Body::Rename { new_rdn, delete_old_rdn, new_superior } = &records[2].body else { panic!("rename") };
    assert_eq!((new_rdn.text().as_ref(), *delete_old_rdn), ("CN=Nüer", true));
    assert_eq!(new_superior.as_ref().unwrap().text(), "O=y");
}

#[test]
fn exporter_blocks_are_neither_entries_nor_errors() {
    let text = b"# extended LDIF\n#\n\n# a, x\ndn: CN=a,O=x\ncn: a\n\n# search reference\nref: ldap://x/DC=DomainDnsZones,DC=x\n\n# search result\nsearch: 2\nresult: 0 Success\ncontrol: 1.2.840.113556.1.4.319 false MA0CAQAECAMAAAAAAAAA\npagedresults: cookie=AwAAAAAAAAA=\n# extended LDIF\n\n# record 2\ndn: CN=b,O=x\ncn: b\n\n# Referral\nref: ldap:///CN=Configuration,DC=x\n\n# returned 3 records\n# 2 entries\n# 1 referrals\n";
    let mut records = Records::new(text, 0..text.len());
    let dns: Vec<_> = records.by_ref().map(|record| record.unwrap().dn.text.into_owned()).collect();
    assert_eq!(dns, ["CN=a,O=x", "CN=b,O=x"]);
    assert_eq!(records.tally().exporter_blocks, 3);
}

#[test]
fn url_values_are_kept_as_references_and_never_read() {
    let dir = std::env::temp_dir().join(format!("exlint-url-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let secret = dir.join("secret.txt");
    std::fs::write(&secret, "TOP SECRET CONTENT").unwrap();
    let url = format!("file://{}", secret.display());
    let source = Source::from_bytes("t", format!("dn: CN=a,O=x\njpegPhoto:< {url}\n").into_bytes());
    let mut items = ldif::records(source.text());
    // The user is told the value was not read, and where it would have come from.
    let notice = items.next().unwrap().unwrap_err();
    assert_eq!(notice.kind, ErrorKind::UrlNotRead);
    assert_eq!(notice.kind.severity(), exlint::finding::Severity::Info);
    assert!(notice.message.contains(&url), "{}", notice.message);
    let record = items.next().unwrap().unwrap();
    assert!(items.next().is_none());
    let photo = &record.attributes().unwrap()[0];
    assert_eq!(photo.value.form(), ValueForm::Url);
    assert_eq!(photo.value.text(), url);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn attribute_options_and_case() {
    let source = Source::from_bytes(
        "t",
        b"dn: CN=g,O=x\nMember;Range=0-1499: CN=a,O=x\nmember;range=1500-*: CN=b,O=x\nuserCertificate;binary:: AAEC\ndescription;lang-de: Gruppe\n2.5.4.3: g\n".to_vec(),
    );
    let record = only_record(&source);
    let attributes = record.attributes().unwrap();
    assert_eq!(values(&record, "MEMBER"), ["CN=a,O=x", "CN=b,O=x"]);
    assert_eq!(attributes[0].options().collect::<Vec<_>>(), ["Range=0-1499"]);
    assert_eq!(attributes[2].name(), "userCertificate");
    assert_eq!(&*attributes[2].value.bytes(), [0, 1, 2]);
    assert_eq!(attributes[3].description(), "description;lang-de");
    assert_eq!(attributes[4].name(), "2.5.4.3");
}

#[test]
fn malformed_records_are_located_and_the_rest_is_read() {
    let text = b"dn: CN=a,O=x\ncn: a\n\ndn: CN=bad64,O=x\nmsExchServerBindings:: OjI1 Og==\n\n continuation\n\ncn: no dn\n\ndn: CN=nocolon,O=x\nthis line has none\n\ndn: CN=b,O=x\ncn: b\n\ndn: CN=\xFCber,O=x\ncn: x\n\ndn: CN=c,O=x\n-\n\n: empty name\n\ndn: CN=d,O=x\nchangetype: explode\n\ndn: CN=e,O=x\ncn: e";
    let (_, dns, errors) = read(text);
    // A bad value costs only itself, and a DN in Windows-1252 is read: both records are kept.
    assert_eq!(dns, ["CN=a,O=x", "CN=bad64,O=x", "CN=b,O=x", "CN=über,O=x", "CN=e,O=x"]);
    assert_eq!(
        errors,
        [
            (ErrorKind::InvalidBase64, 5, 28),
            (ErrorKind::OrphanContinuation, 7, 1),
            (ErrorKind::MissingDn, 9, 1),
            (ErrorKind::LineWithoutColon, 12, 1),
            (ErrorKind::Windows1252, 17, 5),
            (ErrorKind::StraySeparator, 21, 1),
            (ErrorKind::InvalidAttributeDescription, 23, 1),
            (ErrorKind::MalformedChangeRecord, 26, 13),
        ]
    );
}

#[test]
fn errors_say_what_and_what_to_do() {
    let source =
        Source::from_bytes("t", b"dn: CN=a,O=x\ndescription: first part\nsecond part without the space\n".to_vec());
    let error = ldif::records(source.text()).next().unwrap().unwrap_err();
    assert_eq!(error.kind, ErrorKind::LineWithoutColon);
    assert_eq!(error.message, "line has no `:` separator: `second part without the space`");
    assert!(error.hint.contains("leading space"));
    assert_eq!(source.position(error.span.start).to_string(), "3:1");
}

#[test]
fn sample_files_read_through_the_file_system() {
    let source = Source::open(Path::new("samples/contoso.ldf")).unwrap();
    assert_eq!(ldif::records(source.text()).filter(Result::is_ok).count(), 32);
}

/// A value as a strict writer would write it: plain when RFC 2849 allows, base64 otherwise.
fn write_attribute(name: &str, value: &[u8]) -> String {
    let safe = value.iter().all(|&b| (1..0x80).contains(&b) && b != b'\n' && b != b'\r')
        && !matches!(value.first(), Some(b' ' | b':' | b'<'))
        && value.last() != Some(&b' ');
    if safe {
        format!("{name}: {}", String::from_utf8_lossy(value))
    } else {
        use base64::Engine;
        format!("{name}:: {}", base64::engine::general_purpose::STANDARD.encode(value))
    }
}

/// Folds every line longer than `width`, as exporters do.
fn fold(line: &str, width: usize, eol: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    let mut first = true;
    while !rest.is_empty() {
        let take = if first { width } else { width - 1 };
        let cut = rest.char_indices().map(|(i, _)| i).find(|&i| i >= take).unwrap_or(rest.len());
        if !first {
            out.push_str(eol);
            out.push(' ');
        }
        out.push_str(&rest[..cut]);
        rest = &rest[cut..];
        first = false;
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::with_cases(256) })]

    #[test]
    fn any_bytes_never_panic_and_spans_stay_in_bounds(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let source = Source::from_bytes("fuzz", bytes);
        let len = source.text().len();
        for item in ldif::records(source.text()) {
            match item {
                Ok(record) => {
                    prop_assert!(record.span.end() <= len);
                    for attribute in record.attributes().unwrap_or_default() {
                        prop_assert!(attribute.span.end() <= len && attribute.value.span.end() <= len);
                        let _ = attribute.value.bytes();
                    }
                }
                Err(error) => {
                    prop_assert!(error.span.end() <= len);
                    let _ = source.position(error.span.start);
                }
            }
        }
    }

    #[test]
    fn written_values_read_back(
        values in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..120), 1..6),
        width in 10usize..90,
        crlf in any::<bool>(),
    ) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let mut text = fold("dn: CN=Some Rather Long Name,CN=Servers,CN=First Administrative Group,O=Contoso", width, eol);
        for value in &values {
            text.push_str(eol);
            text.push_str(&fold(&write_attribute("description", value), width, eol));
        }
        let source = Source::from_bytes("t", text.into_bytes());
        let record = only_record(&source);
        prop_assert_eq!(&*record.dn.text, "CN=Some Rather Long Name,CN=Servers,CN=First Administrative Group,O=Contoso");
        let read: Vec<Vec<u8>> = record.attributes().unwrap().iter().map(|a| a.value.bytes().into_owned()).collect();
        prop_assert_eq!(read, values);
    }

    #[test]
    fn parts_read_like_the_whole(seed in proptest::collection::vec((0u8..5, 0usize..40), 1..40), parts in 1usize..9) {
        let mut text = String::new();
        for (index, (kind, size)) in seed.iter().enumerate() {
            text.push_str(&match kind {
                0 => format!("dn: CN=e{index},O=x\ncn: {}\n\n", "v".repeat(*size)),
                1 => format!("# comment {index}\n\n"),
                2 => format!("dn: CN=e{index},O=x\r\ndescription: {}\r\n  folded\r\n\r\n\r\n", "w".repeat(*size)),
                3 => "cn: broken\n\n".to_owned(),
                _ => "search: 2\nresult: 0 Success\n\n".to_owned(),
            });
        }
        let whole: Vec<String> = ldif::records(text.as_bytes()).map(|item| format!("{item:?}")).collect();
        let joined: Vec<String> = ldif::split(text.as_bytes(), parts)
            .into_iter()
            .flat_map(|range| Records::new(text.as_bytes(), range))
            .map(|item| format!("{item:?}"))
            .collect();
        prop_assert_eq!(joined, whole);
    }
}

#[test]
fn records_a_caller_does_not_keep_are_still_validated_and_counted() {
    let text = b"dn: CN=keep me,O=x\ncn: a\n\ndn: CN=user,O=x\ncn: b\n\ndn: CN=broken user,O=x\ndescription:: no base64!\n\ndn: CN=user,O=x\nchangetype: modify\nreplace: cn\ncn: c\n-\n\ndn: CN=user 2,O=x\nchangetype: add\ncn: d\n";
    let mut records = Records::new(text, 0..text.len()).keeping(|dn| dn.contains("keep"));
    let items: Vec<_> = records.by_ref().collect();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_ref().unwrap().dn.text, "CN=keep me,O=x");
    // The bad value is reported; its record, without it, is counted with the others not kept.
    assert_eq!(items[1].as_ref().unwrap_err().kind, ErrorKind::InvalidBase64);
    assert_eq!(records.tally().elided_records, 4);
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::with_cases(128) })]

    /// The line index a source gets from its readers' marks answers like one built by a scan.
    #[test]
    fn positions_from_reader_marks_match_a_scan(
        lines in proptest::collection::vec((0u8..4, 0usize..90), 1..400),
        parts in 1usize..9,
        probes in proptest::collection::vec(any::<prop::sample::Index>(), 1..20),
    ) {
        let text: String = lines.iter().map(|(kind, size)| match kind {
            0 => "\n".to_owned(),
            1 => format!("dn: CN=x{size},O=y\r\n"),
            2 => format!("cn: {}\n", "é".repeat(*size)),
            _ => format!(" {}\n", "w".repeat(*size)),
        }).collect();
        let marked = Source::from_bytes("marked", text.clone().into_bytes());
        let marks = ldif::split(marked.text(), parts)
            .into_iter()
            .map(|range| {
                let mut records = Records::new(marked.text(), range);
                records.by_ref().for_each(drop);
                records.tally().line_marks
            })
            .collect();
        marked.set_line_marks(marks);
        let scanned = Source::from_bytes("scanned", text.into_bytes());
        for probe in probes {
            let offset = probe.index(scanned.text().len() + 1);
            prop_assert_eq!(marked.position(offset), scanned.position(offset));
        }
    }
}
