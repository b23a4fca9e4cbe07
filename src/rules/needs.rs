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
