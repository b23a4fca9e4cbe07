use crate::exchange::DeliveryRestriction;
use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// A routing group connector with delivery restrictions by distribution group
    /// (`dLMemSubmitPerms`: groups whose members may send through it, `dLMemRejectPerms`:
    /// groups whose members may not), and a server among its source bridgeheads
    /// (`msExchSourceBridgeheadServersDN`, the server read from the virtual server's DN).
    /// One finding per connector and bridgehead server.
    ///
    /// ExBPA also reads the registry value `CheckConnectorRestrictions` under
    /// `HKLM\System\CurrentControlSet\Services\RESvc\Parameters` on the bridgehead and warns
    /// only when it is 1. A directory export cannot tell, so exlint reports every such
    /// bridgehead as a notice to check that value: an approximation that reports more than
    /// ExBPA would. A connector without source bridgeheads (any server of the routing group
    /// may send) is not reported, as ExBPA does not.
    ///
    /// ## Why it matters
    /// Restrictions by group are checked by the bridgehead, and only where
    /// `CheckConnectorRestrictions` is 1. With it set, the bridgehead expands the groups,
    /// nested ones included, for every message that passes, which costs directory lookups
    /// and time on a busy server. Without it, the restrictions are silently not enforced.
    /// Either way the setting deserves a look.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=First RG to Europe RG,CN=Connections,CN=First Routing Group,...
    /// objectClass: msExchRoutingGroupConnector
    /// msExchSourceBridgeheadServersDN: CN=1,CN=SMTP,CN=Protocols,CN=EXBH01,...
    /// dLMemRejectPerms: CN=Contractors,OU=Groups,DC=contoso,DC=com
    /// ```
    ///
    /// ## How to fix
    /// If the restriction is needed, make sure `CheckConnectorRestrictions` is 1 on each
    /// bridgehead (and that the bridgehead can bear the expansion); otherwise remove the
    /// restriction from the connector's Delivery Restrictions tab. Prefer restricting by
    /// individual senders or a small group.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: "Bridgehead server to check distribution group delivery
    /// restrictions for RGC",
    /// <https://technet.microsoft.com/en-us/library/aa997372(v=exchg.80).aspx>; the registry
    /// value is described in Microsoft KB 277872.
    pub static RGC_DELIVERY_RESTRICTIONS = Rule {
        code: "CONN005",
        name: "rgc-delivery-restrictions",
        title: "Bridgehead server to check distribution group delivery restrictions for RGC",
        severity: Severity::Warning,
        origin: Origin::ExBpa,
        precondition: needs::routing_group_connectors,
        check: Check::Organization(check),
    };
}

fn check(context: &Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for connector in &context.topology.routing_group_connectors {
        let restrictions = connector.delivery_restrictions();
        if restrictions.is_empty() {
            continue;
        }
        // One finding per server, at the first bridgehead value that names it.
        let mut servers: Vec<String> = Vec::new();
        for bridgehead in &connector.source_bridgeheads {
            let Some(server) = bridgehead.server_dn() else { continue };
            if servers.iter().any(|seen| seen.eq_ignore_ascii_case(&server.name())) {
                continue;
            }
            servers.push(server.name());
            let message = format!(
                "routing group connector `{}` restricts delivery by distribution group and `{}` is its bridgehead: check `CheckConnectorRestrictions` in that server's registry, which an export cannot show",
                connector.node.name,
                server.name()
            );
            let finding = RGC_DELIVERY_RESTRICTIONS
                .finding_at(bridgehead, message, format!("`{}` sends through this connector", server.name()))
                .server(server.name())
                .help("with `CheckConnectorRestrictions` = 1 the bridgehead expands these groups for every message; without it the restrictions are not enforced");
            findings.push(restrictions.iter().fold(finding, |finding, restriction| {
                finding.evidence(restriction.evidence(match restriction.value {
                    DeliveryRestriction::OnlyMembers => "only members of this group may send through the connector",
                    DeliveryRestriction::NotMembers => "members of this group may not send through the connector",
                }))
            }));
        }
    }
    findings
}
