//! Malformed csvde exports: what went wrong, where, and what to do about it. Like the LDIF
//! reader's, every kind has a stable code (`CSV001`...) and a reference page as its doc
//! comment; a bad row yields one [`Error`] and reading goes on with the next.

use crate::source::Span;

crate::declare_codes! {
    /// The kinds of malformed csvde input, each with a code that never changes.
    ErrorKind;

    /// ## What it finds
    /// A field that opens a quote and never closes it, or text right after a field's closing
    /// quote (`"CN=a,O=x"y,`): csvde quotes whole fields and doubles the quotes inside them.
    ///
    /// ## Why it matters
    /// Where the field ends cannot be known, so neither can any field after it: the row is
    /// not analysed, and reading goes on at the next line.
    ///
    /// ## Example
    /// ```text
    /// DN,cn,description
    /// "CN=EXBH01,CN=Servers,...,DC=com",EXBH01,"bridgehead
    /// ```
    ///
    /// ## How to fix
    /// Export again; a file edited in a spreadsheet or a text editor may have lost a quote.
    MalformedQuoting = ("CSV001", "malformed-quoting", "Quoted field is not closed properly"),

    /// ## What it finds
    /// A row with more or fewer fields than the header row has attribute names.
    ///
    /// ## Why it matters
    /// Fields are matched to attributes by their place in the row; with one too many or too
    /// few, every field after the difference would be read as the wrong attribute, so the row
    /// is not analysed.
    ///
    /// ## Example
    /// ```text
    /// DN,objectClass,cn
    /// "CN=EXBH01,CN=Servers,...,DC=com",top;server,EXBH01,extra
    /// ```
    ///
    /// ## How to fix
    /// Quote values that hold commas (`"a,b"`), or export again.
    WrongFieldCount = ("CSV002", "wrong-field-count", "Row has more or fewer fields than the header"),

    /// ## What it finds
    /// A binary value written as csvde writes them, `X'` hexadecimal digits `'`, whose digits
    /// are not hexadecimal or are odd in number.
    ///
    /// ## Why it matters
    /// The value cannot be decoded, so the attribute's content is unknown; the other values
    /// of the row are still analysed.
    ///
    /// ## Example
    /// ```text
    /// DN,objectGUID
    /// "CN=EXBH01,CN=Servers,...,DC=com",X'9a6b3176c5zz'
    /// ```
    ///
    /// ## How to fix
    /// Export again; if the file was edited by hand, write two hexadecimal digits per byte.
    InvalidHex = ("CSV003", "invalid-hex", "Binary value is not valid hexadecimal"),

    /// ## What it finds
    /// A row whose DN field (the first, as csvde writes it) is empty.
    ///
    /// ## Why it matters
    /// Without its DN the row cannot be attached to any object.
    ///
    /// ## Example
    /// ```text
    /// DN,cn
    /// ,EXBH01
    /// ```
    ///
    /// ## How to fix
    /// Remove the row, or export again.
    MissingDn = ("CSV004", "empty-dn", "Row has no DN"),

    /// ## What it finds
    /// A header row with an empty attribute name, or a name that is not an attribute
    /// (letters, digits and hyphens, optionally followed by `;options`), or without a `DN`
    /// column.
    ///
    /// ## Why it matters
    /// The values under that column belong to no attribute, so they are not analysed; the
    /// other columns are. Without a `DN` column no row can be attached to an object, so none
    /// is read.
    ///
    /// ## Example
    /// ```text
    /// DN,cn,,description
    /// ```
    ///
    /// ## How to fix
    /// Name the column, or remove it and its values.
    InvalidHeader = ("CSV005", "invalid-header", "Header column names no attribute"),
}

/// A malformed row, located in the file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    pub kind: ErrorKind,
    /// Lower-case, with the offending text in backticks.
    pub message: String,
    /// The offending bytes.
    pub span: Span,
}

impl Error {
    pub(super) fn new(kind: ErrorKind, span: Span, message: String) -> Error {
        Error { kind, message, span }
    }

    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self.kind {
            ErrorKind::MalformedQuoting => {
                "a quoted field ends with `\"` followed by `,` or the line end; quotes inside it are doubled (`\"\"`)"
            }
            ErrorKind::WrongFieldCount => "quote values that hold commas; every row has one field per header column",
            ErrorKind::InvalidHex => "binary values are `X'` followed by two hexadecimal digits per byte and `'`",
            ErrorKind::MissingDn => "every row holds its object's DN in the `DN` column",
            ErrorKind::InvalidHeader => "every header column names an attribute: letters, digits and hyphens",
        }
    }
}
