use std::collections::BTreeMap;

use crate::exchange::{Server, SmtpConnector, is_hidden_server_connector};
use crate::finding::{Finding, Severity};
use crate::source::Location;

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// A host outside Exchange that Internet mail must go through (a spam filter, a relay at
    /// the ISP), named with `--non-exchange-gateway HOST` or `non-exchange-gateways` in
    /// `exlint.toml`, that no SMTP connector sends to: none of the connectors looked at lists
    /// it among the hosts of `msExchSmtpSmartHost`. Host names are compared ignoring case and
    /// a final dot, IP addresses with their brackets stripped (`[192.0.2.10]` is
    /// `192.0.2.10`).
    ///
    /// The connectors looked at are those of SMTP002: with `--gateway SERVER`, for each
    /// gateway, the SMTP connectors that list one of its virtual servers in
    /// `msExchSourceBridgeheadServersDN` and have an SMTP address space. Without `--gateway`,
    /// no Exchange gateway is named, so every SMTP connector and Send connector of the
    /// organization with an SMTP address space is looked at, and one of them naming the host
    /// is enough.
    ///
    /// Which host is the non-Exchange gateway is the user's knowledge: without
    /// `--non-exchange-gateway` the rule is reported as not evaluated.
    ///
    /// ## Why it matters
    /// When no connector names the gateway as its smart host, nothing routes mail from
    /// Exchange to it: the connectors deliver by DNS or to another smart host, past the
    /// filtering or relaying the gateway exists for, and servers other than the intended
    /// ones may send messages out of the organization directly.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Internet Mail,CN=Connections,CN=First Routing Group,...
    /// objectClass: msExchRoutingSMTPConnector
    /// routingList: SMTP:*;1
    /// msExchSourceBridgeheadServersDN: CN=1,CN=SMTP,CN=Protocols,CN=EXBH01,...
    /// msExchSmtpSmartHost: [192.0.2.99]
    /// ```
    /// With `--non-exchange-gateway relay.isp.example`, the connector sends to another
    /// host, so the rule fires.
    ///
    /// ## How to fix
    /// In Exchange System Manager, open the SMTP connector that carries Internet mail
    /// (address space `SMTP:*`), General tab, choose "Forward all mail through this connector
    /// to the following smart hosts" and enter the gateway (an IP address in brackets). On
    /// Exchange 2007 and later: `Set-SendConnector -SmartHosts`.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: [Non-Exchange gateway not configured as smart host on an
    /// SMTP connector],
    /// <http://unifiedpeople.ru/exbpa.en/html/c85be53c-96ba-4570-ae1e-bc68e0b78bb0.htm>.
    /// ExBPA is told one Exchange gateway and one non-Exchange gateway; exlint checks each
    /// host given against each gateway given. Looking at every connector when no Exchange
    /// gateway is named is exlint's approximation; like SMTP002, any SMTP address space
    /// counts as external.
    pub static NON_EXCHANGE_GATEWAY_NOT_SMART_HOST = Rule {
        code: "CONN001",
        name: "non-exchange-gateway-not-smart-host",
        title: "Non-Exchange gateway not configured as smart host on an SMTP connector",
        severity: Severity::Warning,
        origin: Origin::ExBpa,
        precondition,
        check: Check::Organization(check),
    };
}

fn precondition(context: &Context<'_>) -> Result<(), String> {
    if context.options.non_exchange_gateways.is_empty() {
        return Err("no non-Exchange gateway given: pass `--non-exchange-gateway HOST` (or `non-exchange-gateways` in `exlint.toml`) for the host outside Exchange that Internet mail must go through".to_owned());
    }
    needs::smtp_connectors(context)
}

/// Connectors looked at together, and who they are looked at for.
struct Scope<'t, 'a> {
    /// `gateway `EXBH01``, `organization `Contoso``.
    label: String,
    /// The Exchange gateway, when the user named one.
    gateway: Option<&'t Server<'a>>,
    /// The connectors with an SMTP address space.
    connectors: Vec<&'t SmtpConnector<'a>>,
    /// The other connectors in scope, for the evidence when there is none with one.
    without_smtp: Vec<&'t SmtpConnector<'a>>,
    /// Where to point when there is no such connector.
    fallback: Option<Location>,
}

fn check(context: &Context<'_>) -> Vec<Finding> {
    let topology = context.topology;
    let scopes: Vec<Scope<'_, '_>> = if context.options.gateways.is_empty() {
        let mut organizations: BTreeMap<String, Scope<'_, '_>> = BTreeMap::new();
        let connectors = topology.smtp_connectors.iter();
        for connector in connectors.filter(|connector| !is_hidden_server_connector(&connector.node)) {
            let organization = topology.organization_of(&connector.node.dn);
            let key = organization.as_deref().unwrap_or_default().to_lowercase();
            let scope = organizations.entry(key).or_insert_with(|| Scope {
                label: match &organization {
                    Some(name) => format!("organization `{name}`"),
                    None => "the export".to_owned(),
                },
                gateway: None,
                connectors: Vec::new(),
                without_smtp: Vec::new(),
                fallback: connector.node.location(),
            });
            if connector.has_smtp_address_space() {
                scope.connectors.push(connector);
            } else {
                scope.without_smtp.push(connector);
            }
        }
        organizations.into_values().collect()
    } else {
        topology
            .servers
            .iter()
            .filter(|server| context.options.is_gateway(server.name()))
            .map(|server| {
                let (connectors, without_smtp) = topology
                    .smtp_connectors_bridgeheaded_by(server)
                    .map(|(connector, _)| connector)
                    .partition(|connector| connector.has_smtp_address_space());
                Scope {
                    label: format!("gateway `{}`", server.name()),
                    gateway: Some(server),
                    connectors,
                    without_smtp,
                    fallback: server
                        .node
                        .location()
                        .or_else(|| topology.virtual_servers_of(server).find_map(|vs| vs.node.location())),
                }
            })
            .collect()
    };
    let mut findings = Vec::new();
    for scope in &scopes {
        for host in &context.options.non_exchange_gateways {
            let named = scope.connectors.iter().any(|connector| connector.smart_host_list().iter().any(|h| h.is(host)));
            if !named && let Some(finding) = finding(scope, host.trim()) {
                findings.push(finding);
            }
        }
    }
    findings
}

fn finding(scope: &Scope<'_, '_>, host: &str) -> Option<Finding> {
    let location = scope
        .connectors
        .iter()
        .find_map(|connector| Some(connector.smart_hosts.as_ref()?.location()))
        .or_else(|| scope.connectors.iter().find_map(|connector| connector.node.location()))
        .or(scope.fallback)?;
    let message = match (scope.connectors.is_empty(), scope.gateway) {
        (true, Some(_)) => format!(
            "{} is the source bridgehead of no SMTP connector with an SMTP address space, so no connector sends its mail to non-Exchange gateway `{host}`",
            scope.label
        ),
        (true, None) => format!(
            "{} has no SMTP connector with an SMTP address space, so none sends to non-Exchange gateway `{host}`",
            scope.label
        ),
        (false, _) => {
            let names: Vec<String> =
                scope.connectors.iter().map(|connector| format!("`{}`", connector.node.name)).collect();
            format!(
                "{}: no SMTP connector sends to non-Exchange gateway `{host}` (connectors with an SMTP address space: {})",
                scope.label,
                names.join(", ")
            )
        }
    };
    let mut finding = NON_EXCHANGE_GATEWAY_NOT_SMART_HOST.finding(location, message).help(format!(
        "make `{host}` the smart host of the SMTP connector that carries Internet mail (address space `SMTP:*`)"
    ));
    match scope.gateway {
        Some(server) => {
            finding = finding
                .server(server.name())
                .dn(server.node.dn.text())
                .evidence(server.node.evidence("the Exchange gateway named with `--gateway`"));
        }
        None => {
            if let Some(connector) = scope.connectors.first().or(scope.without_smtp.first()) {
                finding = finding.dn(connector.node.dn.text());
            }
        }
    }
    for connector in &scope.connectors {
        let name = &connector.node.name;
        finding = finding.evidence(match &connector.smart_hosts {
            Some(hosts) => Some(hosts.evidence(format!("smart hosts of connector `{name}`, not `{host}`"))),
            None => connector.node.evidence(format!("connector `{name}` has no smart host: it delivers by DNS")),
        });
    }
    for connector in &scope.without_smtp {
        finding = finding.evidence(
            connector.node.evidence(format!("connector `{}` has no SMTP address space", connector.node.name)),
        );
    }
    Some(finding)
}
