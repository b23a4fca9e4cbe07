//! What the export must hold for a rule to look: the preconditions rules share. A rule whose
//! precondition fails is reported as not evaluated with the reason, so that a clean report
//! never hides a rule that could not look at anything.

use super::Context;

/// Rules about the SMTP virtual servers of Exchange 2000/2003 need one. Those of Exchange 2007
/// and later are placeholders that those rules skip, so an organization without older servers
/// has none to look at.
pub(crate) fn legacy_virtual_servers(context: &Context<'_>) -> Result<(), String> {
    let topology = context.topology;
    let legacy = topology
        .virtual_servers
        .iter()
        .any(|virtual_server| topology.servers[virtual_server.server].routes_with_virtual_servers());
    if legacy {
        Ok(())
    } else {
        Err("the export holds no SMTP virtual server (class `protocolCfgSMTPServer`) of an Exchange 2000/2003 server"
            .to_owned())
    }
}

/// Organization-wide limits of Exchange 2000/2003 live in `CN=Message Delivery`.
pub(crate) fn message_delivery(context: &Context<'_>) -> Result<(), String> {
    if context.topology.message_delivery.is_empty() {
        Err("the export holds no `CN=Message Delivery,CN=Global Settings,...` entry (class `msExchMessageDeliveryConfig`), where Exchange 2000/2003 keeps the organization's limits".to_owned())
    } else {
        Ok(())
    }
}

/// Rules about a server's version read it from `serialNumber` on the server's entry.
pub(crate) fn server_versions(context: &Context<'_>) -> Result<(), String> {
    if context.topology.servers.iter().any(|server| server.version.is_some()) {
        Ok(())
    } else {
        Err("the export holds no Exchange server entry (class `msExchExchangeServer`) with a readable `serialNumber` such as `Version 6.5 (Build 7638.2: Service Pack 2)`".to_owned())
    }
}

/// Rules about routing groups read their entries.
pub(crate) fn routing_groups(context: &Context<'_>) -> Result<(), String> {
    if context.topology.routing_groups.iter().any(|group| group.node.entry.is_some()) {
        Ok(())
    } else {
        Err("the export holds no routing group entry (class `msExchRoutingGroup`)".to_owned())
    }
}

/// Organization-wide limits of Exchange 2007 SP1 and later live in `CN=Transport Settings`.
pub(crate) fn transport_settings(context: &Context<'_>) -> Result<(), String> {
    if context.topology.transport_settings.is_empty() {
        Err("the export holds no `CN=Transport Settings,CN=<organization>,...` entry (class `msExchTransportSettings`), where Exchange 2007 SP1 and later keep the organization's limits".to_owned())
    } else {
        Ok(())
    }
}
