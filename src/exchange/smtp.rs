//! SMTP virtual servers (`protocolCfgSMTPServer`) and their bindings.

use std::fmt;

use crate::source::Location;

use super::Node;

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
}
