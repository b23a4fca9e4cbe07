//! Accepted domains (`msExchAcceptedDomain`, Exchange 2007 and later): the SMTP domains the
//! organization receives mail for, under `CN=Accepted Domains,CN=Transport Settings,...`.

use super::transport_flags::AcceptedDomainFlags;
use super::{Located, Node};

#[derive(Clone, Debug)]
pub struct AcceptedDomain<'a> {
    pub node: Node<'a>,
    /// `msExchAcceptedDomainName`: `contoso.com`, `*.contoso.com` or `*`.
    pub domain: Option<Located<'a, String>>,
    /// `msExchAcceptedDomainFlags`; absent means 0, an authoritative domain that is not the
    /// default.
    pub flags: Option<Located<'a, AcceptedDomainFlags>>,
}

impl AcceptedDomain<'_> {
    /// The domain as reports name it: its `msExchAcceptedDomainName`, or the entry's name.
    pub fn name(&self) -> &str {
        self.domain.as_ref().map_or(&self.node.name, |domain| domain.value.as_str())
    }

    pub fn flag_value(&self) -> AcceptedDomainFlags {
        self.flags.as_ref().map_or(AcceptedDomainFlags(0), |flags| flags.value)
    }

    /// Whether the domain is `*`, every domain.
    pub fn is_every_domain(&self) -> bool {
        self.name().trim() == "*"
    }
}
