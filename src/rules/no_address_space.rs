use crate::exchange::{AddressSpaceConnector, is_hidden_server_connector};
use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An SMTP connector, Send connector or X.400 connector with neither an address space
    /// (`routingList`) nor a connected routing group (`connectedDomains`). The hidden
    /// per-server objects Exchange 2000/2003 may keep under `CN=Connections`, named
    /// `SMTP (<SERVER>-{<GUID>})`, have neither and are not judged.
    ///
    /// ## Why it matters
    /// Routing picks a connector for a message by its address spaces and connected routing
    /// groups. A connector with neither is never chosen: whatever it was made for (a partner
    /// domain, Internet mail, another routing group) does not flow through it. Exchange
    /// itself refuses to save such a connector, so one in the directory was written by a
    /// script or left half-edited.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Fabrikam Partner Relay,CN=Connections,CN=Europe Routing Group,...
    /// objectClass: msExchRoutingSMTPConnector
    /// msExchSmtpSmartHost: [192.0.2.10]
    /// ```
    ///
    /// ## How to fix
    /// Add the address space the connector is for (Address Space tab in Exchange System
    /// Manager, `Set-SendConnector -AddressSpaces` on Exchange 2007 and later), or delete
    /// the connector if it serves no purpose.
    ///
    /// ## Origin
    /// exlint's own check, from Exchange's constraints: a connector needs an address space or
    /// a connected routing group (Exchange 2003 administration help on address spaces,
    /// <http://unifiedpeople.ru/exadmin_sp2.en/exchsvrs_htm/exchsvrsp_x400addmodifyremoveaddressspace.htm>;
    /// Exchange 2007 and later refuse to save a Send connector without either,
    /// `NoAddressSpaces`).
    pub static NO_ADDRESS_SPACE = Rule {
        code: "CONN006",
        name: "no-address-space",
        title: "Connector without an address space or connected routing group",
        severity: Severity::Error,
        origin: Origin::Native,
        precondition: needs::address_space_connectors,
        check: Check::Organization(check),
    };
}

fn check(context: &Context<'_>) -> Vec<Finding> {
    context.topology.address_space_connectors().filter_map(|connector| judge(&connector)).collect()
}

fn judge(connector: &AddressSpaceConnector<'_, '_>) -> Option<Finding> {
    let node = connector.node;
    if !connector.address_spaces.is_empty() || connector.connects_routing_groups() || is_hidden_server_connector(node) {
        return None;
    }
    let message = format!(
        "{} `{}` has no address space and no connected routing group, so no mail is routed to it",
        connector.kind, node.name
    );
    let finding = NO_ADDRESS_SPACE.finding_on(node, message, "no `routingList` and no `connectedDomains`")?;
    Some(finding.help("add the address space the connector is for, or delete the connector"))
}
