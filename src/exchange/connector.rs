//! Connectors under a routing group's `CN=Connections`: SMTP connectors (Exchange 2000/2003)
//! and Send connectors (Exchange 2007+), both `msExchRoutingSMTPConnector`, and routing group
//! connectors (`msExchRoutingGroupConnector`).

use std::fmt;
use std::net::IpAddr;

use super::placement::Placement;
use super::routing::EXCHANGE_2007_ROUTING_GROUP;
use super::transport_flags::{OutboundSecurity, SendFlags};
use super::{Located, Node, Reference};

/// An SMTP connector or Send connector.
#[derive(Clone, Debug)]
pub struct SmtpConnector<'a> {
    pub node: Node<'a>,
    /// Index into [`Topology::routing_groups`](super::Topology::routing_groups), from the DN.
    pub routing_group: Option<usize>,
    /// `routingList`.
    pub address_spaces: Vec<Located<'a, AddressSpace>>,
    /// `msExchSourceBridgeheadServersDN`: DNs of SMTP virtual servers.
    pub source_bridgeheads: Vec<Reference<'a>>,
    /// `msExchSmtpSmartHost`, split; when set, mail goes to these hosts instead of by DNS.
    pub smart_hosts: Option<Located<'a, Vec<SmartHost>>>,
}

/// Attributes only Exchange 2007 and later write on an `msExchRoutingSMTPConnector`: a Send
/// connector always has its port and flags, which Exchange stores even at their defaults.
const SEND_CONNECTOR_ATTRIBUTES: [&str; 10] = [
    "msExchSmtpSendPort",
    "msExchSmtpSendFlags",
    "msExchSmtpSendEnabled",
    "msExchSMTPSendConnectorFQDN",
    "msExchSmtpSendBindingIPAddress",
    "msExchSmtpSendConnectionTimeout",
    "msExchSmtpMaxMessagesPerConnection",
    "msExchSmtpSendNdrLevel",
    "msExchSmtpSendProtocolLoggingLevel",
    "msExchSmtpSendTlsDomain",
];

impl<'a> SmtpConnector<'a> {
    /// Whether some `routingList` value is of type SMTP, with or without `Local:`.
    pub fn has_smtp_address_space(&self) -> bool {
        self.address_spaces.iter().any(|space| space.is_smtp())
    }

    /// The smart hosts; none when the connector routes by DNS.
    pub fn smart_host_list(&self) -> &[SmartHost] {
        self.smart_hosts.as_ref().map_or(&[], |hosts| &hosts.value)
    }

    /// `msExchSmtpSendEnabled`; absent means enabled. Only Exchange 2007 and later honour it.
    pub fn send_enabled(&self) -> Option<Located<'a, bool>> {
        self.node.boolean("msExchSmtpSendEnabled")
    }

    /// Whether the connector is enabled: `msExchSmtpSendEnabled` is not `FALSE`.
    pub fn is_enabled(&self) -> bool {
        self.send_enabled().is_none_or(|enabled| *enabled)
    }

    /// `msExchSmtpSendFlags` of a Send connector.
    pub fn send_flags(&self) -> Option<Located<'a, SendFlags>> {
        // The attribute is a 32-bit integer; negative values are its high bits set.
        Some(self.node.integer("msExchSmtpSendFlags")?.map(|flags| SendFlags(flags as u32)))
    }

    /// `msExchSmtpOutboundSecurityFlag`: TLS on the way out.
    pub fn outbound_security(&self) -> Option<Located<'a, OutboundSecurity>> {
        Some(self.node.integer("msExchSmtpOutboundSecurityFlag")?.map(OutboundSecurity))
    }

    /// `msExchSmtpTLSCertificate`: the certificate the connector offers, `<I>issuer<S>subject`.
    pub fn tls_certificate_name(&self) -> Option<Located<'a, String>> {
        self.node.text("msExchSmtpTLSCertificate")
    }

    /// `msExchSmtpSendTlsDomain`: the domain the remote certificate must name under
    /// `DomainValidation`.
    pub fn tls_domain(&self) -> Option<Located<'a, String>> {
        self.node.text("msExchSmtpSendTlsDomain")
    }

    /// Whether the connector sends to Exchange Online, as HealthChecker tells it: a smart host
    /// under `mail.protection.outlook.com` or an address space under `mail.onmicrosoft.com`.
    pub fn sends_to_exchange_online(&self) -> bool {
        let under = |name: &str, domain: &str| {
            let name = name.trim().trim_end_matches('.').to_ascii_lowercase();
            name.ends_with(&format!(".{domain}"))
        };
        self.smart_host_list().iter().any(|host| under(&host.host, "mail.protection.outlook.com"))
            || self.address_spaces.iter().any(|space| space.is_smtp() && under(&space.address, "mail.onmicrosoft.com"))
    }

    /// `msExchSmtpOutboundSecurityUserName`: the account the connector authenticates to its
    /// smart host with.
    pub fn outbound_user_name(&self) -> Option<Located<'a, String>> {
        self.node.text("msExchSmtpOutboundSecurityUserName")
    }

    /// Whether Exchange 2007 or later wrote it (a Send connector) rather than Exchange
    /// 2000/2003 (an SMTP connector): it carries an attribute only Send connectors have, or it
    /// sits in the routing group that holds every Exchange 2007+ server.
    pub fn is_send_connector(&self) -> bool {
        SEND_CONNECTOR_ATTRIBUTES.iter().any(|name| self.node.attribute(name).is_some())
            || Placement::of(&self.node.dn)
                .routing_group
                .is_some_and(|group| group.name().eq_ignore_ascii_case(EXCHANGE_2007_ROUTING_GROUP))
    }
}

/// Whether a connector is one of the hidden per-server objects Exchange 2000/2003 may keep
/// under `CN=Connections`, named `SMTP (<SERVER>-{<GUID>})`, without an address space: not a
/// connector an administrator made, so not counted or judged as one.
pub fn is_hidden_server_connector(node: &Node<'_>) -> bool {
    let name = &node.name;
    let hidden_name = name.get(..6).is_some_and(|prefix| prefix.eq_ignore_ascii_case("SMTP ("))
        && name.ends_with("})")
        && name.contains("-{");
    node.is_exported() && hidden_name && node.attribute("routingList").is_none()
}

/// A certificate as connectors name it in `msExchSmtpTLSCertificate` (`TlsCertificateName`):
/// `<I>X.500 issuer<S>X.500 subject`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateName {
    pub issuer: String,
    pub subject: String,
}

impl CertificateName {
    /// Parses `<I>issuer<S>subject` (the markers in any case); `Err` says what is wrong.
    pub fn parse(text: &str) -> Result<CertificateName, String> {
        let text = text.trim();
        let upper = text.to_ascii_uppercase();
        if !upper.starts_with("<I>") {
            return Err("it does not start with `<I>`, the issuer's marker".to_owned());
        }
        let Some(subject_at) = upper.find("<S>") else {
            return Err("it has no `<S>`, the subject's marker".to_owned());
        };
        let issuer = text[3..subject_at].trim();
        let subject = text[subject_at + 3..].trim();
        if issuer.is_empty() || subject.is_empty() {
            return Err(format!("its {} is empty", if issuer.is_empty() { "issuer" } else { "subject" }));
        }
        Ok(CertificateName { issuer: issuer.to_owned(), subject: subject.to_owned() })
    }
}

/// A connector that carries address spaces (`routingList`), as the rules about them see it:
/// an SMTP, Send or X.400 connector.
pub struct AddressSpaceConnector<'t, 'a> {
    pub node: &'t Node<'a>,
    pub address_spaces: &'t [Located<'a, AddressSpace>],
    /// How messages name its kind: `connector`, `X.400 connector`.
    pub kind: &'static str,
}

impl AddressSpaceConnector<'_, '_> {
    /// Whether it connects routing groups (`connectedDomains`), which routes mail to it
    /// without an address space.
    pub fn connects_routing_groups(&self) -> bool {
        self.node.attribute("connectedDomains").is_some()
    }
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

/// Who a routing group connector's delivery restrictions name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeliveryRestriction {
    /// `dLMemSubmitPerms`: only members of the group may send through it.
    OnlyMembers,
    /// `dLMemRejectPerms`: members of the group may not send through it.
    NotMembers,
}

impl<'a> RoutingGroupConnector<'a> {
    /// The groups its delivery restrictions name, in file order.
    pub fn delivery_restrictions(&self) -> Vec<Located<'a, DeliveryRestriction>> {
        let only = self.node.lines("dLMemSubmitPerms", |_| DeliveryRestriction::OnlyMembers);
        let not = self.node.lines("dLMemRejectPerms", |_| DeliveryRestriction::NotMembers);
        only.into_iter().chain(not).collect()
    }
}

/// An X.400 connector (`x400Link`).
#[derive(Clone, Debug)]
pub struct X400Connector<'a> {
    pub node: Node<'a>,
    pub routing_group: Option<usize>,
    /// `routingList`.
    pub address_spaces: Vec<Located<'a, AddressSpace>>,
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
    /// `None` when the cost is not a number (or a negative one).
    pub cost: Option<u32>,
    /// What Exchange would refuse in it; empty for a well-formed value.
    pub problems: Vec<AddressSpaceProblem>,
}

/// What makes a `routingList` value one that Exchange refuses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AddressSpaceProblem {
    /// `Local:` twice: Exchange strips one scope prefix and refuses a value that has another.
    ScopeRepeated,
    /// A type that is no address type: blank, longer than 9 characters, or not printable
    /// ASCII (the rules for proxy address prefixes).
    BadType(String),
    /// Nothing between the type and the cost.
    NoAddress,
    /// An SMTP address space that is not `*`, `--`, a domain, or `*.` and a domain.
    BadDomain(String),
    /// The text after the last `;` is not a whole number.
    CostNotANumber(String),
    /// A cost outside 1 to 100.
    CostOutOfRange(i64),
}

impl fmt::Display for AddressSpaceProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddressSpaceProblem::ScopeRepeated => f.write_str("`Local:` is written twice"),
            AddressSpaceProblem::BadType(kind) => {
                write!(f, "type `{kind}` is not an address type (1 to 9 printable ASCII characters)")
            }
            AddressSpaceProblem::NoAddress => f.write_str("there is no address after the type"),
            AddressSpaceProblem::BadDomain(domain) => {
                write!(f, "`{domain}` is not `*`, `--`, a domain, or `*.` followed by a domain")
            }
            AddressSpaceProblem::CostNotANumber(cost) => write!(f, "cost `{cost}` is not a number"),
            AddressSpaceProblem::CostOutOfRange(cost) => write!(f, "cost {cost} is outside 1 to 100"),
        }
    }
}

/// The scope prefix, and the value without it.
fn strip_scope(text: &str) -> (bool, &str) {
    match text.get(..6) {
        Some(prefix) if prefix.eq_ignore_ascii_case("local:") => (true, &text[6..]),
        _ => (false, text),
    }
}

/// An SMTP address space Exchange accepts: `*` (every domain), `--` (the organization's
/// accepted domains, Exchange 2007+), or a domain, optionally `*.` first for its subdomains.
fn is_smtp_domain(address: &str) -> bool {
    if matches!(address, "*" | "--") {
        return true;
    }
    let domain = address.strip_prefix("*.").unwrap_or(address);
    !domain.is_empty()
        && domain
            .split('.')
            .all(|label| !label.is_empty() && label.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_'))
}

impl AddressSpace {
    /// Parses as Exchange does: an optional `Local:` prefix, the type before the first `:`
    /// (none, or an empty one, means SMTP), the cost after the last `;` (none, or a trailing
    /// `;`, means 1; for X.400 a trailing `;` belongs to the address), and notes what Exchange
    /// would refuse. X.400 addresses are not checked beyond being present; a last field that
    /// is not a number is taken as part of an X.400 address.
    pub fn parse(text: &str) -> AddressSpace {
        let trimmed = text.trim();
        let mut problems = Vec::new();
        let (local, rest) = strip_scope(trimmed);
        if local && strip_scope(rest).0 {
            problems.push(AddressSpaceProblem::ScopeRepeated);
        }
        let (kind, rest) = match rest.split_once(':') {
            Some((kind, after)) if !kind.is_empty() => (kind, after),
            Some((_, after)) => ("smtp", after),
            None => ("smtp", rest),
        };
        let is_x400 = kind.eq_ignore_ascii_case("x400");
        let (address, cost) = match rest.rsplit_once(';') {
            None => (rest, Some(1)),
            Some((address, "")) if !is_x400 => (address, Some(1)),
            Some((address, cost)) => match cost.trim().parse::<i64>() {
                Ok(cost) => {
                    if !(1..=100).contains(&cost) {
                        problems.push(AddressSpaceProblem::CostOutOfRange(cost));
                    }
                    (address, u32::try_from(cost).ok())
                }
                // X.400 addresses hold `;` themselves: without a number at the end, it is all address.
                Err(_) if is_x400 => (rest, Some(1)),
                Err(_) => {
                    problems.push(AddressSpaceProblem::CostNotANumber(cost.trim().to_owned()));
                    (address, None)
                }
            },
        };
        let blank = kind.trim().is_empty();
        if blank || kind.len() > 9 || !kind.bytes().all(|byte| (0x20..0x7f).contains(&byte)) {
            problems.push(AddressSpaceProblem::BadType(kind.to_owned()));
        }
        let trimmed_address = address.trim();
        if trimmed_address.is_empty() {
            problems.push(AddressSpaceProblem::NoAddress);
        } else if kind.eq_ignore_ascii_case("smtp") && !is_smtp_domain(trimmed_address) {
            problems.push(AddressSpaceProblem::BadDomain(trimmed_address.to_owned()));
        }
        AddressSpace {
            text: text.to_owned(),
            local,
            kind: kind.to_owned(),
            address: address.to_owned(),
            cost,
            problems,
        }
    }

    pub fn is_smtp(&self) -> bool {
        self.kind.eq_ignore_ascii_case("smtp")
    }

    /// `SMTP:*`: every domain outside the organization, the address space of Internet mail.
    pub fn is_all_smtp_domains(&self) -> bool {
        self.is_smtp() && self.address.trim() == "*"
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

    /// Whether the host is an IP address (IPv4 or IPv6) rather than a name.
    pub fn is_ip_address(&self) -> bool {
        self.host.parse::<IpAddr>().is_ok()
    }

    /// Whether this is the host the user named: names compared ignoring case and a final dot,
    /// IP addresses with their brackets stripped.
    pub fn is(&self, given: &str) -> bool {
        let given = given.trim();
        let given = given.strip_prefix('[').and_then(|host| host.strip_suffix(']')).unwrap_or(given);
        let normal = |host: &str| host.trim().trim_end_matches('.').to_ascii_lowercase();
        match (self.host.parse::<IpAddr>(), given.trim().parse::<IpAddr>()) {
            (Ok(own), Ok(given)) => own == given,
            _ => normal(&self.host) == normal(given),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_certificate_names_and_says_what_is_wrong() {
        use super::CertificateName;
        let name = CertificateName::parse("<I>CN=R11, O=Let's Encrypt, C=US<S>CN=mail.contoso.com").unwrap();
        assert_eq!(
            (name.issuer.as_str(), name.subject.as_str()),
            ("CN=R11, O=Let's Encrypt, C=US", "CN=mail.contoso.com")
        );
        assert!(CertificateName::parse("<i>CN=CA<s>CN=mail").is_ok());
        assert_eq!(
            CertificateName::parse("CN=mail.contoso.com").unwrap_err(),
            "it does not start with `<I>`, the issuer's marker"
        );
        assert_eq!(CertificateName::parse("<I>CN=CA").unwrap_err(), "it has no `<S>`, the subject's marker");
        assert_eq!(CertificateName::parse("<I><S>CN=mail").unwrap_err(), "its issuer is empty");
    }

    use super::*;

    fn parse(text: &str) -> AddressSpace {
        AddressSpace::parse(text)
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
    fn well_formed_values_have_no_problems() {
        for text in [
            "SMTP:*;1",
            "smtp:*.fabrikam.com;10",
            "Local:SMTP:contoso.com;100",
            "SMTP:--;1",
            "SMTP:xn--bcher-kva.example;",
            "fabrikam.com",
            ":fabrikam.com;5",
            "X400:c=US;a= ;p=Contoso;o=Exchange;",
            "X400:c=US;a= ;p=Contoso;o=Exchange;;20",
            "NOTES:*;1",
            "SMTP:contoso.com; 7 ",
        ] {
            assert_eq!(parse(text).problems, [], "{text}");
        }
        assert_eq!(parse(":fabrikam.com;5").kind, "smtp", "an empty type means SMTP, as in Exchange");
    }

    #[test]
    fn says_what_is_malformed() {
        use AddressSpaceProblem::*;
        assert_eq!(parse("SMTP:*;0").problems, [CostOutOfRange(0)]);
        assert_eq!(parse("SMTP:*;101").problems, [CostOutOfRange(101)]);
        let negative = parse("SMTP:*;-5");
        assert_eq!((negative.problems.as_slice(), negative.cost), ([CostOutOfRange(-5)].as_slice(), None));
        assert_eq!(parse("SMTP:*;high").problems, [CostNotANumber("high".into())]);
        assert_eq!(parse("Local:Local:SMTP:*;1").problems, [ScopeRepeated]);
        assert_eq!(parse("SMTPMAILGW:*;1").problems, [BadType("SMTPMAILGW".into())]);
        assert_eq!(parse("Local: :*;1").problems, [BadType(" ".into())]);
        assert_eq!(parse("SMTPé:*;1").problems, [BadType("SMTPé".into())]);
        assert_eq!(parse("SMTP:;1").problems, [NoAddress]);
        assert_eq!(parse("NOTES:;1").problems, [NoAddress]);
        assert_eq!(parse("SMTP:contoso..com;1").problems, [BadDomain("contoso..com".into())]);
        assert_eq!(parse("SMTP:user@contoso.com;1").problems, [BadDomain("user@contoso.com".into())]);
        assert_eq!(parse("SMTP:contoso.*;1").problems, [BadDomain("contoso.*".into())]);
        assert_eq!(parse("SMTP:;abc").problems, [CostNotANumber("abc".into()), NoAddress]);
        assert_eq!(CostOutOfRange(0).to_string(), "cost 0 is outside 1 to 100");
        assert_eq!(
            BadType("SMTPMAILGW".into()).to_string(),
            "type `SMTPMAILGW` is not an address type (1 to 9 printable ASCII characters)"
        );
    }

    #[test]
    fn knows_the_internet_address_space() {
        assert!(parse("SMTP:*;1").is_all_smtp_domains());
        assert!(parse("Local:smtp:*;5").is_all_smtp_domains());
        assert!(!parse("SMTP:*.fabrikam.com;1").is_all_smtp_domains());
        assert!(!parse("NOTES:*;1").is_all_smtp_domains());
    }

    #[test]
    fn compares_smart_hosts_with_what_the_user_names() {
        let hosts = SmartHost::parse_list("[192.0.2.10]; Relay.ISP.example.;[2001:db8::1]");
        assert!(hosts[0].is("192.0.2.10") && hosts[0].is("[192.0.2.10]") && !hosts[0].is("192.0.2.1"));
        assert!(hosts[1].is("relay.isp.example") && hosts[1].is("RELAY.isp.example."));
        assert!(hosts[2].is("[2001:0db8::0001]"));
        assert!(hosts[0].is_ip_address() && hosts[2].is_ip_address() && !hosts[1].is_ip_address());
        assert!(SmartHost::parse_list("192.0.2.10")[0].is_ip_address());
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
