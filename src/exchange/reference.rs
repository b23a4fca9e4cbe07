//! DN-valued attribute values: references from one object to another.

use crate::directory::{Dn, Entry};
use crate::ldif::Attribute;
use crate::source::Location;

use super::placement::server_above_protocols;

/// A DN-valued attribute value, and the entry and line it is written on.
#[derive(Clone, Debug)]
pub struct Reference<'a> {
    pub dn: Dn<'a>,
    pub entry: &'a Entry<'a>,
    pub attribute: &'a Attribute<'a>,
}

impl<'a> Reference<'a> {
    pub fn location(&self) -> Location {
        self.entry.location_of(self.attribute)
    }

    /// The server of a virtual server's DN (a bridgehead): the DN above `CN=Protocols`, as
    /// Exchange derives a bridgehead's server, whether or not the export has the virtual server.
    pub fn server_dn(&self) -> Option<Dn<'a>> {
        server_above_protocols(&self.dn)
    }
}
