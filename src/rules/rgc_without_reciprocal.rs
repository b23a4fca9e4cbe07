use std::collections::HashSet;

use crate::exchange::RoutingGroup;
use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// A routing group connector from routing group A to routing group B
    /// (`msExchDestinationRGDN`) with no routing group connector in B whose destination is A.
    /// The connector's own routing group is the one its DN sits in.
    ///
    /// A filtered export may lack B's connectors, and a missing reciprocal cannot be told
    /// from a missing entry: the rule looks only at connectors whose destination routing
    /// group has its `CN=Connections` container or at least one connector of any class in
    /// the export, and says nothing about the others.
    ///
    /// ## Why it matters
    /// Routing group connectors carry mail one way. Without the reverse connector, B's
    /// servers have no route back to A over it: replies, non-delivery reports and mail from B
    /// to A take another path, or none, and link state updates for A do not flow from B
    /// either. ESM offers to create the reciprocal connector for this reason.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=First RG to Europe RG,CN=Connections,CN=First Routing Group,...
    /// objectClass: msExchRoutingGroupConnector
    /// msExchDestinationRGDN: CN=Europe Routing Group,CN=Routing Groups,...
    ///
    /// dn: CN=Fabrikam Partner Relay,CN=Connections,CN=Europe Routing Group,...
    /// objectClass: msExchRoutingSMTPConnector
    /// ```
    /// Europe Routing Group's connectors are in the export, and none leads back.
    ///
    /// ## How to fix
    /// In Exchange System Manager, create a routing group connector in routing group B with
    /// A as its destination (ESM offers this when the first connector is created).
    ///
    /// ## Origin
    /// exlint's own check, from Exchange's constraints: routing group connectors are one-way
    /// (Exchange 2003 help "Install a Routing Group Connector",
    /// <http://unifiedpeople.ru/exadmin_sp2.en/exchsvrs_htm/exchsvrsp_addrgc.htm>;
    /// "Configuring Routing Group Connectors", <https://flylib.com/books/en/3.430.1.49/1/>).
    pub static RGC_WITHOUT_RECIPROCAL = Rule {
        code: "CONN009",
        name: "rgc-without-reciprocal",
        title: "Routing group connector without a connector back",
        severity: Severity::Warning,
        origin: Origin::Native,
        precondition: needs::routing_group_connectors,
        check: Check::Organization(check),
    };
}

/// Whether the export shows what a routing group's `CN=Connections` holds.
fn connections_exported(group: &RoutingGroup<'_>) -> bool {
    group.connections.is_some() || !group.connectors.is_empty()
}

fn check(context: &Context<'_>) -> Vec<Finding> {
    let topology = context.topology;
    // (from, to) of every connector whose routing groups are known.
    let links: Vec<Option<(usize, usize)>> = topology
        .routing_group_connectors
        .iter()
        .map(|connector| {
            let destination = connector.destination.as_ref()?;
            Some((connector.routing_group?, topology.routing_group_index(destination)?))
        })
        .collect();
    let known: HashSet<(usize, usize)> = links.iter().flatten().copied().collect();
    topology
        .routing_group_connectors
        .iter()
        .zip(&links)
        .filter_map(|(connector, link)| {
            let (source, target) = (*link)?;
            let destination = connector.destination.as_ref()?;
            if target == source
                || !connections_exported(&topology.routing_groups[target])
                || known.contains(&(target, source))
            {
                return None;
            }
            let (from, to) = (&topology.routing_groups[source].node.name, &topology.routing_groups[target].node.name);
            let message = format!(
                "routing group connector `{}` leads from `{from}` to `{to}`, but no routing group connector in `{to}` leads back",
                connector.node.name
            );
            Some(
                RGC_WITHOUT_RECIPROCAL
                    .finding_at(destination, message, format!("destination `{to}`, whose connectors are in the export"))
                    .help(format!("create a routing group connector in `{to}` with `{from}` as its destination")),
            )
        })
        .collect()
}
