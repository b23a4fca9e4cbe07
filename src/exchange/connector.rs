//! Connectors under a routing group's `CN=Connections`: SMTP connectors (Exchange 2000/2003)
//! and Send connectors (Exchange 2007+), both `msExchRoutingSMTPConnector`, and routing group
//! connectors (`msExchRoutingGroupConnector`).

use std::fmt;

use crate::directory::{Dn, Entry};
use crate::ldif::Attribute;
use crate::source::Location;

use super::Node;

/// A DN-valued attribute value, and the entry and line it is written on.
#[derive(Clone, Debug)]
pub struct Reference<'a> {
    pub dn: Dn<'a>,
    pub entry: &'a Entry<'a>,
    pub attribute: &'a Attribute<'a>,
}

impl Reference<'_> {
    pub fn location(&self) -> Location {
        self.entry.location_of(self.attribute)
    }
}

/// An SMTP connector or Send connector.
#[derive(Clone, Debug)]
pub struct SmtpConnector<'a> {
    pub node: Node<'a>,
    /// Index into [`Topology::routing_groups`](super::Topology::routing_groups), from the DN.
    pub routing_group: Option<usize>,
    /// `routingList`.
    pub address_spaces: Vec<AddressSpace>,
    /// `msExchSourceBridgeheadServersDN`: DNs of SMTP virtual servers.
    pub source_bridgeheads: Vec<Reference<'a>>,
    /// `msExchSmtpSmartHost`, split.
    pub smart_hosts: Vec<SmartHost>,
}

/// A routing group connector: one-way, from the routing group that holds it to another.
#[derive(Clone, Debug)]
pub struct RoutingGroupConnector<'a> {
    pub node: Node<'a>,
    pub routing_group: Option<usize>,
    /// `msExchDestinationRGDN`.
    pub destination: Option<Reference<'a>>,
    /// `msExchSourceBridgeheadServersDN`; empty means any server of the local routing group.
    pub source_bridgeheads: Vec<Reference<'a>>,
    /// `msExchTargetBridgeheadServersDN`.
    pub target_bridgeheads: Vec<Reference<'a>>,
    /// `cost`, 1 when absent.
    pub cost: Option<u32>,
}

/// An X.400 connector (`x400Link`).
#[derive(Clone, Debug)]
pub struct X400Connector<'a> {
    pub node: Node<'a>,
    pub routing_group: Option<usize>,
    /// `routingList`.
    pub address_spaces: Vec<AddressSpace>,
}

/// One value of `routingList`: `[Local:]TYPE:address;cost`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddressSpace {
    /// The value as written.
    pub text: String,
    /// `Local:` scopes the address space to the connector's routing group.
    pub local: bool,
    /// `SMTP`, `X400`, ... as written; `smtp` when the value has no type.
    pub kind: String,
    pub address: String,
    /// `None` when the cost is not a number.
    pub cost: Option<u32>,
    pub location: Location,
}

impl AddressSpace {
    /// Parses as Exchange does: an optional `Local:` prefix, the type before the first `:`
    /// (none means SMTP), the cost after the last `;` (none, or a trailing `;`, means 1; for
    /// X.400 a trailing `;` belongs to the address).
    pub fn parse(text: &str, location: Location) -> AddressSpace {
        let trimmed = text.trim();
        let (local, rest) = match trimmed.get(..6) {
            Some(prefix) if prefix.eq_ignore_ascii_case("local:") => (true, &trimmed[6..]),
            _ => (false, trimmed),
        };
        let (kind, rest) = rest.split_once(':').unwrap_or(("smtp", rest));
        let is_x400 = kind.eq_ignore_ascii_case("x400");
        let (address, cost) = match rest.rsplit_once(';') {
            None => (rest, Some(1)),
            Some((address, "")) if !is_x400 => (address, Some(1)),
            Some((address, cost)) => match cost.trim().parse() {
                Ok(cost) => (address, Some(cost)),
                // X.400 addresses hold `;` themselves: without a number at the end, it is all address.
                Err(_) if is_x400 => (rest, Some(1)),
                Err(_) => (address, None),
            },
        };
        AddressSpace {
            text: text.to_owned(),
            local,
            kind: kind.to_owned(),
            address: address.to_owned(),
            cost,
            location,
        }
    }

    pub fn is_smtp(&self) -> bool {
        self.kind.eq_ignore_ascii_case("smtp")
    }
}

impl fmt::Display for AddressSpace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text.trim())
    }
}

/// One host of `msExchSmtpSmartHost`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmartHost {
    /// Without brackets.
    pub host: String,
    /// Written as `[192.0.2.10]`, as ESM requires for IP addresses.
    pub bracketed: bool,
}

impl SmartHost {
    /// Splits on `;` and `,`, trims, and strips one pair of brackets, as Exchange does.
    pub fn parse_list(text: &str) -> Vec<SmartHost> {
        text.split([';', ','])
            .map(str::trim)
            .filter(|host| !host.is_empty())
            .map(|host| match host.strip_prefix('[').and_then(|host| host.strip_suffix(']')) {
                Some(inner) => SmartHost { host: inner.trim().to_owned(), bracketed: true },
                None => SmartHost { host: host.to_owned(), bracketed: false },
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceId, Span};

    fn parse(text: &str) -> AddressSpace {
        AddressSpace::parse(text, Location { source: SourceId(0), span: Span::default() })
    }

    #[test]
    fn parses_routing_list_values() {
        let all = parse("SMTP:*;1");
        assert_eq!((all.local, all.kind.as_str(), all.address.as_str(), all.cost), (false, "SMTP", "*", Some(1)));
        assert!(all.is_smtp());
        let partner = parse("smtp:*.fabrikam.com;10");
        assert_eq!((partner.address.as_str(), partner.cost), ("*.fabrikam.com", Some(10)));
        let local = parse("Local:SMTP:contoso.com;5");
        assert!(local.local);
        assert_eq!((local.kind.as_str(), local.cost), ("SMTP", Some(5)));
        assert_eq!(parse("SMTP:contoso.com").cost, Some(1));
        assert_eq!(parse("SMTP:contoso.com;").cost, Some(1));
        assert_eq!(parse("SMTP:contoso.com;abc").cost, None);
        let x400 = parse("X400:c=US;a= ;p=Contoso;o=Exchange;");
        assert_eq!(
            (x400.address.as_str(), x400.cost, x400.is_smtp()),
            ("c=US;a= ;p=Contoso;o=Exchange;", Some(1), false)
        );
        assert_eq!(parse("X400:c=US;a= ;p=Contoso;o=Exchange;;20").cost, Some(20));
        assert_eq!(parse("fabrikam.com;2").kind, "smtp");
        assert_eq!(parse("X400:c=US;a= ;p=Contoso").cost, Some(1));
    }

    #[test]
    fn splits_smart_host_lists() {
        assert_eq!(
            SmartHost::parse_list("[192.0.2.10]; relay1.isp.example ,relay2.isp.example"),
            vec![
                SmartHost { host: "192.0.2.10".into(), bracketed: true },
                SmartHost { host: "relay1.isp.example".into(), bracketed: false },
                SmartHost { host: "relay2.isp.example".into(), bracketed: false },
            ]
        );
        assert!(SmartHost::parse_list("  ").is_empty());
    }
}
