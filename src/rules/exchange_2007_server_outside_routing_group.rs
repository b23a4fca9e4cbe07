use crate::exchange::{EXCHANGE_2007_ADMIN_GROUP, EXCHANGE_2007_ROUTING_GROUP, Server};
use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin};

declare_rule! {
    /// ## What it finds
    /// A server of the administrative group of Exchange 2007 and later, `Exchange
    /// Administrative Group (FYDIBOHF23SPDLT)`, that is a member of a routing group other
    /// than `Exchange Routing Group (DWBGZMFD01QNBJR)`. Membership is read from the server's
    /// `msExchHomeRoutingGroup`, or, when the server's entry does not have it (or is not
    /// exported), from a routing group's `msExchRoutingGroupMembersBL` (or
    /// `msExchRoutingGroupMembersDN`) naming the server. Names compare without regard to case.
    ///
    /// A server whose routing group the export does not tell is not judged.
    ///
    /// ## Why it matters
    /// Exchange 2007 and later route by Active Directory sites; to coexist with Exchange
    /// 2000/2003 they all appear to the older servers as one routing group, `Exchange Routing
    /// Group (DWBGZMFD01QNBJR)`, joined to the legacy routing groups by routing group
    /// connectors that Setup creates. A server moved out of it by hand no longer fits that
    /// arrangement, and mail between the versions may be misrouted.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=EXHUB01,CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),...
    /// objectClass: msExchExchangeServer
    /// msExchHomeRoutingGroup: CN=First Routing Group,CN=Routing Groups,CN=First Administrative Group,...
    /// ```
    ///
    /// ## How to fix
    /// Move the server back to `Exchange Routing Group (DWBGZMFD01QNBJR)`, or remove Exchange
    /// from the server and install it again.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: [Exchange 2007 server moved out of the Exchange 2007 routing
    /// group], <http://unifiedpeople.ru/exbpa.en/html/56c3a9d0-c0fe-41c3-a495-9a2e9b0d42fe.htm>.
    /// ExBPA reads the routing groups' `msExchRoutingGroupMembersBL`; exlint prefers the
    /// server's own forward link, which every export of the server holds.
    pub static EXCHANGE_2007_SERVER_OUTSIDE_ROUTING_GROUP = Rule {
        code: "ROUTE005",
        name: "exchange-2007-server-outside-routing-group",
        title: "Exchange 2007 server moved out of the Exchange 2007 routing group",
        severity: Severity::Error,
        origin: Origin::ExBpa,
        precondition: memberships,
        check: Check::Server(check),
    };
}

/// The rule needs servers whose routing group the export tells.
fn memberships(context: &Context<'_>) -> Result<(), String> {
    if context.topology.servers.iter().any(|server| server.membership.is_some()) {
        Ok(())
    } else {
        Err("the export tells the routing group of no server: no server entry with `msExchHomeRoutingGroup`, no routing group entry with `msExchRoutingGroupMembersBL`".to_owned())
    }
}

fn check(server: &Server<'_>, context: &Context<'_>) -> Vec<Finding> {
    let topology = context.topology;
    let in_exchange_2007_group =
        server.admin_group.is_some_and(|group| topology.admin_groups[group].is_exchange_2007());
    let (true, Some(group), Some(membership)) = (in_exchange_2007_group, server.routing_group, &server.membership)
    else {
        return Vec::new();
    };
    let group = &topology.routing_groups[group];
    if group.is_exchange_2007() {
        return Vec::new();
    }
    let name = server.name();
    let message = format!(
        "server `{name}` of `{EXCHANGE_2007_ADMIN_GROUP}` is a member of routing group `{}`, not of `{EXCHANGE_2007_ROUTING_GROUP}`",
        group.node.name
    );
    let finding = EXCHANGE_2007_SERVER_OUTSIDE_ROUTING_GROUP
        .finding_at(membership, message, format!("places `{name}` in `{}`", group.node.name))
        .dn(server.node.dn.text())
        .server(name)
        .help(format!("move the server back to `{EXCHANGE_2007_ROUTING_GROUP}`, or reinstall it"))
        .evidence(server.node.evidence(format!("a server of `{EXCHANGE_2007_ADMIN_GROUP}`")));
    vec![finding]
}
