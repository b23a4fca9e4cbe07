//! What every object of the topology has, and how the topology reads its attributes. Only the
//! topology reads attributes: rules get typed, [`Located`] values from it.

use crate::directory::{Dn, Entry};
use crate::finding::Evidence;
use crate::ldif::Attribute;
use crate::source::Location;

use super::Located;
use super::class::object_label;

/// What every object of the topology has: a name, a DN, and its entry when the export has it.
#[derive(Clone, Debug)]
pub struct Node<'a> {
    /// The leaf RDN's value (`EXBH01`, `First Routing Group`, `1`).
    pub name: String,
    pub dn: Dn<'a>,
    entry: Option<&'a Entry<'a>>,
}

impl<'a> Node<'a> {
    pub(super) fn new(dn: Dn<'a>, entry: Option<&'a Entry<'a>>) -> Node<'a> {
        Node { name: dn.name(), dn, entry }
    }

    pub(super) fn entry(&self) -> Option<&'a Entry<'a>> {
        self.entry
    }

    /// Whether the export holds the object's entry, or only DNs below it.
    pub fn is_exported(&self) -> bool {
        self.entry.is_some()
    }

    /// The entry's `dn:` line, when the export has the entry.
    pub fn location(&self) -> Option<Location> {
        self.entry.map(Entry::location)
    }

    /// The entry as a finding's evidence, pointed at by its `dn:` line, when the export has it.
    pub fn evidence(&self, note: impl Into<String>) -> Option<Evidence> {
        Some(self.entry?.evidence(note))
    }

    /// How messages name the object: `connector \`Internet Mail\``, `routing group \`First
    /// Routing Group\``, or its name alone for classes exlint does not name.
    pub fn label(&self) -> String {
        match self.entry {
            Some(entry) => object_label(entry),
            None => format!("`{}`", self.name),
        }
    }

    /// The first line of an attribute, when the export has the entry and the entry the
    /// attribute.
    pub(super) fn attribute(&self, name: &str) -> Option<&'a Attribute<'a>> {
        self.entry?.attribute(name).next()
    }

    /// The first line of an attribute, with nothing read from it.
    pub(super) fn line(&self, name: &str) -> Option<Located<'a, ()>> {
        Some(Located::new((), self.entry?, self.attribute(name)?))
    }

    /// Every line of an attribute, in file order, each value parsed.
    pub(super) fn lines<T>(&self, name: &str, parse: impl Fn(&str) -> T) -> Vec<Located<'a, T>> {
        let Some(entry) = self.entry else { return Vec::new() };
        entry.attribute(name).map(|attribute| Located::new(parse(&attribute.value.text()), entry, attribute)).collect()
    }

    /// An Integer attribute; `None` when absent (the default applies) or not a number.
    pub(super) fn integer(&self, name: &str) -> Option<Located<'a, i64>> {
        let line = self.line(name)?;
        let value = line.text().trim().parse().ok()?;
        Some(line.with(value))
    }

    /// A Boolean attribute (`TRUE` or `FALSE`, any case); `None` when absent or neither.
    pub(super) fn boolean(&self, name: &str) -> Option<Located<'a, bool>> {
        let line = self.line(name)?;
        let text = line.text();
        let value = match text.trim() {
            value if value.eq_ignore_ascii_case("TRUE") => true,
            value if value.eq_ignore_ascii_case("FALSE") => false,
            _ => return None,
        };
        Some(line.with(value))
    }

    /// A binary attribute, its bytes parsed; `None` when absent.
    pub(super) fn binary<T>(&self, name: &str, parse: impl Fn(&[u8]) -> T) -> Option<Located<'a, T>> {
        let entry = self.entry?;
        let attribute = self.attribute(name)?;
        Some(Located::new(parse(&attribute.value.bytes()), entry, attribute))
    }

    /// A string attribute, trimmed; `None` when absent or empty.
    pub(super) fn text(&self, name: &str) -> Option<Located<'a, String>> {
        let line = self.line(name)?;
        let value = line.text().trim().to_owned();
        (!value.is_empty()).then(|| line.with(value))
    }
}
