//! The security-descriptor reader on any bytes: it returns a descriptor or an error that says
//! where (an offset the value or its header names, which may lie beyond it), never panics, and a descriptor it returns answers the relay question without panic.
#![no_main]

use exlint::security::{Guid, SecurityDescriptor, Sid};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    match SecurityDescriptor::parse(bytes) {
        Ok(descriptor) => {
            let right = Guid([0x11; 16]);
            let _ = descriptor.grants_extended_right(&Sid::anonymous(), right);
            let _ = descriptor.grants_extended_right(&Sid::everyone(), right);
        }
        Err(error) => assert!(!error.to_string().is_empty()),
    }
});
