use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin};

declare_rule! {
    /// ## What it finds
    /// An administrative group that holds routing groups (`CN=Routing Groups` with at least
    /// one `msExchRoutingGroup` entry below it) but no `CN=Servers` container.
    ///
    /// A filtered export leaves containers out, so a missing `CN=Servers` proves something
    /// only where the export shows the administrative group's contents: exlint judges an
    /// administrative group when the export holds its entry and its `CN=Routing Groups`
    /// container. One whose entry or `CN=Routing Groups` entry is missing is not judged, and
    /// neither is one whose `CN=Routing Groups` holds no routing group in the export.
    ///
    /// ## Why it matters
    /// An administrative group without a `CN=Servers` container has no server installed in
    /// it, and the routing information of the routing groups it holds may not be propagated
    /// dynamically to the servers of the organization (Microsoft Knowledge Base article 318491,
    /// "Routing Information Is Not Propagated Across an Exchange 2000 Organization"): servers
    /// keep routing over connectors that are down, or do not learn of new ones.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Europe Administrative Group,CN=Administrative Groups,CN=Contoso,...
    /// objectClass: msExchAdminGroup
    ///
    /// dn: CN=Routing Groups,CN=Europe Administrative Group,CN=Administrative Groups,...
    /// objectClass: msExchRoutingGroupContainer
    ///
    /// dn: CN=Europe Routing Group,CN=Routing Groups,CN=Europe Administrative Group,...
    /// objectClass: msExchRoutingGroup
    /// ```
    /// and no `CN=Servers,CN=Europe Administrative Group,...`.
    ///
    /// ## How to fix
    /// With the organization in native mode, create a new administrative group with a
    /// Routing Groups container, drag the routing groups into it from the old one in Exchange
    /// System Manager, then restart the Exchange services (Microsoft Knowledge Base article
    /// 318491).
    ///
    /// ## Origin
    /// Exchange Server Analyzer: "Servers container is missing",
    /// <http://unifiedpeople.ru/exbpa.en/html/cc65af09-c938-496a-9a8c-8b3536eb14ed.htm>.
    pub static ROUTING_GROUPS_WITHOUT_SERVERS = Rule {
        code: "ROUTE004",
        name: "routing-groups-without-servers",
        title: "Servers container is missing",
        severity: Severity::Error,
        origin: Origin::ExBpa,
        precondition: admin_group_contents,
        check: Check::Organization(check),
    };
}

/// The export must show an administrative group's contents: its entry and its `CN=Routing
/// Groups` container.
fn admin_group_contents(context: &Context<'_>) -> Result<(), String> {
    let shown = context
        .topology
        .admin_groups
        .iter()
        .any(|group| group.node.is_exported() && group.routing_groups_container.is_some());
    if shown {
        Ok(())
    } else {
        Err("the export holds no administrative group entry (class `msExchAdminGroup`) together with its `CN=Routing Groups` container".to_owned())
    }
}

fn check(context: &Context<'_>) -> Vec<Finding> {
    let topology = context.topology;
    topology
        .admin_groups
        .iter()
        .enumerate()
        .filter_map(|(index, admin_group)| {
            let (Some(container), None) = (&admin_group.routing_groups_container, &admin_group.servers_container)
            else {
                return None;
            };
            let groups: Vec<_> = topology.routing_groups_of(index).filter(|group| group.node.is_exported()).collect();
            if groups.is_empty() {
                return None;
            }
            let names: Vec<String> = groups.iter().map(|group| format!("`{}`", group.node.name)).collect();
            let message = format!(
                "administrative group `{}` holds routing groups ({}) but no `CN=Servers` container",
                admin_group.node.name,
                names.join(", ")
            );
            let finding = ROUTING_GROUPS_WITHOUT_SERVERS
                .finding_on(&admin_group.node, message, "no `CN=Servers` container below it in the export")?
                .evidence(container.evidence("its routing groups container"))
                .help("move the routing groups to an administrative group that holds servers");
            Some(groups.into_iter().fold(finding, |finding, group| {
                finding.evidence(group.node.evidence("a routing group of this administrative group"))
            }))
        })
        .collect()
}
