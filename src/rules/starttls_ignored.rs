use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An enabled Send connector (Exchange 2007 and later) with `IgnoreSTARTTLS` set: bit
    /// 0x800000 of `msExchSmtpOutboundSecurityFlag`.
    ///
    /// ## Why it matters
    /// Exchange uses TLS opportunistically: when the receiving server offers STARTTLS, mail is
    /// encrypted. `IgnoreSTARTTLS` turns that off, so everything the connector sends crosses
    /// the Internet in clear text even to servers that offer TLS, and mail to domains that
    /// require it (MTA-STS, DANE, partners with `RequireTLS`) is refused.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Internet,CN=Connections,CN=Exchange Routing Group (DWBGZMFD01QNBJR),...
    /// objectClass: msExchRoutingSMTPConnector
    /// routingList: SMTP:*;1
    /// msExchSmtpOutboundSecurityFlag: 8388608
    /// ```
    ///
    /// ## How to fix
    /// `Set-SendConnector Internet -IgnoreSTARTTLS $false`.
    ///
    /// ## Origin
    /// exlint's own check. `IgnoreSTARTTLS` is bit 8388608 of `SendConnectorSecurityFlags`,
    /// stored in `msExchSmtpOutboundSecurityFlag` (decompiled Exchange 2013 code,
    /// PiratesRE/exchange_diff, `SmtpSendConnectorConfigSchema`); the parameter is described in
    /// "Set-SendConnector"
    /// (<https://learn.microsoft.com/powershell/module/exchangepowershell/set-sendconnector>).
    pub static STARTTLS_IGNORED = Rule {
        code: "SEND001",
        name: "starttls-ignored",
        title: "A Send connector never uses TLS (IgnoreSTARTTLS)",
        severity: Severity::Warning,
        origin: Origin::Native,
        precondition: needs::send_connectors,
        check: Check::Organization(check),
    };
}

fn check(context: &Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for connector in context.topology.enabled_send_connectors() {
        let Some(security) = connector.outbound_security().filter(|security| security.ignores_starttls()) else {
            continue;
        };
        let message = format!(
            "the Send connector `{}` ignores STARTTLS: what it sends is never encrypted, even to servers that offer TLS",
            connector.node.name
        );
        findings.push(
            STARTTLS_IGNORED
                .finding_at(&security, message, "bit 0x800000, IgnoreSTARTTLS, is set")
                .help("clear IgnoreSTARTTLS on the connector"),
        );
    }
    findings
}
