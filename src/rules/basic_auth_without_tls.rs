use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An enabled receive connector (Exchange 2007 and later) that offers basic authentication
    /// (`BasicAuth`, bit 4 of `msExchSMTPReceiveInboundSecurityFlag`) without requiring TLS
    /// first (`BasicAuthRequireTLS`, bit 8, clear) and without requiring TLS for the whole
    /// session (`RequireTLS`, bit 8 of `msExchSmtpReceiveProtocolRestrictions`, clear). A
    /// connector without `msExchSMTPReceiveInboundSecurityFlag` has the schema's default, 29
    /// (`Tls, BasicAuth, BasicAuthRequireTLS, ExchangeServer`), which is not reported.
    ///
    /// ## Why it matters
    /// Basic authentication sends the user name and password base64-encoded, which is clear
    /// text to anyone who can watch the network. Offered before STARTTLS, it lets clients and
    /// devices send domain credentials unprotected; an attacker on the path collects them.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Client Frontend EX01,CN=SMTP Receive Connectors,CN=Protocols,CN=EX01,...
    /// objectClass: msExchSmtpReceiveConnector
    /// msExchSmtpReceiveBindings: 0.0.0.0:587
    /// msExchSMTPReceiveInboundSecurityFlag: 7
    /// ```
    ///
    /// ## How to fix
    /// `Set-ReceiveConnector "EX01\Client Frontend EX01" -AuthMechanism Tls,BasicAuth,BasicAuthRequireTLS`
    /// (keep the other mechanisms the connector needs), or `-RequireTLS $true`.
    ///
    /// ## Origin
    /// exlint's own check. The bits are those of Exchange's `AuthMechanisms` enumeration and
    /// `ReceiveConnectorSchema` (`SecurityFlags` is `msExchSMTPReceiveInboundSecurityFlag`,
    /// default 29; `RequireTLS` is bit 8 of `msExchSmtpReceiveProtocolRestrictions`), decompiled
    /// Exchange 2013 code in the public repository PiratesRE/exchange_diff
    /// (`Microsoft.Exchange.Data.Directory/Data/Directory/SystemConfiguration/`); the mechanisms
    /// are described in "Set-ReceiveConnector", `-AuthMechanism`
    /// (<https://learn.microsoft.com/powershell/module/exchangepowershell/set-receiveconnector>).
    pub static BASIC_AUTH_WITHOUT_TLS = Rule {
        code: "RECV002",
        name: "basic-auth-without-tls",
        title: "A receive connector offers basic authentication without TLS",
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
        if !authentication.basic_without_tls() || connector.requires_tls().is_some_and(|required| *required) {
            continue;
        }
        let server = topology.servers[connector.server].name();
        let message = format!(
            "receive connector `{}` on `{server}` offers basic authentication before TLS (`{}`): passwords can cross the network in clear text",
            connector.node.name,
            authentication.names()
        );
        findings.push(
            BASIC_AUTH_WITHOUT_TLS
                .finding_at(&authentication, message, "basic authentication (BasicAuth) without BasicAuthRequireTLS")
                .server(server)
                .help("add BasicAuthRequireTLS to the connector's AuthMechanism, or require TLS"),
        );
    }
    findings
}
