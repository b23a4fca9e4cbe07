use crate::exchange::{HybridConfiguration, Topology};
use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// A hybrid configuration object (`msExchCoexistenceRelationship`) that cannot carry mail
    /// as the Hybrid Configuration Wizard meant, one finding per problem:
    /// - no domain (`msExchCoexistenceDomains`);
    /// - no on-premises smart host (`msExchCoexistenceOnPremisesSmartHost`), the name Exchange
    ///   Online's outbound connector sends to;
    /// - without Edge Transport servers, no sending (`msExchCoexistenceTransportServers`) or no
    ///   receiving (`msExchCoexistenceFrontendTransportServers`) transport server;
    /// - Edge Transport servers (`msExchCoexistenceEdgeTransportServers`) together with sending
    ///   or receiving transport servers, which must then be empty;
    /// - a server DN that names no Exchange server of the export. Server DNs are compared
    ///   normalised (case, spacing, escapes); a filtered export without server entries makes
    ///   this part of the check say nothing.
    ///
    /// ## Why it matters
    /// The wizard builds the connectors on both sides from this object each time it runs. A
    /// missing domain or smart host leaves Exchange Online without a route to the organization;
    /// a server named that no longer exists (decommissioned, or renamed) leaves the Send
    /// connector without a source server, and Edge servers mixed with Mailbox servers make the
    /// wizard configure mail flow through both.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Hybrid Configuration,CN=Hybrid Configuration,CN=Contoso,CN=Microsoft Exchange,...
    /// msExchCoexistenceEdgeTransportServers: CN=EDGE01,CN=Servers,...
    /// msExchCoexistenceTransportServers: CN=EX01,CN=Servers,...
    /// ```
    ///
    /// ## How to fix
    /// Run the Hybrid Configuration Wizard again and choose the domains, servers and smart host;
    /// or correct the object with `Set-HybridConfiguration -Domains ... -SendingTransportServers
    /// ... -ReceivingTransportServers ... -EdgeTransportServers ... -OnPremisesSmartHost ...`
    /// and run the wizard to update the connectors.
    ///
    /// ## Origin
    /// HealthChecker's hybrid information (`Invoke-AnalyzerHybridInformation.ps1`, microsoft/CSS-Exchange),
    /// which warns when no domain, no on-premises smart host, no sending or no receiving transport
    /// server is configured, and that "when configuring the EdgeTransportServers parameter, you
    /// must configure the ReceivingTransportServers and SendingTransportServers parameter values
    /// to null". Attributes as `HybridConfigurationSchema` maps them (decompiled Exchange 2013
    /// code, PiratesRE/exchange_diff).
    pub static HYBRID_CONFIGURATION_INCOMPLETE = Rule {
        code: "HYB004",
        name: "hybrid-configuration-incomplete",
        title: "The hybrid configuration lacks domains, a smart host or transport servers, or names servers that do not exist",
        severity: Severity::Warning,
        origin: Origin::Native,
        precondition: needs::hybrid_configuration,
        check: Check::Organization(check),
    };
}

const HELP: &str = "run the Hybrid Configuration Wizard again and choose the domains, servers and smart host";

fn check(context: &Context<'_>) -> Vec<Finding> {
    let topology = context.topology;
    let mut findings = Vec::new();
    for hybrid in &topology.hybrid_configurations {
        let name = &hybrid.node.name;
        let mut missing = |what: &str| {
            let message = format!("the hybrid configuration `{name}` has no {what}");
            findings.extend(HYBRID_CONFIGURATION_INCOMPLETE.finding_on(&hybrid.node, message, format!("no {what}")).map(|finding| finding.help(HELP)));
        };
        if hybrid.domains.is_empty() {
            missing("domain for hybrid mail flow");
        }
        if hybrid.on_premises_smart_host.is_none() {
            missing("on-premises smart host for mail from Exchange Online");
        }
        if hybrid.edge_servers.is_empty() {
            if hybrid.sending_servers.is_empty() {
                missing("sending transport server");
            }
            if hybrid.receiving_servers.is_empty() {
                missing("receiving transport server");
            }
        }
        findings.extend(edge_mixed(hybrid));
        findings.extend(unknown_servers(topology, hybrid));
    }
    findings
}

/// Edge Transport servers together with sending or receiving transport servers.
fn edge_mixed(hybrid: &HybridConfiguration<'_>) -> Option<Finding> {
    let edge = hybrid.edge_servers.first()?;
    let mailbox = hybrid.sending_servers.iter().chain(&hybrid.receiving_servers).next()?;
    let message = format!(
        "the hybrid configuration `{}` names Edge Transport server `{}` and also transport server `{}`: with Edge servers, the sending and receiving transport servers must be empty",
        hybrid.node.name,
        edge.value.name(),
        mailbox.value.name()
    );
    let finding = HYBRID_CONFIGURATION_INCOMPLETE
        .finding_at(mailbox, message, "a transport server beside Edge servers")
        .evidence(edge.evidence("an Edge Transport server"));
    Some(finding.help("keep the Edge Transport servers and clear the sending and receiving transport servers, or the reverse"))
}

/// Servers the object names that the export holds no Exchange server entry for.
fn unknown_servers<'t>(topology: &'t Topology<'_>, hybrid: &'t HybridConfiguration<'_>) -> impl Iterator<Item = Finding> + 't {
    let exported = topology.servers.iter().any(|server| server.node.is_exported());
    hybrid.named_servers().filter(move |_| exported).filter_map(move |(server, role)| {
        let known = topology.server_with_dn(&server.value).is_some_and(|index| topology.servers[index].node.is_exported());
        if known {
            return None;
        }
        let message = format!(
            "the hybrid configuration `{}` names `{}` as {role}, but the export holds no Exchange server with that DN (servers found: {})",
            hybrid.node.name,
            server.value.name(),
            topology.server_names()
        );
        Some(HYBRID_CONFIGURATION_INCOMPLETE.finding_at(server, message, "no such server").help(HELP))
    })
}
