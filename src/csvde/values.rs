//! The values of one csvde field: several joined by `;` for a multi-valued attribute, binary
//! ones written `X'<hex>'`.
//!
//! csvde does not escape a `;` inside a value, so a field is ambiguous when its values hold
//! one. Typed addresses do (`routingList: SMTP:*;1`, `gatewayProxy: X400:c=US;a= ;p=Org;`), and
//! Exchange keeps its address spaces and proxies in that shape, so a field whose first value
//! is a typed address (`TYPE:...`) is cut only before the next typed address; any other field
//! at every `;`.

use std::ops::Range;

/// The byte ranges of the values of `field`, in order; empty values are left out.
pub(super) fn split(field: &[u8]) -> Vec<Range<usize>> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for (index, _) in field.iter().enumerate().filter(|&(_, &byte)| byte == b';') {
        pieces.push(start..index);
        start = index + 1;
    }
    pieces.push(start..field.len());
    if typed_address(&field[pieces[0].clone()]) {
        let mut values: Vec<Range<usize>> = Vec::new();
        for piece in pieces {
            match values.last_mut() {
                Some(value) if !typed_address(&field[piece.clone()]) => value.end = piece.end,
                _ => values.push(piece),
            }
        }
        return values;
    }
    pieces.retain(|piece| !piece.is_empty());
    pieces
}

/// `TYPE:address`: a type of letters, digits and hyphens, then a colon.
fn typed_address(value: &[u8]) -> bool {
    let kind = value.iter().position(|&byte| byte == b':').map(|colon| &value[..colon]);
    kind.is_some_and(|kind| !kind.is_empty() && kind.iter().all(|byte| byte.is_ascii_alphanumeric() || *byte == b'-'))
}

/// A binary value as csvde writes it: the bytes of `X'<hex>'`, `Some(Err(()))` when the digits
/// are not hexadecimal, `None` when the value is not written that way.
pub(super) fn binary(value: &[u8]) -> Option<Result<Vec<u8>, ()>> {
    let digits = value.strip_prefix(b"X'").or_else(|| value.strip_prefix(b"x'"))?.strip_suffix(b"'")?;
    if digits.len() % 2 != 0 {
        return Some(Err(()));
    }
    let digit = |byte: u8| (byte as char).to_digit(16).ok_or(());
    Some(digits.chunks(2).map(|pair| Ok((digit(pair[0])? * 16 + digit(pair[1])?) as u8)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(field: &str) -> Vec<&str> {
        split(field.as_bytes()).into_iter().map(|range| &field[range]).collect()
    }

    #[test]
    fn multiple_values_are_joined_by_semicolons() {
        assert_eq!(
            values("top;container;msExchOrganizationContainer"),
            ["top", "container", "msExchOrganizationContainer"]
        );
        assert_eq!(values("CN=a,O=x;CN=b,O=x"), ["CN=a,O=x", "CN=b,O=x"]);
        assert_eq!(values("single"), ["single"]);
        assert_eq!(values(""), Vec::<&str>::new());
    }

    #[test]
    fn typed_addresses_keep_their_own_semicolons() {
        assert_eq!(values("SMTP:*;1;SMTP:contoso.com;10"), ["SMTP:*;1", "SMTP:contoso.com;10"]);
        assert_eq!(values("X400:c=US;a= ;p=Contoso;o=Exchange;"), ["X400:c=US;a= ;p=Contoso;o=Exchange;"]);
        assert_eq!(values("SMTP:@contoso.com;X400:c=US;a= ;"), ["SMTP:@contoso.com", "X400:c=US;a= ;"]);
    }

    #[test]
    fn binary_values_are_hexadecimal() {
        assert_eq!(binary(b"X'9a6b00ff'"), Some(Ok(vec![0x9a, 0x6b, 0x00, 0xff])));
        assert_eq!(binary(b"X''"), Some(Ok(vec![])));
        assert_eq!(binary(b"X'9a6'"), Some(Err(())));
        assert_eq!(binary(b"X'zz'"), Some(Err(())));
        assert_eq!(binary(b"Xerox"), None);
    }
}
