use crate::exchange::{EXCHANGE_2007_ROUTING_GROUP, ReferenceKind, RoutingGroup, Target, is_server};
use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin};

declare_rule! {
    /// ## What it finds
    /// A routing group of Exchange 2000/2003 whose master, `msExchRoutingMasterDN` on the
    /// routing group's entry, is not a valid server of the group:
    ///
    /// - the attribute is absent;
    /// - it names an object that does not exist: the export holds the container the object
    ///   would be in (`CN=Servers` of its administrative group) and holds Exchange servers,
    ///   but not this one;
    /// - it names an object that is not an Exchange server (`msExchExchangeServer`);
    /// - it names a server that is a member of another routing group, by the server's
    ///   `msExchHomeRoutingGroup` or, without it, a routing group's
    ///   `msExchRoutingGroupMembersBL`.
    ///
    /// A master under `CN=Deleted Objects` is ROUTE003's finding. A master whose entry and
    /// container are both missing from the export (a filtered export), or a server whose
    /// routing group the export does not tell, is not judged. The routing group of Exchange
    /// 2007 and later, `Exchange Routing Group (DWBGZMFD01QNBJR)`, is not judged either: those
    /// versions route by Active Directory sites and do not use a routing group master.
    ///
    /// ## Why it matters
    /// The routing group master keeps the link state of its routing group and passes it to the
    /// other members and to other routing groups. Without a valid master the group's servers
    /// do not learn that connectors are down or back up, and mail queues or loops on routes
    /// that are not available.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=First Routing Group,CN=Routing Groups,CN=First Administrative Group,...
    /// objectClass: msExchRoutingGroup
    /// msExchRoutingMasterDN: CN=EXEU01,CN=Servers,CN=Europe Administrative Group,...
    /// ```
    /// EXEU01 is a member of Europe Routing Group, not of First Routing Group.
    ///
    /// ## How to fix
    /// In Exchange System Manager, expand the routing group, click Members, right-click one of
    /// the member servers and click Set as Master.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: [Routing group master missing or invalid],
    /// <https://unifiedpeople.ru/extra.en/html/9cb38520-bf9e-447e-a7fc-990a1f613999.htm>.
    /// ExBPA checks that the value names a valid server; offline, exlint reads "valid" as
    /// present, existing, an Exchange server, and a member of the routing group.
    pub static ROUTING_MASTER_INVALID = Rule {
        code: "ROUTE002",
        name: "routing-master-invalid",
        title: "Routing group master missing or invalid",
        severity: Severity::Warning,
        origin: Origin::ExBpa,
        precondition: legacy_routing_groups,
        check: Check::Organization(check),
    };
}

const HELP: &str =
    "in Exchange System Manager, open the routing group's Members, right-click a member server and click Set as Master";

/// A routing group of Exchange 2000/2003, with its entry.
fn is_legacy(group: &RoutingGroup<'_>) -> bool {
    group.node.is_exported() && !group.is_exchange_2007()
}

fn legacy_routing_groups(context: &Context<'_>) -> Result<(), String> {
    if context.topology.routing_groups.iter().any(is_legacy) {
        Ok(())
    } else {
        Err(format!(
            "the export holds no routing group entry (class `msExchRoutingGroup`) of Exchange 2000/2003; `{EXCHANGE_2007_ROUTING_GROUP}`, of Exchange 2007 and later, is not judged"
        ))
    }
}

fn check(context: &Context<'_>) -> Vec<Finding> {
    let topology = context.topology;
    let mut findings = Vec::new();
    for (index, group) in topology.routing_groups.iter().enumerate().filter(|(_, group)| is_legacy(group)) {
        let name = &group.node.name;
        let Some(master) = &group.master else {
            let note = format!("no `{}`", ReferenceKind::RoutingMaster.attribute());
            let finding =
                ROUTING_MASTER_INVALID.finding_on(&group.node, format!("routing group `{name}` has no master"), note);
            findings.extend(finding.map(|finding| finding.help(HELP)));
            continue;
        };
        let master_name = master.name();
        let finding = |problem: String, note: &str| {
            ROUTING_MASTER_INVALID
                .finding_at(master, format!("routing group `{name}`: master `{master_name}` {problem}"), note)
                .help(HELP)
        };
        match topology.resolve(master) {
            // Deleted: ROUTE003. Not exported: a filtered export says nothing of it.
            Target::Deleted | Target::NotExported => {}
            Target::Dangling { parent } => findings.push(
                finding("does not exist".to_owned(), "no such entry in the export")
                    .evidence(parent.evidence(format!("its container is exported, without `{master_name}`"))),
            ),
            Target::Entry(target) if !is_server(&target) => findings.push(
                finding("is not an Exchange server".to_owned(), "names an entry that is not a server")
                    .evidence(target.evidence("not an `msExchExchangeServer`")),
            ),
            Target::Entry(target) => {
                let Some(server) = topology.server_with_dn(&target.dn).map(|server| &topology.servers[server]) else {
                    continue;
                };
                let (Some(home), Some(membership)) = (server.routing_group, &server.membership) else { continue };
                if home == index {
                    continue;
                }
                let home_name = &topology.routing_groups[home].node.name;
                findings.push(
                    finding(
                        format!("is a member of routing group `{home_name}`, not of this one"),
                        "names a server of another routing group",
                    )
                    .server(server.name())
                    .evidence(membership.evidence(format!("places `{}` in `{home_name}`", server.name()))),
                );
            }
        }
    }
    findings
}
