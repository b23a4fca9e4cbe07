use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, RuleOption, needs};

declare_rule! {
    /// ## What it finds
    /// A routing group whose `CN=Connections` holds more than 900 connectors of all classes
    /// together: SMTP connectors and Send connectors, routing group connectors, X.400
    /// connectors and EDK connectors (anything whose `objectClass` is `msExchConnector` or a
    /// subclass). The hidden per-server objects Exchange 2000/2003 may keep there, named
    /// `SMTP (<SERVER>-{<GUID>})`, are not counted unless they have an address space
    /// (`routingList`). The limit is the option `max-connectors`.
    ///
    /// The finding points at the first connector over the limit, in file order.
    ///
    /// ## Why it matters
    /// Active Directory returns at most 1000 objects for one request by default. When a
    /// routing group holds more connectors than that, Exchange System Manager's list of them
    /// fails, and so may other processes that read them in one request; raising the page
    /// size is not supported for Exchange. Microsoft recommends staying at or below 900.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Partner 0901,CN=Connections,CN=First Routing Group,...
    /// objectClass: msExchRoutingSMTPConnector
    /// routingList: SMTP:partner0901.example;10
    /// ```
    /// The 901st connector in First Routing Group's `CN=Connections`.
    ///
    /// ## How to fix
    /// Consolidate connectors (one connector can carry several address spaces), remove
    /// orphaned ones, or spread them over more routing groups.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: [More than 900 connectors in one routing group],
    /// <http://unifiedpeople.ru/exbpa.en/html/032ec3cd-1fb7-45e2-aa91-ed892a0a4e50.htm>.
    pub static TOO_MANY_CONNECTORS = Rule {
        code: "CONN004",
        name: "too-many-connectors",
        title: "More than 900 connectors in one routing group",
        severity: Severity::Warning,
        origin: Origin::ExBpa,
        options: &[RuleOption {
            name: "max-connectors",
            default: 900,
            help: "connectors one routing group's `CN=Connections` may hold before the rule fires",
        }],
        precondition: needs::connectors,
        check: Check::Organization(check),
    };
}

fn check(context: &Context<'_>) -> Vec<Finding> {
    // A negative limit is read as 0: every connector is over it.
    let limit = usize::try_from(context.option(&TOO_MANY_CONNECTORS, "max-connectors")).unwrap_or(0);
    context
        .topology
        .routing_groups
        .iter()
        .filter_map(|group| {
            let over = group.connectors.get(limit)?;
            let count = group.connectors.len();
            let message = format!(
                "routing group `{}` has {count} connectors in its `CN=Connections`, more than {limit}",
                group.node.name
            );
            let finding = TOO_MANY_CONNECTORS
                .finding(over.location()?, message)
                .dn(group.node.dn.text())
                .help("consolidate connectors, remove orphaned ones, or spread them over more routing groups")
                .evidence(group.node.evidence(format!("routing group with {count} connectors")))
                .evidence(over.evidence(format!(
                    "connector number {} in file order, the first over the limit of {limit}",
                    limit + 1
                )));
            Some(finding)
        })
        .collect()
}
