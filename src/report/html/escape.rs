//! Text from the export, made safe to stand in HTML.

use std::fmt;

use crate::report::controls::escape_controls_in_lines;

/// Text escaped for HTML content and attribute values, control characters shown as escapes
/// (line ends kept, for the quoted lines of the export).
pub(super) struct Text<'t>(pub(super) &'t str);

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let controls_escaped = escape_controls_in_lines(self.0);
        let mut rest = controls_escaped.as_ref();
        while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
            f.write_str(&rest[..at])?;
            f.write_str(match rest.as_bytes()[at] {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                _ => "&#39;",
            })?;
            rest = &rest[at + 1..];
        }
        f.write_str(rest)
    }
}

/// A message, escaped, with its backticked values as code; an unpaired backtick stays as it is.
pub(super) struct Prose<'t>(pub(super) &'t str);

impl fmt::Display for Prose<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<&str> = self.0.split('`').collect();
        for (index, part) in parts.iter().enumerate() {
            match (index % 2 == 1, index + 1 < parts.len()) {
                (false, _) => write!(f, "{}", Text(part))?,
                (true, true) => write!(f, "<code>{}</code>", Text(part))?,
                (true, false) => write!(f, "`{}", Text(part))?,
            }
        }
        Ok(())
    }
}
