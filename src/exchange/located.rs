//! Values the topology parsed, with the attribute line each came from: what a rule points a
//! finding at and quotes as evidence, so that no rule reads the line again.

use std::borrow::Cow;
use std::ops::Deref;

use crate::directory::{Dn, Entry};
use crate::finding::Evidence;
use crate::ldif::Attribute;
use crate::source::Location;

use super::Node;

/// A value read from one attribute line of an entry: a binding, a smart host list, an address
/// space, a limit, a flag, a switch, a version, a DN another object names. It dereferences to the
/// value.
#[derive(Clone, Debug)]
pub struct Located<'a, T> {
    pub value: T,
    entry: &'a Entry<'a>,
    attribute: &'a Attribute<'a>,
}

impl<'a, T> Located<'a, T> {
    pub(super) fn new(value: T, entry: &'a Entry<'a>, attribute: &'a Attribute<'a>) -> Located<'a, T> {
        Located { value, entry, attribute }
    }

    /// Where the line is.
    pub fn location(&self) -> Location {
        self.entry.location_of(self.attribute)
    }

    /// The whole value as the line writes it, decoded when it was base64.
    pub fn text(&self) -> Cow<'a, str> {
        self.attribute.value.text()
    }

    /// The attribute as the line names it (`msExchServerBindings`).
    pub fn attribute(&self) -> &'a str {
        self.attribute.description()
    }

    /// The DN of the entry the line belongs to, as written.
    pub fn dn(&self) -> &'a Dn<'a> {
        &self.entry.dn
    }

    /// The object whose line this is.
    pub fn holder(&self) -> Node<'a> {
        Node::new(self.entry.dn.clone(), Some(self.entry))
    }

    /// The line as a finding's evidence, with what the rule makes of it.
    pub fn evidence(&self, note: impl Into<String>) -> Evidence {
        self.entry.value_evidence(self.attribute, note)
    }

    /// Another value read from the same line.
    pub fn with<U>(&self, value: U) -> Located<'a, U> {
        Located { value, entry: self.entry, attribute: self.attribute }
    }

    pub fn map<U>(self, parse: impl FnOnce(T) -> U) -> Located<'a, U> {
        Located { value: parse(self.value), entry: self.entry, attribute: self.attribute }
    }
}

impl<T> Deref for Located<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

impl<'a, T> Located<'a, Option<T>> {
    /// The value when there is one, still with its line.
    pub fn transpose(self) -> Option<Located<'a, T>> {
        let Located { value, entry, attribute } = self;
        Some(Located { value: value?, entry, attribute })
    }
}
