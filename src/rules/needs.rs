//! What the export must hold for a rule to look: the preconditions rules share. A rule whose
//! precondition fails is reported as not evaluated with the reason, so that a clean report
//! never hides a rule that could not look at anything.

use super::Context;

/// Rules about the SMTP virtual servers of Exchange 2000/2003 need one. Those of Exchange 2007
/// and later are placeholders that those rules skip, so an organization without older servers
/// has none to look at.
pub(crate) fn legacy_virtual_servers(context: &Context<'_>) -> Result<(), String> {
    if context.topology.legacy_virtual_servers().next().is_some() {
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

/// Rules about SMTP connectors and Send connectors need one: a filtered export without them
/// says nothing about them.
pub(crate) fn smtp_connectors(context: &Context<'_>) -> Result<(), String> {
    if context.topology.smtp_connectors.is_empty() {
        Err("the export holds no SMTP connector or Send connector (class `msExchRoutingSMTPConnector`)".to_owned())
    } else {
        Ok(())
    }
}

/// Rules about routing group connectors need one.
pub(crate) fn routing_group_connectors(context: &Context<'_>) -> Result<(), String> {
    if context.topology.routing_group_connectors.is_empty() {
        Err("the export holds no routing group connector (class `msExchRoutingGroupConnector`)".to_owned())
    } else {
        Ok(())
    }
}

/// Rules about address spaces (`routingList`) need a connector that has them: an SMTP, Send or
/// X.400 connector.
pub(crate) fn address_space_connectors(context: &Context<'_>) -> Result<(), String> {
    if context.topology.address_space_connectors().next().is_none() {
        Err("the export holds no SMTP, Send or X.400 connector (class `msExchRoutingSMTPConnector` or `x400Link`)"
            .to_owned())
    } else {
        Ok(())
    }
}

/// Rules about the organization's connectors as a whole need at least one connector of any
/// class: an export without any was filtered, and cannot say that connectors are missing.
pub(crate) fn connectors(context: &Context<'_>) -> Result<(), String> {
    let topology = context.topology;
    let none = topology.smtp_connectors.is_empty()
        && topology.routing_group_connectors.is_empty()
        && topology.x400_connectors.is_empty()
        && topology.routing_groups.iter().all(|group| group.connectors.is_empty());
    if none {
        Err("the export holds no connector (class `msExchConnector` or a subclass) under a routing group's `CN=Connections`".to_owned())
    } else {
        Ok(())
    }
}

/// Rules that depend on which Exchange versions the organization runs need a server entry whose
/// `serialNumber` tells.
pub(crate) fn server_versions(context: &Context<'_>) -> Result<(), String> {
    if context.topology.servers.iter().any(|server| server.version.is_some()) {
        Ok(())
    } else {
        Err("the export holds no Exchange server entry (class `msExchExchangeServer`) with a readable `serialNumber` (such as `Version 6.5 (Build 7638.2: Service Pack 2)`), so which Exchange versions the organization runs is unknown".to_owned())
    }
}

/// Rules about routing groups read their entries.
pub(crate) fn routing_groups(context: &Context<'_>) -> Result<(), String> {
    if context.topology.routing_groups.iter().any(|group| group.node.is_exported()) {
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

/// Rules that ExBPA does not apply to Small Business Server look at nothing when the user says
/// the organization is one (`--sbs`); otherwise they need Exchange 2000/2003 virtual servers.
pub(crate) fn legacy_virtual_servers_outside_sbs(context: &Context<'_>) -> Result<(), String> {
    if context.options.small_business_server {
        return Err(
            "the organization is Small Business Server (`--sbs`), which ExBPA exempts from this check".to_owned()
        );
    }
    legacy_virtual_servers(context)
}

/// Rules about Exchange 2007+ receive connectors need one.
pub(crate) fn receive_connectors(context: &Context<'_>) -> Result<(), String> {
    if context.topology.receive_connectors.is_empty() {
        Err("the export holds no receive connector (class `msExchSmtpReceiveConnector`, Exchange 2007 and later)"
            .to_owned())
    } else {
        Ok(())
    }
}

/// Rules about Send connectors (Exchange 2007 and later) need one.
pub(crate) fn send_connectors(context: &Context<'_>) -> Result<(), String> {
    if context.topology.smtp_connectors.iter().any(|connector| connector.is_send_connector()) {
        Ok(())
    } else {
        Err("the export holds no Send connector (class `msExchRoutingSMTPConnector` with the attributes of Exchange 2007 and later)".to_owned())
    }
}

/// Rules about accepted domains need one.
pub(crate) fn accepted_domains(context: &Context<'_>) -> Result<(), String> {
    if context.topology.accepted_domains.is_empty() {
        Err("the export holds no accepted domain (class `msExchAcceptedDomain` under `CN=Accepted Domains,CN=Transport Settings,...`)".to_owned())
    } else {
        Ok(())
    }
}

/// Rules about the hybrid configuration need its object: an organization that is not hybrid
/// with Exchange Online has none.
pub(crate) fn hybrid_configuration(context: &Context<'_>) -> Result<(), String> {
    if context.topology.hybrid_configurations.is_empty() {
        Err("the export holds no hybrid configuration (class `msExchCoexistenceRelationship`, `CN=Hybrid Configuration,CN=Hybrid Configuration,...`): the organization is not hybrid, or the object was not exported".to_owned())
    } else {
        Ok(())
    }
}
