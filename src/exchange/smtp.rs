//! SMTP virtual servers (`protocolCfgSMTPServer`) and their bindings.

use std::collections::BTreeSet;
use std::fmt;

use crate::source::Location;

use super::Node;
use super::ip::{Address, IpRange};

/// An SMTP virtual server: `CN=<instance>,CN=SMTP,CN=Protocols,CN=<server>,...`.
#[derive(Clone, Debug)]
pub struct SmtpVirtualServer<'a> {
    pub node: Node<'a>,
    /// Index into [`Topology::servers`](super::Topology::servers).
    pub server: usize,
    /// `adminDisplayName` (`Default SMTP Virtual Server`), when exported.
    pub display_name: Option<String>,
    /// `msExchServerBindings`, in file order.
    pub bindings: Vec<Binding>,
}

impl SmtpVirtualServer<'_> {
    /// How reports name it: `1 (Default SMTP Virtual Server)`.
    pub fn label(&self) -> String {
        match &self.display_name {
            Some(display) => format!("{} ({display})", self.node.name),
            None => self.node.name.clone(),
        }
    }
}

/// An Exchange 2007+ receive connector: `CN=<name>,CN=SMTP Receive Connectors,CN=Protocols,...`.
#[derive(Clone, Debug)]
pub struct ReceiveConnector<'a> {
    pub node: Node<'a>,
    /// Index into [`Topology::servers`](super::Topology::servers).
    pub server: usize,
    /// `msExchSmtpReceiveBindings`: `ip:port`.
    pub bindings: Vec<Binding>,
    /// `msExchSmtpReceiveRemoteIPRanges`, as written.
    pub remote_ranges: Vec<String>,
}

impl ReceiveConnector<'_> {
    /// The remote IP ranges as the addresses they cover, without order or repeats: the
    /// connector accepts connections from their union.
    pub fn remote_range_set(&self) -> BTreeSet<IpRange> {
        self.remote_ranges.iter().map(|range| IpRange::parse(range)).collect()
    }
}

/// One value of `msExchServerBindings`: `[ip]:port:[host]` (IIS `ServerBindings`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binding {
    /// The value as written.
    pub text: String,
    /// `None` for all unassigned addresses (empty, `0.0.0.0` or `*`).
    pub ip: Option<String>,
    /// `None` when the port is missing or not a number from 0 to 65535.
    pub port: Option<u16>,
    pub host: Option<String>,
    pub location: Location,
}

impl Binding {
    /// Parses `[ip]:port:[host]`; `ip:port` (no host field) is accepted too. The port is the
    /// second field from the right, so IPv6 addresses in brackets keep their colons.
    pub fn parse(text: &str, location: Location) -> Binding {
        let trimmed = text.trim();
        let (rest, host) = match trimmed.matches(':').count() {
            0 | 1 => (trimmed, ""),
            _ => trimmed.rsplit_once(':').unwrap_or((trimmed, "")),
        };
        let (ip, port) = rest.rsplit_once(':').unwrap_or(("", rest));
        let ip = ip.trim();
        let host = host.trim();
        Binding {
            text: text.to_owned(),
            ip: (!matches!(ip, "" | "0.0.0.0" | "*")).then(|| ip.to_owned()),
            port: port.trim().parse().ok(),
            host: (!host.is_empty()).then(|| host.to_owned()),
            location,
        }
    }
}

impl Binding {
    /// Parses `ip:port`, the grammar of Exchange 2007+ receive connector bindings
    /// (`msExchSmtpReceiveBindings`): like Exchange, drop one trailing `:` and split at the last
    /// `:`, so that `[::]:25` and `:::25` keep their IPv6 address.
    pub fn parse_endpoint(text: &str, location: Location) -> Binding {
        let trimmed = text.trim();
        let trimmed = trimmed.strip_suffix(':').unwrap_or(trimmed);
        let (ip, port) = trimmed.rsplit_once(':').unwrap_or(("", trimmed));
        let ip = ip.trim();
        Binding {
            text: text.to_owned(),
            ip: (!matches!(ip, "" | "0.0.0.0" | "*")).then(|| ip.to_owned()),
            port: port.trim().parse().ok(),
            host: None,
            location,
        }
    }

    /// The socket the binding listens on, normalised so that two spellings of one socket are
    /// equal: the address (`None` for all unassigned IPv4 addresses) and the port. `None` when
    /// the port is not valid. The host name of an IIS binding plays no part: SMTP has no host
    /// headers, two bindings that differ only by host name contend for one socket.
    pub fn socket(&self) -> Option<(Option<Address>, u16)> {
        Some((self.ip.as_deref().map(Address::parse), self.port?))
    }
}

impl fmt::Display for Binding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.ip {
            Some(ip) => write!(f, "{ip}")?,
            None => f.write_str("all unassigned addresses")?,
        }
        match self.port {
            Some(port) => write!(f, ", port {port}")?,
            None => f.write_str(", no valid port")?,
        }
        if let Some(host) = &self.host {
            write!(f, ", host {host}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceId, Span};

    fn parse(text: &str) -> Binding {
        Binding::parse(text, Location { source: SourceId(0), span: Span::default() })
    }

    #[test]
    fn parses_iis_server_bindings() {
        let all = parse(":25:");
        assert_eq!((all.ip, all.port, all.host), (None, Some(25), None));
        let specific = parse("10.0.1.25:2525:");
        assert_eq!((specific.ip.as_deref(), specific.port), (Some("10.0.1.25"), Some(2525)));
        let hosted = parse("10.0.1.25:25:mail.contoso.com");
        assert_eq!(hosted.host.as_deref(), Some("mail.contoso.com"));
        assert_eq!(parse("0.0.0.0:25").port, Some(25));
        assert_eq!(parse("0.0.0.0:25").ip, None);
        assert_eq!(parse("[::1]:25:").ip.as_deref(), Some("[::1]"));
        assert_eq!(parse(" :587: ").port, Some(587));
    }

    #[test]
    fn keeps_bad_bindings_visible() {
        assert_eq!(parse(":abc:").port, None);
        assert_eq!(parse("25").port, Some(25));
        assert_eq!(parse(":70000:").port, None);
        assert_eq!(parse(":70000:").to_string(), "all unassigned addresses, no valid port");
        assert_eq!(parse("10.0.1.25:25:").to_string(), "10.0.1.25, port 25");
    }

    fn endpoint(text: &str) -> Binding {
        Binding::parse_endpoint(text, Location { source: SourceId(0), span: Span::default() })
    }

    #[test]
    fn parses_receive_connector_bindings() {
        assert_eq!(endpoint("0.0.0.0:25").socket(), Some((None, 25)));
        assert_eq!(endpoint("[::]:25").socket(), Some((Some(Address::parse("::")), 25)));
        assert_eq!(endpoint(":::25").socket(), endpoint("[::]:25").socket());
        assert_eq!(endpoint("[FE80::1]:2525").socket(), endpoint("[fe80:0::1]:2525").socket());
        assert_eq!(endpoint("192.168.1.1:25:").socket(), Some((Some(Address::parse("192.168.1.1")), 25)));
        assert_eq!(endpoint("192.168.1.1").socket(), None, "no port");
        assert_eq!(endpoint("0.0.0.0:99999").socket(), None);
    }

    #[test]
    fn sockets_ignore_spelling_and_host_names() {
        assert_eq!(parse(":25:").socket(), parse("0.0.0.0:25:").socket());
        assert_eq!(parse("10.0.1.25:25:").socket(), parse("10.0.1.25:25:mail.contoso.com").socket());
        assert_ne!(parse(":25:").socket(), parse("10.0.1.25:25:").socket());
        assert_eq!(parse(":abc:").socket(), None);
    }

    #[test]
    fn remote_ranges_are_a_set() {
        let connector = |ranges: &[&str]| ReceiveConnector {
            node: Node::new(crate::directory::Dn::new("CN=Relay"), None),
            server: 0,
            bindings: Vec::new(),
            remote_ranges: ranges.iter().map(|range| range.to_string()).collect(),
        };
        assert_eq!(
            connector(&["10.0.0.0/24", "192.0.2.7"]).remote_range_set(),
            connector(&["192.0.2.7", "10.0.0.0-10.0.0.255", "192.0.2.7"]).remote_range_set()
        );
        assert_ne!(connector(&["10.0.0.0/24"]).remote_range_set(), connector(&["10.0.0.0/25"]).remote_range_set());
    }
}
