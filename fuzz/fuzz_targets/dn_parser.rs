//! The DN parser on any text: its key, relative names, ancestors and name, and what the index
//! relies on: a parent's key, computed from the parent's text alone, is what its child's key
//! ends with.
#![no_main]

use exlint::directory::Dn;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let dn = Dn::new(text);
    let key = dn.key();
    let _ = dn.rdns();
    let _ = dn.name();
    let _ = dn.leading(2);
    let _ = dn.is_deleted();
    let _ = key.depth();
    if let Some(parent) = dn.ancestor(1) {
        assert!(key.is_below(parent.key().as_str()) || parent.key().as_str().is_empty(), "{text:?}");
    }
});
