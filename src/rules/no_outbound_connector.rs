use crate::exchange::Server;
use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin};

declare_rule! {
    /// ## What it finds
    /// A server named as an Internet gateway (`--gateway NAME`) that is not a source
    /// bridgehead of any SMTP connector with an SMTP address space. The rule looks for an
    /// `msExchRoutingSMTPConnector` that lists one of the gateway's SMTP virtual servers in
    /// `msExchSourceBridgeheadServersDN` (the server read from the virtual server's DN, as
    /// Exchange does, DNs compared normalised) and has at least one `SMTP:` value in
    /// `routingList`, with or without `Local:`.
    ///
    /// Which servers are gateways is the user's knowledge, not the directory's: without
    /// `--gateway` the rule is reported as not evaluated, with the servers found, rather than
    /// flagging every internal server.
    ///
    /// ## Why it matters
    /// A gateway that no SMTP connector uses sends Internet mail by its virtual server's own
    /// DNS or smart-host settings, outside the routing the organization's connectors define:
    /// address-space restrictions, costs, smart hosts and delivery restrictions of the
    /// connectors do not apply to it, and other servers may route outbound mail through it
    /// unexpectedly.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Internet Mail,CN=Connections,CN=First Routing Group,...
    /// objectClass: msExchRoutingSMTPConnector
    /// routingList: SMTP:*;1
    /// msExchSourceBridgeheadServersDN: CN=1,CN=SMTP,CN=Protocols,CN=EXMB01,...
    /// ```
    /// With `--gateway EXBH01`, EXBH01's virtual servers are not among the connector's
    /// bridgeheads, so the rule fires for EXBH01.
    ///
    /// ## How to fix
    /// In Exchange System Manager, add the gateway's SMTP virtual server to the local
    /// bridgeheads of the SMTP connector that carries Internet mail (address space `SMTP:*`),
    /// or create such a connector for it. If the server is not meant to be a gateway, do not
    /// pass it to `--gateway`.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: "SMTP instance with no outbound SMTP connector set",
    /// <https://learn.microsoft.com/en-us/previous-versions/office/exchange-server-analyzer/aa996822(v=exchg.80)>.
    /// ExBPA requires an "external" address space without defining it; exlint counts any SMTP
    /// address space, because the organization's own domains (recipient policies) are often
    /// absent from a configuration export.
    pub static NO_OUTBOUND_CONNECTOR = Rule {
        code: "SMTP002",
        name: "no-outbound-connector",
        title: "SMTP instance with no outbound SMTP connector set",
        severity: Severity::Warning,
        origin: Origin::ExBpa,
        precondition: gateways_given,
        check: Check::Server(check),
    };
}

fn gateways_given(context: &Context<'_>) -> Result<(), String> {
    if context.options.gateways.is_empty() {
        Err(format!(
            "no gateway given: pass `--gateway NAME` for each server that sends mail outside the organization (servers found: {})",
            context.topology.server_names()
        ))
    } else {
        Ok(())
    }
}

fn check(server: &Server<'_>, context: &Context<'_>) -> Vec<Finding> {
    if !context.options.is_gateway(server.name()) {
        return Vec::new();
    }
    let topology = context.topology;
    let virtual_servers: Vec<_> = topology.virtual_servers_of(server).collect();
    let mut connectors_without_smtp = Vec::new();
    for (connector, bridgehead) in topology.smtp_connectors_bridgeheaded_by(server) {
        if connector.has_smtp_address_space() {
            return Vec::new();
        }
        connectors_without_smtp.push((connector, bridgehead));
    }
    // A server exists in the topology through its own entry or a virtual server's, so one of
    // the two is there to point at.
    let Some(location) = server.node.location().or_else(|| virtual_servers.iter().find_map(|vs| vs.node.location()))
    else {
        return Vec::new();
    };
    let message = if virtual_servers.is_empty() {
        format!("gateway `{}` has no SMTP virtual server in the export, so no SMTP connector can use it", server.name())
    } else {
        let names: Vec<String> =
            virtual_servers.iter().map(|virtual_server| format!("`{}`", virtual_server.label())).collect();
        format!(
            "gateway `{}` is not a source bridgehead of any SMTP connector with an SMTP address space (its virtual servers: {})",
            server.name(),
            names.join(", ")
        )
    };
    let finding = NO_OUTBOUND_CONNECTOR
        .finding(location, message)
        .server(server.name())
        .dn(server.node.dn.text())
        .help("add this server's SMTP virtual server to the local bridgeheads of the SMTP connector for `SMTP:*`, or create one");
    let finding = virtual_servers.iter().fold(finding, |finding, virtual_server| {
        finding.evidence(virtual_server.node.evidence("this virtual server is no SMTP connector's source bridgehead"))
    });
    let finding =
        connectors_without_smtp.into_iter().fold(finding, |finding, (connector, bridgehead)| {
            finding.evidence(bridgehead.evidence(format!(
                "connector `{}` uses this server but has no SMTP address space",
                connector.node.name
            )))
        });
    vec![finding]
}
