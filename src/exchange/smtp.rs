//! SMTP virtual servers (`protocolCfgSMTPServer`) of Exchange 2000/2003, their bindings and
//! settings, and the receive connectors of Exchange 2007 and later.

use std::collections::BTreeSet;
use std::fmt;

use crate::security::{DescriptorError, SecurityDescriptor};

use super::flags::AuthenticationMethods;
use super::ip::{Address, IpRange};
use super::transport_flags::{RECEIVE_REQUIRE_TLS, ReceiveAuthentication};
use super::{Located, Node, SmartHost};

/// An SMTP virtual server: `CN=<instance>,CN=SMTP,CN=Protocols,CN=<server>,...`. Its settings
/// are read when asked for; an absent one means the product default.
#[derive(Clone, Debug)]
pub struct SmtpVirtualServer<'a> {
    pub node: Node<'a>,
    /// Index into [`Topology::servers`](super::Topology::servers).
    pub server: usize,
    /// `adminDisplayName` (`Default SMTP Virtual Server`), when exported.
    pub display_name: Option<String>,
    /// `msExchServerBindings`, in file order.
    pub bindings: Vec<Located<'a, Binding>>,
    /// `msExchSmtpSmartHost`: where the virtual server sends all its mail, split.
    pub smart_hosts: Option<Located<'a, Vec<SmartHost>>>,
}

impl<'a> SmtpVirtualServer<'a> {
    /// How reports name it: `1 (Default SMTP Virtual Server)`.
    pub fn label(&self) -> String {
        match &self.display_name {
            Some(display) => format!("{} ({display})", self.node.name),
            None => self.node.name.clone(),
        }
    }

    /// `msExchAuthenticationFlags`: the authentication methods it accepts.
    pub fn authentication(&self) -> Option<Located<'a, AuthenticationMethods>> {
        Some(self.node.integer("msExchAuthenticationFlags")?.map(AuthenticationMethods))
    }

    /// `msExchSmtpMaxRecipients`: recipients per message.
    pub fn max_recipients(&self) -> Option<Located<'a, i64>> {
        self.node.integer("msExchSmtpMaxRecipients")
    }

    /// `msExchSmtpMaxHopCount`: how many servers a message may pass before it is returned.
    pub fn max_hop_count(&self) -> Option<Located<'a, i64>> {
        self.node.integer("msExchSmtpMaxHopCount")
    }

    /// `msExchSmtpOutgoingPort`: the remote port outbound mail goes to.
    pub fn outgoing_port(&self) -> Option<Located<'a, i64>> {
        self.node.integer("msExchSmtpOutgoingPort")
    }

    /// `msExchSmtpMaxOutgoingConnections`: outbound connections at once.
    pub fn max_outgoing_connections(&self) -> Option<Located<'a, i64>> {
        self.node.integer("msExchSmtpMaxOutgoingConnections")
    }

    /// `msExchSmtpMaxOutgoingConnectionsPerDomain`: outbound connections per remote domain.
    pub fn max_outgoing_connections_per_domain(&self) -> Option<Located<'a, i64>> {
        self.node.integer("msExchSmtpMaxOutgoingConnectionsPerDomain")
    }

    /// `msExchSmtpSmartHostType`: 0 DNS only, 1 DNS then the smart host, 2 the smart host always.
    pub fn smart_host_type(&self) -> Option<Located<'a, i64>> {
        self.node.integer("msExchSmtpSmartHostType")
    }

    /// `msExchSmtpRelayForAuth` as written: whether computers that authenticate may relay.
    pub fn relay_for_authenticated(&self) -> Option<Located<'a, String>> {
        self.node.text("msExchSmtpRelayForAuth")
    }

    /// `heuristics`, where bit values other than the default 131072 rewrite SMTP domains (the
    /// Address Rewrite tool).
    pub fn heuristics(&self) -> Option<Located<'a, i64>> {
        self.node.integer("heuristics")
    }

    /// `msExchSmtpInboundCommandSupportOptions`: the ESMTP verbs it advertises, a bit mask.
    pub fn inbound_commands(&self) -> Option<Located<'a, i64>> {
        self.node.integer("msExchSmtpInboundCommandSupportOptions")
    }

    /// `msExchSmtpQueueDirectory`: where its queues are kept.
    pub fn queue_directory(&self) -> Option<Located<'a, String>> {
        self.node.text("msExchSmtpQueueDirectory")
    }

    /// `msExchSmtpFullyQualifiedDomainName`: the name it gives in HELO/EHLO.
    pub fn fully_qualified_domain_name(&self) -> Option<Located<'a, String>> {
        self.node.text("msExchSmtpFullyQualifiedDomainName")
    }

    /// `msExchAlternateServer`: where it forwards mail for unresolved recipients.
    pub fn alternate_server(&self) -> Option<Located<'a, String>> {
        self.node.text("msExchAlternateServer")
    }
}

/// An Exchange 2007+ receive connector: `CN=<name>,CN=SMTP Receive Connectors,CN=Protocols,...`.
#[derive(Clone, Debug)]
pub struct ReceiveConnector<'a> {
    pub node: Node<'a>,
    /// Index into [`Topology::servers`](super::Topology::servers).
    pub server: usize,
    /// `msExchSmtpReceiveBindings`: `ip:port`.
    pub bindings: Vec<Located<'a, Binding>>,
    /// `msExchSmtpReceiveRemoteIPRanges`, each as the addresses it covers.
    pub remote_ranges: Vec<Located<'a, IpRange>>,
    /// `nTSecurityDescriptor`, read; `None` when the export left it out.
    pub security_descriptor: Option<Located<'a, Result<SecurityDescriptor, DescriptorError>>>,
}

impl<'a> ReceiveConnector<'a> {
    /// `msExchSmtpReceiveEnabled`; absent means enabled.
    pub fn enabled(&self) -> Option<Located<'a, bool>> {
        self.node.boolean("msExchSmtpReceiveEnabled")
    }

    /// Whether the connector is enabled: `msExchSmtpReceiveEnabled` is not `FALSE`.
    pub fn is_enabled(&self) -> bool {
        self.enabled().is_none_or(|enabled| *enabled)
    }

    /// `msExchSMTPReceiveInboundSecurityFlag`: its `AuthMechanism`; `None` when absent, which
    /// means [`ReceiveAuthentication::DEFAULT`].
    pub fn authentication(&self) -> Option<Located<'a, ReceiveAuthentication>> {
        Some(self.node.integer("msExchSMTPReceiveInboundSecurityFlag")?.map(ReceiveAuthentication))
    }

    /// The `AuthMechanism` in force, the default when the attribute is absent.
    pub fn authentication_value(&self) -> ReceiveAuthentication {
        self.authentication().map_or(ReceiveAuthentication(ReceiveAuthentication::DEFAULT), |flags| flags.value)
    }

    /// `RequireTLS` (bit 8 of `msExchSmtpReceiveProtocolRestrictions`), with its line.
    pub fn requires_tls(&self) -> Option<Located<'a, bool>> {
        let restrictions = self.node.integer("msExchSmtpReceiveProtocolRestrictions")?;
        let required = *restrictions & RECEIVE_REQUIRE_TLS != 0;
        Some(restrictions.with(required))
    }

    /// The bindings on one of the ports clients and servers submit mail to (25, 587).
    pub fn mail_bindings(&self) -> impl Iterator<Item = &Located<'a, Binding>> {
        self.bindings.iter().filter(|binding| matches!(binding.port, Some(25 | 587)))
    }

    /// The remote IP range that covers every IPv4 or every IPv6 address, if the connector has
    /// one: it accepts connections from anywhere.
    pub fn every_address_range(&self) -> Option<&Located<'a, IpRange>> {
        self.remote_ranges.iter().find(|range| range.covers_every_address())
    }

    /// The remote IP ranges as the addresses they cover, without order or repeats: the
    /// connector accepts connections from their union.
    pub fn remote_range_set(&self) -> BTreeSet<IpRange> {
        self.remote_ranges.iter().map(|range| range.value.clone()).collect()
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
}

impl Binding {
    /// Parses `[ip]:port:[host]`; `ip:port` (no host field) is accepted too. The port is the
    /// second field from the right, so IPv6 addresses in brackets keep their colons.
    pub fn parse(text: &str) -> Binding {
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
        }
    }
}

impl Binding {
    /// Parses `ip:port`, the grammar of Exchange 2007+ receive connector bindings
    /// (`msExchSmtpReceiveBindings`): like Exchange, drop one trailing `:` and split at the last
    /// `:`, so that `[::]:25` and `:::25` keep their IPv6 address.
    pub fn parse_endpoint(text: &str) -> Binding {
        let trimmed = text.trim();
        let trimmed = trimmed.strip_suffix(':').unwrap_or(trimmed);
        let (ip, port) = trimmed.rsplit_once(':').unwrap_or(("", trimmed));
        let ip = ip.trim();
        Binding {
            text: text.to_owned(),
            ip: (!matches!(ip, "" | "0.0.0.0" | "*")).then(|| ip.to_owned()),
            port: port.trim().parse().ok(),
            host: None,
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

    fn parse(text: &str) -> Binding {
        Binding::parse(text)
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
        Binding::parse_endpoint(text)
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
        let range_set = |ranges: &[&str]| {
            let lines: String =
                ranges.iter().map(|range| format!("msExchSmtpReceiveRemoteIPRanges: {range}\n")).collect();
            let text = format!(
                "dn: CN=Relay,CN=SMTP Receive Connectors,CN=Protocols,CN=EX01,CN=Servers,CN=AG,CN=Administrative Groups,CN=Org,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=x\nobjectClass: msExchSmtpReceiveConnector\n{lines}"
            );
            let directory = crate::exchange::builder::test_directory(&text);
            super::super::Topology::build(&directory).receive_connectors[0].remote_range_set()
        };
        assert_eq!(
            range_set(&["10.0.0.0/24", "192.0.2.7"]),
            range_set(&["192.0.2.7", "10.0.0.0-10.0.0.255", "192.0.2.7"])
        );
        assert_ne!(range_set(&["10.0.0.0/24"]), range_set(&["10.0.0.0/25"]));
    }
}
