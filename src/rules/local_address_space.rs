use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An SMTP connector (or Send connector) with a `routingList` value that begins with
    /// `Local:`, such as `Local:SMTP:*;1`: the address space is scoped to the connector's
    /// routing group. One finding per such value.
    ///
    /// ## Why it matters
    /// A connector scoped to its routing group is used only by the servers of that routing
    /// group; the rest of the organization does not see its address space and routes the
    /// same mail another way, or not at all. That is sometimes the intent (each site sends
    /// Internet mail out locally), but it is not the default, and it is easily overlooked
    /// when mail from another routing group takes an unexpected path. ExBPA reports it for
    /// information.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Internet Mail,CN=Connections,CN=First Routing Group,...
    /// objectClass: msExchRoutingSMTPConnector
    /// routingList: Local:SMTP:*;1
    /// ```
    ///
    /// ## How to fix
    /// If the whole organization should use the connector, open it in Exchange System
    /// Manager, Address Space tab, and set Connector scope to "Entire organization".
    /// Otherwise note why the scope is the routing group.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: [SMTP connector scoped to routing group ("Local:")],
    /// <http://unifiedpeople.ru/extra.en/html/1e8700fa-9c65-4e07-bac8-6148db17b14f.htm>.
    pub static LOCAL_ADDRESS_SPACE = Rule {
        code: "CONN002",
        name: "local-address-space",
        title: "SMTP connector scoped to its routing group (\"Local:\")",
        severity: Severity::NonDefault,
        origin: Origin::ExBpa,
        precondition: needs::smtp_connectors,
        check: Check::Organization(check),
    };
}

fn check(context: &Context<'_>) -> Vec<Finding> {
    let topology = context.topology;
    let mut findings = Vec::new();
    for connector in &topology.smtp_connectors {
        let scope = match connector.routing_group {
            Some(group) => format!("routing group `{}`", topology.routing_groups[group].node.name),
            None => "its routing group".to_owned(),
        };
        for space in connector.address_spaces.iter().filter(|space| space.local) {
            let message =
                format!("connector `{}`: address space `{}` is scoped to {scope}", connector.node.name, space.value);
            let note = format!("`Local:` limits this address space to the servers of {scope}");
            findings.push(LOCAL_ADDRESS_SPACE.finding_at(space, message, note).help(
                "set the connector scope to the entire organization, unless only this routing group should use it",
            ));
        }
    }
    findings
}
