use std::collections::BTreeMap;

use crate::exchange::{AddressSpace, Located, SmtpConnector};
use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// Several SMTP connectors or Send connectors with the address space `SMTP:*` at the same
    /// cost in the same scope: the organization for `SMTP:*`, the connector's routing group
    /// for `Local:SMTP:*`. One finding per scope and cost, naming the connectors. Disabled
    /// Send connectors and values with a malformed cost (CONN010) are left out.
    ///
    /// ## Why it matters
    /// Routing treats connectors of equal cost for the same address space as equivalent and
    /// spreads Internet mail over them. That is the way to balance load and to survive one
    /// connector's failure, so it may well be intended; but when one connector was meant as
    /// the backup of the other, it should have a higher cost, or both carry mail all the
    /// time. Reported for information.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Internet Mail,CN=Connections,CN=First Routing Group,...
    /// routingList: SMTP:*;1
    ///
    /// dn: CN=Internet Mail Europe,CN=Connections,CN=Europe Routing Group,...
    /// routingList: SMTP:*;1
    /// ```
    ///
    /// ## How to fix
    /// If one connector is meant as a backup, raise its cost (Address Space tab in Exchange
    /// System Manager, `Set-SendConnector -AddressSpaces "SMTP:*;10"` on Exchange 2007 and
    /// later). If the load is meant to be shared, nothing needs to change.
    ///
    /// ## Origin
    /// exlint's own check, from Exchange's constraints: connectors of equal cost share the
    /// load (Exchange 2003 help on address spaces and costs,
    /// <http://unifiedpeople.ru/exadmin_sp2.en/exchsvrs_htm/exchsvrsp_x400addmodifyremoveaddressspace.htm>).
    pub static EQUAL_COST_INTERNET_CONNECTORS = Rule {
        code: "CONN014",
        name: "equal-cost-internet-connectors",
        title: "Several Internet connectors with equal cost",
        severity: Severity::Info,
        origin: Origin::Native,
        precondition: needs::smtp_connectors,
        check: Check::Organization(check),
    };
}

/// Where an address space applies: an organization (by lower-case name), and for `Local:`
/// the connector's routing group.
type Scope = (String, Option<usize>);

/// A connector and one of its address spaces.
type Carrier<'t, 'a> = (&'t SmtpConnector<'a>, &'t Located<'a, AddressSpace>);

fn check(context: &Context<'_>) -> Vec<Finding> {
    let topology = context.topology;
    let mut groups: BTreeMap<(Scope, u32), Vec<Carrier<'_, '_>>> = BTreeMap::new();
    for connector in topology.smtp_connectors.iter().filter(|connector| connector.is_enabled()) {
        let organization = topology.organization_of(&connector.node.dn).unwrap_or_default().to_lowercase();
        let spaces =
            connector.address_spaces.iter().filter(|space| space.is_all_smtp_domains() && space.problems.is_empty());
        for space in spaces {
            let Some(cost) = space.cost else { continue };
            if space.local && connector.routing_group.is_none() {
                continue;
            }
            let scope = (organization.clone(), connector.routing_group.filter(|_| space.local));
            let members = groups.entry((scope, cost)).or_default();
            // A connector counts once per scope and cost, even with the value written twice.
            if !members.iter().any(|(member, _)| std::ptr::eq(*member, connector)) {
                members.push((connector, space));
            }
        }
    }
    groups
        .into_iter()
        .filter(|(_, members)| members.len() > 1)
        .map(|(((_, group), cost), members)| {
            let (first, first_space) = members[0];
            let scope = match group {
                Some(group) => format!("routing group `{}`", topology.routing_groups[group].node.name),
                None => match topology.organization_of(&first.node.dn) {
                    Some(organization) => format!("organization `{organization}`"),
                    None => "the export".to_owned(),
                },
            };
            let names: Vec<String> =
                members.iter().map(|(connector, _)| format!("`{}`", connector.node.name)).collect();
            let finding = EQUAL_COST_INTERNET_CONNECTORS
                .finding(
                    first_space.location(),
                    format!(
                        "{scope}: {} connectors carry `{}` at cost {cost}, so Internet mail is spread over them: {}",
                        members.len(),
                        if group.is_some() { "Local:SMTP:*" } else { "SMTP:*" },
                        names.join(", ")
                    ),
                )
                .help("if one connector is meant as a backup, give it a higher cost")
                .dn(first.node.dn.text());
            members.iter().fold(finding, |finding, (connector, space)| {
                finding.evidence(space.evidence(format!("connector `{}`: cost {cost}", connector.node.name)))
            })
        })
        .collect()
}
