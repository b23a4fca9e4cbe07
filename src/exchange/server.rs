//! Exchange servers (`msExchExchangeServer`) and the version in their `serialNumber`.

use std::fmt;

use super::certificate::Certificate;
use super::{Located, Node, Reference};

/// An Exchange server: from its entry, or known only from the DNs of objects below it.
#[derive(Clone, Debug)]
pub struct Server<'a> {
    pub node: Node<'a>,
    /// Index into [`Topology::admin_groups`](super::Topology::admin_groups).
    pub admin_group: Option<usize>,
    /// Index into [`Topology::routing_groups`](super::Topology::routing_groups).
    pub routing_group: Option<usize>,
    /// The value that makes the server a member of its routing group: its own
    /// `msExchHomeRoutingGroup`, or else the routing group's `msExchRoutingGroupMembersBL` (or
    /// `msExchRoutingGroupMembersDN`) value naming it.
    pub membership: Option<Reference<'a>>,
    /// From `serialNumber`; `None` when absent or unreadable.
    pub version: Option<Located<'a, ServerVersion>>,
    /// Indexes into [`Topology::virtual_servers`](super::Topology::virtual_servers).
    pub virtual_servers: Vec<usize>,
    /// Mailbox stores (`msExchPrivateMDB`) in the export below this server.
    pub mailbox_stores: usize,
}

impl<'a> Server<'a> {
    pub fn name(&self) -> &str {
        &self.node.name
    }

    /// Whether the server's SMTP virtual servers route mail: Exchange 2000 or 2003, or a
    /// version the export does not tell (no server entry). Exchange 2007 and later keep a
    /// placeholder virtual server, which the rules written for Exchange 2003 must not judge.
    pub fn routes_with_virtual_servers(&self) -> bool {
        self.version.as_ref().is_none_or(|version| version.is_legacy())
    }

    /// The server's DNS name, from its `networkAddress` value `ncacn_ip_tcp:<fqdn>`.
    pub fn dns_name(&self) -> Option<Located<'a, String>> {
        let names = self.node.lines("networkAddress", |value| {
            value
                .trim()
                .strip_prefix("ncacn_ip_tcp:")
                .map(|name| name.trim().to_owned())
                .filter(|name| !name.is_empty())
        });
        names.into_iter().find_map(|name| Some(name.with(name.value.clone()?)))
    }

    /// `msExchServerInternalTLSCert`: the internal transport certificate, read; `None` when
    /// the entry has none.
    pub fn internal_transport_certificate(&self) -> Option<Located<'a, Result<Certificate, String>>> {
        self.node.binary("msExchServerInternalTLSCert", Certificate::parse)
    }

    /// Exchange 2013 or later, whose transport uses an internal transport certificate.
    pub fn has_internal_transport(&self) -> bool {
        self.version.as_ref().is_some_and(|version| version.major >= 15)
    }

    /// The `serialNumber` line, whether or not a version can be read from it.
    pub fn serial_number(&self) -> Option<Located<'a, String>> {
        let line = self.node.line("serialNumber")?;
        let text = line.text().trim().to_owned();
        Some(line.with(text))
    }
}

/// What `serialNumber` says: `Version 6.5 (Build 7638.2: Service Pack 2)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerVersion {
    pub major: u32,
    pub minor: u32,
    pub build: u32,
    pub revision: Option<u32>,
    pub service_pack: Option<String>,
}

impl ServerVersion {
    /// Parses `Version M.m (Build B[.r][: text])`, case-insensitively. Exchange 2007 and later
    /// store builds with 30000 (sometimes 10000) added; that offset is removed, as Exchange's
    /// own parser does.
    pub fn parse(serial_number: &str) -> Option<ServerVersion> {
        let lower = serial_number.to_ascii_lowercase();
        let after_version = lower.split("version").nth(1)?.trim_start();
        let (major, rest) = split_number(after_version)?;
        let (minor, rest) = split_number(rest.strip_prefix('.')?)?;
        let after_build = rest.split("build").nth(1)?.trim_start();
        let (mut build, rest) = split_number(after_build)?;
        let (revision, rest) = match rest.strip_prefix('.').and_then(split_number) {
            Some((revision, rest)) => (Some(revision), rest),
            None => (None, rest),
        };
        if major >= 8 {
            build = match build {
                30000.. => build - 30000,
                10000.. => build - 10000,
                _ => build,
            };
        }
        let service_pack = rest.trim_start().strip_prefix(':').map(|_| {
            // Keep the original case of the text after the colon.
            let colon = serial_number.rfind(':').unwrap_or(0);
            serial_number[colon + 1..].trim().trim_end_matches(')').trim().to_owned()
        });
        Some(ServerVersion { major, minor, build, revision, service_pack })
    }

    /// The product this version belongs to.
    pub fn product(&self) -> &'static str {
        match (self.major, self.minor) {
            (5, 5) => "Exchange 5.5",
            (6, 0) => "Exchange 2000",
            (6, 5) => "Exchange 2003",
            (8, _) => "Exchange 2007",
            (14, _) => "Exchange 2010",
            (15, 0) => "Exchange 2013",
            (15, 1) => "Exchange 2016",
            (15, 2) if self.is_subscription_edition() => "Exchange Server Subscription Edition",
            (15, 2) => "Exchange 2019",
            _ => "Exchange (unknown version)",
        }
    }

    /// Subscription Edition shares version 15.2 with Exchange 2019; its builds start at 2562
    /// (HealthChecker's `Get-ExchangeBuildVersionInformation`: "Exchange Server SE is detected"
    /// for 15.2 builds from 2562).
    pub fn is_subscription_edition(&self) -> bool {
        (self.major, self.minor) == (15, 2) && self.build >= 2562
    }

    /// Exchange 2000 or 2003: the versions whose SMTP virtual servers route mail.
    pub fn is_legacy(&self) -> bool {
        self.major == 6
    }
}

impl fmt::Display for ServerVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (version {}.{}, build {}", self.product(), self.major, self.minor, self.build)?;
        if let Some(revision) = self.revision {
            write!(f, ".{revision}")?;
        }
        if let Some(service_pack) = &self.service_pack {
            write!(f, ", {service_pack}")?;
        }
        f.write_str(")")
    }
}

fn split_number(text: &str) -> Option<(u32, &str)> {
    let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    Some((text[..digits].parse().ok()?, &text[digits..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exchange_2003_serial_numbers() {
        let version = ServerVersion::parse("Version 6.5 (Build 7638.2: Service Pack 2)").unwrap();
        assert_eq!(
            version,
            ServerVersion {
                major: 6,
                minor: 5,
                build: 7638,
                revision: Some(2),
                service_pack: Some("Service Pack 2".into())
            }
        );
        assert_eq!(version.product(), "Exchange 2003");
        assert!(version.is_legacy());
        let rtm = ServerVersion::parse("Version 6.5 (Build 6944.4)").unwrap();
        assert_eq!((rtm.build, rtm.service_pack.as_deref()), (6944, None));
        assert_eq!(rtm.to_string(), "Exchange 2003 (version 6.5, build 6944.4)");
    }

    #[test]
    fn removes_the_build_offset_of_later_versions() {
        assert_eq!(ServerVersion::parse("Version 8.0 (Build 30685.24)").unwrap().build, 685);
        assert_eq!(ServerVersion::parse("Version 14.3 (Build 30123.4)").unwrap().product(), "Exchange 2010");
        assert_eq!(ServerVersion::parse("Version 8.0 (Build 0685)").unwrap().build, 685);
        let sp1 = ServerVersion::parse("Version 8.1 (Build 30240.6)").unwrap();
        assert_eq!((sp1.major, sp1.minor, sp1.build, sp1.revision), (8, 1, 240, Some(6)));
        assert_eq!(ServerVersion::parse("Version 8.0 (Build 10685.24)").unwrap().build, 685);
    }

    #[test]
    fn tells_subscription_edition_from_exchange_2019() {
        let se = ServerVersion::parse("Version 15.2 (Build 2562.17)").unwrap();
        assert_eq!(se.product(), "Exchange Server Subscription Edition");
        assert_eq!(ServerVersion::parse("Version 15.2 (Build 1748.10)").unwrap().product(), "Exchange 2019");
        assert_eq!(ServerVersion::parse("Version 15.2 (Build 32562.17)").unwrap().product(), se.product());
    }

    #[test]
    fn rejects_what_is_not_a_version() {
        assert_eq!(ServerVersion::parse("unknown"), None);
        assert_eq!(ServerVersion::parse("Version six"), None);
    }
}
