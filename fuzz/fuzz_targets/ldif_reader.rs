//! The LDIF reader on any bytes: every record or error it yields, with its values decoded,
//! and the same records whether the text is read whole or in parts.
#![no_main]

use exlint::ldif::Records;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &[u8]| {
    let mut whole = Vec::new();
    for item in exlint::ldif::records(text) {
        if let Ok(record) = &item {
            for attribute in record.attributes().unwrap_or_default() {
                let _ = attribute.value.bytes();
                let _ = attribute.value.text();
            }
        }
        whole.push(format!("{item:?}"));
    }
    let parts: Vec<String> = exlint::ldif::split(text, 3)
        .into_iter()
        .flat_map(|range| Records::new(text, range))
        .map(|item| format!("{item:?}"))
        .collect();
    assert_eq!(whole, parts, "reading in parts yields what reading the whole does");
});
