use crate::exchange::{Node, Reference, ReferenceKind};
use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin};

declare_rule! {
    /// ## What it finds
    /// A source bridgehead of an SMTP connector, Send connector or routing group connector
    /// (a value of `msExchSourceBridgeheadServersDN`) whose server belongs to another routing
    /// group than the connector. The connector's routing group is the one its DN sits in;
    /// the server's is its `msExchHomeRoutingGroup`, or the routing group whose membership
    /// list names it. A bridgehead whose server or routing group the export does not tell is
    /// not reported.
    ///
    /// ## Why it matters
    /// A connector's local bridgeheads are the servers of its own routing group that send
    /// over it. A server of another routing group is not where routing hands the
    /// connector's mail to: the servers of the connector's routing group do not see it as a
    /// local bridgehead and the connector may be left without a working one. Such a value
    /// usually remains after a server moved between routing groups.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Internet Mail,CN=Connections,CN=First Routing Group,...
    /// objectClass: msExchRoutingSMTPConnector
    /// msExchSourceBridgeheadServersDN: CN=1,CN=SMTP,CN=Protocols,CN=EXEU01,...
    ///
    /// dn: CN=EXEU01,CN=Servers,CN=Europe Administrative Group,...
    /// msExchHomeRoutingGroup: CN=Europe Routing Group,...
    /// ```
    ///
    /// ## How to fix
    /// In Exchange System Manager, replace the bridgehead on the connector (General tab,
    /// local bridgeheads) with a virtual server of a server in the connector's routing group,
    /// or move the connector to the routing group the server is in.
    ///
    /// ## Origin
    /// exlint's own check, from Exchange's constraints: bridgeheads are servers of the
    /// connector's local routing group (Exchange 2003 help "Install a Routing Group
    /// Connector", <http://unifiedpeople.ru/exadmin_sp2.en/exchsvrs_htm/exchsvrsp_addrgc.htm>).
    pub static BRIDGEHEAD_OUTSIDE_ROUTING_GROUP = Rule {
        code: "CONN012",
        name: "bridgehead-outside-routing-group",
        title: "Connector bridgehead in another routing group",
        severity: Severity::Warning,
        origin: Origin::Native,
        precondition,
        check: Check::Organization(check),
    };
}

fn precondition(context: &Context<'_>) -> Result<(), String> {
    let topology = context.topology;
    if topology.smtp_connectors.is_empty() && topology.routing_group_connectors.is_empty() {
        return Err("the export holds no SMTP, Send or routing group connector (class `msExchRoutingSMTPConnector` or `msExchRoutingGroupConnector`)".to_owned());
    }
    if topology.servers.iter().all(|server| server.routing_group.is_none()) {
        return Err("the export tells no server's routing group (no server entry with `msExchHomeRoutingGroup`, no routing group with `msExchRoutingGroupMembersBL`)".to_owned());
    }
    Ok(())
}

fn check(context: &Context<'_>) -> Vec<Finding> {
    let topology = context.topology;
    let smtp = topology
        .smtp_connectors
        .iter()
        .map(|connector| (&connector.node, connector.routing_group, &connector.source_bridgeheads, "connector"));
    let routing = topology.routing_group_connectors.iter().map(|connector| {
        (&connector.node, connector.routing_group, &connector.source_bridgeheads, "routing group connector")
    });
    let mut findings = Vec::new();
    for (node, group, bridgeheads, kind) in smtp.chain(routing) {
        let Some(group) = group else { continue };
        for bridgehead in bridgeheads.iter() {
            findings.extend(judge(context, node, group, bridgehead, kind));
        }
    }
    findings
}

fn judge(
    context: &Context<'_>,
    node: &Node<'_>,
    group: usize,
    bridgehead: &Reference<'_>,
    kind: &str,
) -> Option<Finding> {
    let topology = context.topology;
    let server = topology.server_of(bridgehead)?;
    let home = server.routing_group.filter(|&home| home != group)?;
    let (own, other) = (&topology.routing_groups[group].node.name, &topology.routing_groups[home].node.name);
    let message = format!(
        "{kind} `{}` in routing group `{own}`: source bridgehead `{}` is a server of routing group `{other}`",
        node.name,
        server.name()
    );
    let finding = BRIDGEHEAD_OUTSIDE_ROUTING_GROUP
        .finding_at(bridgehead, message, format!("a virtual server of `{}`", server.name()))
        .server(server.name())
        .help(format!("use a bridgehead of routing group `{own}`, or move the connector to `{other}`"));
    // What makes the server a member of the other group: its own home routing group, or the
    // group's member list.
    let home_line = server.membership.as_ref().filter(|line| line.kind() == Some(ReferenceKind::HomeRoutingGroup));
    let membership = match home_line {
        Some(home) => Some(home.evidence(format!("`{}` belongs to `{other}`", server.name()))),
        None => topology.routing_groups[home]
            .node
            .evidence(format!("routing group whose members include `{}`", server.name())),
    };
    Some(finding.evidence(membership))
}
