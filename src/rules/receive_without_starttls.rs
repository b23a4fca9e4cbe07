use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An enabled receive connector (Exchange 2007 and later) that listens on port 25 or 587
    /// (`msExchSmtpReceiveBindings`) and does not offer TLS: `Tls` (bit 1) is clear in
    /// `msExchSMTPReceiveInboundSecurityFlag`. A connector without the attribute has the
    /// default, which offers TLS.
    ///
    /// ## Why it matters
    /// Without `Tls` the connector does not advertise STARTTLS, so every message it receives,
    /// from the Internet or from clients, crosses the network unencrypted, and servers that
    /// require TLS (Exchange Online, partners with domain security, MTA-STS senders) cannot
    /// deliver to it at all.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Default Frontend EX01,CN=SMTP Receive Connectors,CN=Protocols,CN=EX01,...
    /// objectClass: msExchSmtpReceiveConnector
    /// msExchSmtpReceiveBindings: 0.0.0.0:25
    /// msExchSMTPReceiveInboundSecurityFlag: 16
    /// ```
    ///
    /// ## How to fix
    /// Add `Tls` to the connector's mechanisms:
    /// `Set-ReceiveConnector "EX01\Default Frontend EX01" -AuthMechanism Tls,ExchangeServer`
    /// (with the mechanisms it already has), and make sure a certificate is enabled for SMTP.
    ///
    /// ## Origin
    /// exlint's own check. `Tls` is bit 1 of Exchange's `AuthMechanisms`, stored in
    /// `msExchSMTPReceiveInboundSecurityFlag` (decompiled Exchange 2013 code,
    /// PiratesRE/exchange_diff, `ReceiveConnectorSchema` and `AuthMechanisms`); "Set-ReceiveConnector"
    /// describes `-AuthMechanism Tls`
    /// (<https://learn.microsoft.com/powershell/module/exchangepowershell/set-receiveconnector>).
    pub static RECEIVE_WITHOUT_STARTTLS = Rule {
        code: "RECV003",
        name: "receive-without-starttls",
        title: "A receive connector on port 25 or 587 does not offer TLS",
        severity: Severity::Warning,
        origin: Origin::Native,
        precondition: needs::receive_connectors,
        check: Check::Organization(check),
    };
}

fn check(context: &Context<'_>) -> Vec<Finding> {
    let topology = context.topology;
    let mut findings = Vec::new();
    for (connector, authentication) in topology.receive_connectors_with_authentication() {
        let Some(binding) = connector.mail_bindings().next() else { continue };
        if authentication.offers_tls() {
            continue;
        }
        let server = topology.servers[connector.server].name();
        let message = format!(
            "receive connector `{}` on `{server}` listens on `{}` without offering TLS (`{}`): mail reaches it unencrypted",
            connector.node.name,
            binding.text.trim(),
            authentication.names()
        );
        findings.push(
            RECEIVE_WITHOUT_STARTTLS
                .finding_at(&authentication, message, "no `Tls` among the mechanisms")
                .server(server)
                .evidence(binding.evidence("listens on a mail port"))
                .help("add Tls to the connector's AuthMechanism"),
        );
    }
    findings
}
