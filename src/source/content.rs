//! What an input holds, told from its content, never from its name: an LDIF or csvde export,
//! or something else that a user passed by mistake (a PDF, an image, a Word file, a web page).

use std::fmt;

/// The export formats exlint reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// RFC 2849 LDIF, as ldifde, ldapsearch and ldbsearch write it.
    #[default]
    Ldif,
    /// CSV as csvde writes it: a header row of attribute names, `DN` first.
    Csvde,
}

impl Format {
    /// Decides from the text: a first line that holds a comma and a field `DN` (quoted or not,
    /// any case; csvde writes it first) is a csvde header; anything else is read as LDIF, so
    /// that a damaged LDIF export is still reported line by line. An LDIF line never has such
    /// a field: it starts with `dn:`, `version:` or `#`.
    pub fn of(text: &[u8]) -> Format {
        let first = text.split(|&byte| byte == b'\n').find(|line| !line.trim_ascii().is_empty()).unwrap_or_default();
        let is_dn = |field: &[u8]| {
            let field = field.trim_ascii();
            let field = field.strip_prefix(b"\"").and_then(|field| field.strip_suffix(b"\"")).unwrap_or(field);
            field.eq_ignore_ascii_case(b"dn")
        };
        let lower = first.trim_ascii_start().to_ascii_lowercase();
        let ldif = [&b"#"[..], b"dn:", b"version:"].iter().any(|start| lower.starts_with(start));
        let header = !ldif && first.contains(&b',');
        if header && first.split(|&byte| byte == b',').any(is_dn) { Format::Csvde } else { Format::Ldif }
    }

    /// The name used in reports.
    pub fn label(self) -> &'static str {
        match self {
            Format::Ldif => "ldif",
            Format::Csvde => "csvde",
        }
    }
}

/// Why an input is not an export: what it looks like instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotAnExport {
    /// No text at all, or only blank lines.
    Empty,
    /// Something recognised: "a PDF document".
    Looks(&'static str),
}

impl fmt::Display for NotAnExport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotAnExport::Empty => f.write_str("an empty export"),
            NotAnExport::Looks(what) => f.write_str(what),
        }
    }
}

/// Signatures of files that are sent instead of an export, by their first bytes.
const SIGNATURES: &[(&[u8], &str)] = &[
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xFF\xD8\xFF", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "a Microsoft Office document (Word, Excel or Outlook, OLE2)"),
    (b"{\\rtf", "an RTF document"),
    (b"MZ", "a Windows program"),
    (b"\x7FELF", "an ELF program"),
    (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive (extract it first)"),
    (b"Rar!\x1A\x07", "a RAR archive (extract it first)"),
    (b"BZh", "a bzip2 archive (decompress it first)"),
    (b"\xFD7zXZ\x00", "an xz archive (decompress it first)"),
];

/// Whether `raw` (the bytes as read, `text` the same transcoded to UTF-8) is something other
/// than an export, and what. Text that starts like LDIF or csvde is always an export: a
/// damaged one is reported record by record.
pub(super) fn not_an_export(raw: &[u8], text: &[u8]) -> Option<NotAnExport> {
    if let Some(&(_, what)) = SIGNATURES.iter().find(|(signature, _)| raw.starts_with(signature)) {
        return Some(NotAnExport::Looks(what));
    }
    // POSIX tar: `ustar` in the header's magic field.
    if raw.get(257..262) == Some(b"ustar") {
        return Some(NotAnExport::Looks("a tar archive (extract it first)"));
    }
    let start = text.trim_ascii_start();
    if start.is_empty() {
        return Some(NotAnExport::Empty);
    }
    let lower: Vec<u8> = start.iter().take(64).map(u8::to_ascii_lowercase).collect();
    if lower.starts_with(b"dn:") || lower.starts_with(b"version:") || lower.starts_with(b"#") {
        return None;
    }
    if Format::of(text) == Format::Csvde {
        return None;
    }
    if lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html") {
        return Some(NotAnExport::Looks("an HTML page"));
    }
    if lower.starts_with(b"<?xml") {
        return Some(NotAnExport::Looks("an XML document"));
    }
    if (start[0] == b'{' || start[0] == b'[') && serde_json::from_slice::<serde::de::IgnoredAny>(start).is_ok() {
        return Some(NotAnExport::Looks("a JSON document"));
    }
    if looks_binary(&text[..text.len().min(4096)]) {
        return Some(NotAnExport::Looks("binary data"));
    }
    None
}

/// Text has no NUL and few control characters or replaced bytes; binary data has them in
/// every few bytes.
fn looks_binary(head: &[u8]) -> bool {
    let control = head.iter().filter(|&&byte| byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r')).count();
    let replaced = head.windows(3).filter(|window| window == b"\xEF\xBF\xBD").count();
    head.contains(&0) || (control + replaced) * 20 > head.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exports_are_told_from_their_first_line() {
        assert_eq!(Format::of(b"dn: CN=a\n"), Format::Ldif);
        assert_eq!(Format::of(b"DN,objectClass,cn\r\n\"CN=a,O=x\",top,a\r\n"), Format::Csvde);
        assert_eq!(Format::of(b"\"dn\",cn\n"), Format::Csvde);
        assert_eq!(Format::of(b"dn\n"), Format::Ldif);
        assert_eq!(Format::of(b"objectClass,DN,cn\n"), Format::Csvde);
        assert_eq!(Format::of(b"# DN, cn\ndn: CN=a\n"), Format::Ldif);
        assert_eq!(Format::of(b"dn: CN=a,DC=dn\n"), Format::Ldif);
        assert_eq!(Format::of(b"DN: CN=a, DN\n"), Format::Ldif);
    }

    #[test]
    fn what_is_not_an_export_is_named() {
        let named = |bytes: &[u8]| not_an_export(bytes, bytes).map(|what| what.to_string());
        assert_eq!(named(b"%PDF-1.7\n").as_deref(), Some("a PDF document"));
        assert_eq!(named(b"\x89PNG\r\n\x1a\n\0\0").as_deref(), Some("a PNG image"));
        assert_eq!(named(b"  <!DOCTYPE html><html>").as_deref(), Some("an HTML page"));
        assert_eq!(named(b"{\"dn\": \"x\"}").as_deref(), Some("a JSON document"));
        assert_eq!(named(b"\n\r\n ").as_deref(), Some("an empty export"));
        assert_eq!(named(b"\x01\x02\x03\x04\x05abc").as_deref(), Some("binary data"));
        assert_eq!(named(b"dn: CN=a\0b\n"), None);
        assert_eq!(named(b"cn: no dn line\n"), None);
        assert_eq!(named(b"DN,cn\n"), None);
        let mut tar = vec![0; 512];
        tar[..8].copy_from_slice(b"contoso.");
        tar[257..263].copy_from_slice(b"ustar\0");
        assert_eq!(named(&tar).as_deref(), Some("a tar archive (extract it first)"));
    }
}
