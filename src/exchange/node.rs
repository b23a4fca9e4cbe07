//! What every object of the topology has, and how its attributes are read.

use crate::directory::{Dn, Entry};
use crate::ldif::Attribute;
use crate::source::Location;

/// What every object of the topology has: a name, a DN, and its entry when the export has it.
#[derive(Clone, Debug)]
pub struct Node<'a> {
    /// The leaf RDN's value (`EXBH01`, `First Routing Group`, `1`).
    pub name: String,
    pub dn: Dn<'a>,
    pub entry: Option<&'a Entry<'a>>,
}

impl<'a> Node<'a> {
    pub(super) fn new(dn: Dn<'a>, entry: Option<&'a Entry<'a>>) -> Node<'a> {
        Node { name: dn.name(), dn, entry }
    }

    /// The entry's `dn:` line, when the export has the entry.
    pub fn location(&self) -> Option<Location> {
        self.entry.map(Entry::location)
    }

    /// The first line of an attribute, when the export has the entry and the entry the
    /// attribute.
    pub fn attribute(&self, name: &str) -> Option<&'a Attribute<'a>> {
        self.entry?.attribute(name).next()
    }

    /// Every line of an attribute, in file order.
    pub fn attributes(&self, name: &str) -> impl Iterator<Item = &'a Attribute<'a>> {
        self.entry.into_iter().flat_map(move |entry| entry.attribute(name))
    }

    /// The line of an attribute that is written at `location`: the line of a value parsed
    /// earlier (an address space, a binding).
    pub fn attribute_at(&self, name: &str, location: Location) -> Option<&'a Attribute<'a>> {
        let entry = self.entry?;
        entry.attribute(name).find(|attribute| entry.location_of(attribute) == location)
    }

    /// An Integer attribute's value and line; `None` when absent (the default applies) or not a
    /// number.
    pub fn integer(&self, name: &str) -> Option<(i64, &'a Attribute<'a>)> {
        let attribute = self.attribute(name)?;
        Some((attribute.value.text().trim().parse().ok()?, attribute))
    }

    /// A Boolean attribute's value (`TRUE` or `FALSE`, any case) and line.
    pub fn boolean(&self, name: &str) -> Option<(bool, &'a Attribute<'a>)> {
        let attribute = self.attribute(name)?;
        let value = attribute.value.text();
        let value = value.trim();
        if value.eq_ignore_ascii_case("TRUE") {
            Some((true, attribute))
        } else if value.eq_ignore_ascii_case("FALSE") {
            Some((false, attribute))
        } else {
            None
        }
    }

    /// A string attribute's value (trimmed) and line; `None` when absent or empty.
    pub fn text(&self, name: &str) -> Option<(String, &'a Attribute<'a>)> {
        let attribute = self.attribute(name)?;
        let value = attribute.value.text().trim().to_owned();
        (!value.is_empty()).then_some((value, attribute))
    }
}
