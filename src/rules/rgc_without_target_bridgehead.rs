use crate::exchange::ReferenceKind;
use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// A routing group connector without `msExchTargetBridgeheadServersDN`: no remote
    /// bridgehead, no server in the destination routing group to deliver to. Whether the
    /// values that are there point at existing servers is ROUTE007's business.
    ///
    /// ## Why it matters
    /// A routing group connector hands mail to a remote bridgehead. Without one, mail for the
    /// destination routing group that routing sends over this connector cannot leave: it
    /// queues on the local bridgeheads until it expires, or takes another, possibly costlier,
    /// route. Exchange requires at least one remote bridgehead, so the connector was left
    /// incomplete, or the remote servers were removed from it.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=First RG to Europe RG,CN=Connections,CN=First Routing Group,...
    /// objectClass: msExchRoutingGroupConnector
    /// msExchDestinationRGDN: CN=Europe Routing Group,CN=Routing Groups,...
    /// msExchSourceBridgeheadServersDN: CN=1,CN=SMTP,CN=Protocols,CN=EXBH01,...
    /// ```
    ///
    /// ## How to fix
    /// In Exchange System Manager, open the connector, Remote Bridgehead tab, and add a
    /// server of the destination routing group; or delete the connector if the destination
    /// is reached another way.
    ///
    /// ## Origin
    /// exlint's own check, from Exchange's constraints: a routing group connector must have
    /// at least one remote bridgehead (Exchange 2003 help "Install a Routing Group
    /// Connector", <http://unifiedpeople.ru/exadmin_sp2.en/exchsvrs_htm/exchsvrsp_addrgc.htm>;
    /// the attribute is mandatory in Exchange's own schema of the connector).
    pub static RGC_WITHOUT_TARGET_BRIDGEHEAD = Rule {
        code: "CONN008",
        name: "rgc-without-target-bridgehead",
        title: "Routing group connector without a remote bridgehead",
        severity: Severity::Error,
        origin: Origin::Native,
        precondition: needs::routing_group_connectors,
        check: Check::Organization(check),
    };
}

fn check(context: &Context<'_>) -> Vec<Finding> {
    let attribute = ReferenceKind::TargetBridgehead.attribute();
    context
        .topology
        .routing_group_connectors
        .iter()
        .filter(|connector| connector.target_bridgeheads.is_empty())
        .filter_map(|connector| {
            let destination = match &connector.destination {
                Some(destination) => format!(" to routing group `{}`", destination.name()),
                None => String::new(),
            };
            let message = format!(
                "routing group connector `{}`{destination} has no remote bridgehead (`{attribute}`)",
                connector.node.name
            );
            let finding =
                RGC_WITHOUT_TARGET_BRIDGEHEAD.finding_on(&connector.node, message, format!("no `{attribute}`"))?;
            Some(finding.help("add a server of the destination routing group as remote bridgehead"))
        })
        .collect()
}
