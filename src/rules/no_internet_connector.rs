use std::collections::BTreeMap;

use crate::exchange::{Node, SmtpConnector, Topology};
use crate::finding::{Evidence, Finding, Severity};
use crate::source::Location;

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An organization where no SMTP connector or Send connector has the address space
    /// `SMTP:*` (every domain outside the organization), with or without `Local:`. A Send
    /// connector that is disabled (`msExchSmtpSendEnabled: FALSE`) does not count.
    ///
    /// The organization is judged only when the export holds at least one of its connectors
    /// (of any class): an export filtered to other objects cannot say that connectors are
    /// missing.
    ///
    /// ## Why it matters
    /// Without a connector for `SMTP:*`, mail to other domains leaves, if at all, by the
    /// virtual servers' own DNS or smart host settings, outside the routing the connectors
    /// define: no cost, no chosen bridgehead, no delivery restriction applies, and any
    /// server may send to the Internet directly. When several connectors route Internet
    /// mail, one of them should carry `*`.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Fabrikam Partner Relay,CN=Connections,CN=Europe Routing Group,...
    /// objectClass: msExchRoutingSMTPConnector
    /// routingList: SMTP:fabrikam.com;10
    /// ```
    /// The organization's only SMTP connector serves one partner domain.
    ///
    /// ## How to fix
    /// Create an SMTP connector for Internet mail (Exchange System Manager: Internet Mail
    /// Wizard, or a connector with address space `SMTP:*`; Exchange 2007 and later:
    /// `New-SendConnector -Usage Internet -AddressSpaces *`), or enable the one that exists.
    ///
    /// ## Origin
    /// exlint's own check, from Exchange's constraints: one connector should carry the
    /// address space `*` for mail to the Internet ("How to Specify an Address Space for the
    /// Connector", <https://technet.microsoft.com/en-us/library/aa996761(v=exchg.65).aspx>).
    pub static NO_INTERNET_CONNECTOR = Rule {
        code: "CONN013",
        name: "no-internet-connector",
        title: "No connector for Internet mail (SMTP:*)",
        severity: Severity::Warning,
        origin: Origin::Native,
        precondition: needs::connectors,
        check: Check::Organization(check),
    };
}

/// One organization's connectors, as far as the rule needs them.
#[derive(Default)]
struct Organization<'t, 'a> {
    /// The name as the first connector's DN spells it; `None` outside any organization.
    name: Option<String>,
    /// The first connector's entry line, where the finding points when the organization has
    /// no entry.
    first: Option<Location>,
    smtp: Vec<&'t SmtpConnector<'a>>,
}

fn carries_internet(connector: &SmtpConnector<'_>) -> bool {
    connector.address_spaces.iter().any(|space| space.is_all_smtp_domains())
}

fn organizations<'t, 'a>(topology: &'t Topology<'a>) -> BTreeMap<String, Organization<'t, 'a>> {
    let mut organizations: BTreeMap<String, Organization<'t, 'a>> = BTreeMap::new();
    let mut add = |node: &Node<'_>, smtp: Option<&'t SmtpConnector<'a>>| {
        let name = topology.organization_of(&node.dn);
        let organization = organizations.entry(name.as_deref().unwrap_or_default().to_lowercase()).or_default();
        organization.name = organization.name.take().or(name);
        organization.first = organization.first.or(node.location());
        organization.smtp.extend(smtp);
    };
    for connector in &topology.smtp_connectors {
        add(&connector.node, Some(connector));
    }
    for connector in &topology.routing_group_connectors {
        add(&connector.node, None);
    }
    for connector in &topology.x400_connectors {
        add(&connector.node, None);
    }
    for group in &topology.routing_groups {
        if !group.connectors.is_empty() {
            add(&group.node, None);
        }
    }
    organizations
}

fn check(context: &Context<'_>) -> Vec<Finding> {
    let topology = context.topology;
    organizations(topology)
        .into_values()
        .filter(|organization| !organization.smtp.iter().any(|&connector| connector.is_enabled() && carries_internet(connector)))
        .filter_map(|organization| {
            let node = organization.name.as_deref().and_then(|name| {
                let known = topology.organizations.iter().find(|known| known.node.name.eq_ignore_ascii_case(name))?;
                Some(&known.node).filter(|node| node.is_exported())
            });
            let location = node
                .and_then(Node::location)
                .or_else(|| organization.smtp.iter().find_map(|connector| connector.node.location()))
                .or(organization.first)?;
            let owner = match &organization.name {
                Some(name) => format!("organization `{name}`"),
                None => "the export".to_owned(),
            };
            let mut finding = NO_INTERNET_CONNECTOR
                .finding(
                    location,
                    format!("{owner}: no enabled SMTP connector or Send connector has the address space `SMTP:*`, so mail to other domains has no connector"),
                )
                .help("create an SMTP connector or Send connector with the address space `SMTP:*` for Internet mail");
            if let Some(node) = node {
                finding = finding.dn(node.dn.text()).evidence(node.evidence("organization whose connectors the export holds"));
            }
            Some(organization.smtp.iter().fold(finding, |finding, connector| finding.evidence(evidence(connector))))
        })
        .collect()
}

/// What each SMTP connector of the organization has instead.
fn evidence(connector: &SmtpConnector<'_>) -> Option<Evidence> {
    let name = &connector.node.name;
    if carries_internet(connector)
        && let Some(flag) = connector.send_enabled().filter(|enabled| !**enabled)
    {
        return Some(flag.evidence(format!("connector `{name}` has `SMTP:*` but is disabled")));
    }
    match connector.address_spaces.first() {
        Some(space) => Some(space.evidence(format!("connector `{name}` has address spaces, none of them `SMTP:*`"))),
        None => connector.node.evidence(format!("connector `{name}` has no address space")),
    }
}
