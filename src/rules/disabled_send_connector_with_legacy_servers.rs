use crate::exchange::Server;
use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// A Send connector that is disabled (`msExchSmtpSendEnabled: FALSE`) in an organization
    /// where some Exchange server's `serialNumber` says Version 6.0 or 6.5: Exchange 2000 or
    /// 2003. One finding per disabled connector; the evidence is the flag and the
    /// `serialNumber` of an Exchange 2000/2003 server of the same organization.
    ///
    /// Whether such servers exist can only be told from server entries with a
    /// `serialNumber`: without one the rule is reported as not evaluated.
    ///
    /// ## Why it matters
    /// Exchange 2007 and later skip a disabled Send connector, but Exchange 2000 and 2003
    /// do not know the flag: their routing still sees the connector's address space and
    /// sends mail towards it, where it is not delivered, and it can loop between the
    /// versions.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Internet Send,CN=Connections,CN=Exchange Routing Group (DWBGZMFD01QNBJR),...
    /// objectClass: msExchRoutingSMTPConnector
    /// routingList: SMTP:*;1
    /// msExchSmtpSendEnabled: FALSE
    ///
    /// dn: CN=EXBH01,CN=Servers,CN=First Administrative Group,...
    /// objectClass: msExchExchangeServer
    /// serialNumber: Version 6.5 (Build 7638.2: Service Pack 2)
    /// ```
    ///
    /// ## How to fix
    /// Remove the disabled Send connector (`Remove-SendConnector`) while Exchange 2000/2003
    /// servers remain, rather than disabling it, and create it again when it is needed.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: [Disabled Send connector in an organization that still has
    /// Exchange 2000/2003],
    /// <http://unifiedpeople.ru/exbpa.en/html/c7fabf2c-80de-4e61-b12f-47d03cf52948.htm>.
    pub static DISABLED_SEND_CONNECTOR_WITH_LEGACY_SERVERS = Rule {
        code: "CONN003",
        name: "disabled-send-connector-with-legacy-servers",
        title: "Disabled Send connector in an organization that still has Exchange 2000/2003",
        severity: Severity::Error,
        origin: Origin::ExBpa,
        precondition,
        check: Check::Organization(check),
    };
}

fn precondition(context: &Context<'_>) -> Result<(), String> {
    needs::server_versions(context)?;
    needs::smtp_connectors(context)
}

/// How many legacy servers a message names before it says how many more there are.
const NAMED: usize = 3;

fn check(context: &Context<'_>) -> Vec<Finding> {
    let topology = context.topology;
    let mut findings = Vec::new();
    for connector in &topology.smtp_connectors {
        let Some(flag) = connector.send_enabled().filter(|enabled| !**enabled) else { continue };
        let organization = topology.organization_of(&connector.node.dn);
        let same_organization = |server: &&Server<'_>| match (&organization, topology.organization_of(&server.node.dn))
        {
            (Some(own), Some(other)) => own.eq_ignore_ascii_case(&other),
            _ => true,
        };
        let legacy: Vec<&Server<'_>> = topology
            .servers
            .iter()
            .filter(|server| server.version.as_ref().is_some_and(|version| version.is_legacy()))
            .filter(same_organization)
            .collect();
        let Some(first) = legacy.first() else { continue };
        let mut names: Vec<String> = legacy.iter().take(NAMED).map(|server| format!("`{}`", server.name())).collect();
        if legacy.len() > NAMED {
            names.push(format!("{} more", legacy.len() - NAMED));
        }
        let message = format!(
            "connector `{}` is disabled, but Exchange 2000/2003 servers ({}) ignore the flag and still route to it",
            connector.node.name,
            names.join(", ")
        );
        let version = first
            .version
            .as_ref()
            .map(|version| version.evidence(format!("`{}` runs {}", first.name(), version.value)));
        findings.push(
            DISABLED_SEND_CONNECTOR_WITH_LEGACY_SERVERS
                .finding_at(&flag, message, "disabled: only Exchange 2007 and later honour this flag")
                .help("remove the disabled Send connector while Exchange 2000/2003 servers remain")
                .evidence(version),
        );
    }
    findings
}
