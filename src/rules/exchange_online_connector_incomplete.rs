use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An enabled Send connector to Exchange Online that lacks what Exchange Online now
    /// requires of mail from an on-premises organization: the certificate name
    /// (`msExchSmtpTLSCertificate`, `TlsCertificateName`) or `CloudServicesMailEnabled` (bit
    /// 131072 of `msExchSmtpSendFlags`). A connector is to Exchange Online, as HealthChecker
    /// tells it, when a smart host is under `mail.protection.outlook.com` or an SMTP address
    /// space under `mail.onmicrosoft.com`. One finding per connector, naming what is missing.
    ///
    /// ## Why it matters
    /// Exchange Online identifies the on-premises organization by the certificate the
    /// connector presents and keeps mail internal (sender names resolved, no spam filtering of
    /// internal mail) only with `CloudServicesMailEnabled`. Without them, mail between
    /// on-premises and cloud mailboxes is treated as coming from the Internet, and relayed mail
    /// is refused under Exchange Online's rules for relay through it.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Outbound to Office 365,CN=Connections,CN=Exchange Routing Group (DWBGZMFD01QNBJR),...
    /// objectClass: msExchRoutingSMTPConnector
    /// routingList: SMTP:contoso.mail.onmicrosoft.com;1
    /// msExchSmtpSmartHost: contoso-com.mail.protection.outlook.com
    /// msExchSmtpSendFlags: 64
    /// ```
    ///
    /// ## How to fix
    /// Run the Hybrid Configuration Wizard again, or set both on the connector:
    /// `Set-SendConnector "Outbound to Office 365" -TlsCertificateName "<I>issuer<S>subject" -CloudServicesMailEnabled $true`.
    ///
    /// ## Origin
    /// HealthChecker's "Exchange Online Connector Check"
    /// (<https://microsoft.github.io/CSS-Exchange/Diagnostics/HealthChecker/ExoConnectorCheck/>),
    /// which calls such a connector misconfigured. `CloudServicesMailEnabled` is bit 131072 of
    /// `msExchSmtpSendFlags` and `TlsCertificateName` is `msExchSmtpTLSCertificate`
    /// (`SmtpSendConnectorConfigSchema`, decompiled Exchange 2013 code, PiratesRE/exchange_diff).
    pub static EXCHANGE_ONLINE_CONNECTOR_INCOMPLETE = Rule {
        code: "HYB001",
        name: "exchange-online-connector-incomplete",
        title: "A Send connector to Exchange Online lacks its certificate name or CloudServicesMailEnabled",
        severity: Severity::Error,
        origin: Origin::Native,
        precondition: needs::send_connectors,
        check: Check::Organization(check),
    };
}

fn check(context: &Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for connector in context.topology.exchange_online_connectors() {
        let flags = connector.send_flags();
        let mut missing = Vec::new();
        if connector.tls_certificate_name().is_none() {
            missing.push("no TLS certificate name (`msExchSmtpTLSCertificate`)");
        }
        if !flags.as_ref().is_some_and(|flags| flags.cloud_services_mail()) {
            missing.push("CloudServicesMailEnabled is off (bit 131072 of `msExchSmtpSendFlags`)");
        }
        if missing.is_empty() {
            continue;
        }
        let message = format!(
            "the Send connector `{}` sends to Exchange Online with {}: Exchange Online treats its mail as coming from the Internet",
            connector.node.name,
            missing.join(" and ")
        );
        let finding = match &flags {
            Some(flags) => EXCHANGE_ONLINE_CONNECTOR_INCOMPLETE.finding_at(flags, message, "the connector's flags"),
            None => match EXCHANGE_ONLINE_CONNECTOR_INCOMPLETE.finding_on(&connector.node, message, "no flags") {
                Some(finding) => finding,
                None => continue,
            },
        };
        let finding = connector
            .smart_hosts
            .iter()
            .fold(finding, |finding, hosts| finding.evidence(hosts.evidence("smart hosts of Exchange Online")));
        findings.push(finding.help("run the Hybrid Configuration Wizard again, or set TlsCertificateName and CloudServicesMailEnabled"));
    }
    findings
}
