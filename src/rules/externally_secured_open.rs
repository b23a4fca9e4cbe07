use crate::exchange::ReceiveAuthentication;
use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An enabled receive connector (Exchange 2007 and later) that treats every connection as
    /// externally secured (`ExternalAuthoritative`, bit 32 of
    /// `msExchSMTPReceiveInboundSecurityFlag`) and accepts connections from every address (a
    /// value of `msExchSmtpReceiveRemoteIPRanges` that covers all IPv4 or all IPv6 addresses).
    /// This needs no security descriptor: the mechanism itself grants the permissions.
    ///
    /// ## Why it matters
    /// `ExternalAuthoritative` tells Exchange that the network already vouches for the sender
    /// (IPsec, a VPN, a physically closed network), and with the `ExchangeServers` permission
    /// group it requires, the session gets what `MS Exchange\Externally Secured Servers` gets:
    /// relay to any domain (`ms-Exch-SMTP-Accept-Any-Recipient`), any sender address
    /// (`ms-Exch-SMTP-Accept-Any-Sender`), mail treated as authenticated and internal, no
    /// antispam. From every address that is an open relay that also lets anyone impersonate
    /// internal senders, which is worse than an anonymous relay.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Scanners EX01,CN=SMTP Receive Connectors,CN=Protocols,CN=EX01,CN=Servers,...
    /// objectClass: msExchSmtpReceiveConnector
    /// msExchSmtpReceiveBindings: 0.0.0.0:25
    /// msExchSmtpReceiveRemoteIPRanges: 0.0.0.0-255.255.255.255
    /// msExchSMTPReceiveInboundSecurityFlag: 32
    /// ```
    ///
    /// ## How to fix
    /// Narrow the connector's remote IP ranges to the devices that need it
    /// (`Set-ReceiveConnector "EX01\Scanners EX01" -RemoteIPRanges 10.0.5.0/28`), or give it
    /// anonymous permissions instead of `ExternalAuthoritative`.
    ///
    /// ## Origin
    /// exlint's own check. `ExternalAuthoritative` and the permissions of `MS Exchange\Externally
    /// Secured Servers` are described in "Receive connectors", its tables of authentication
    /// mechanisms and permission groups
    /// (<https://learn.microsoft.com/en-us/exchange/mail-flow/connectors/receive-connectors>);
    /// the bit is Exchange's `AuthMechanisms.ExternalAuthoritative` (decompiled Exchange 2013
    /// code, PiratesRE/exchange_diff).
    pub static EXTERNALLY_SECURED_OPEN = Rule {
        code: "RECV004",
        name: "externally-secured-open",
        title: "A receive connector treats connections from everywhere as externally secured",
        severity: Severity::Error,
        origin: Origin::Native,
        precondition: needs::receive_connectors,
        check: Check::Organization(check),
    };
}

fn check(context: &Context<'_>) -> Vec<Finding> {
    let topology = context.topology;
    let mut findings = Vec::new();
    for (connector, authentication) in topology.receive_connectors_with_authentication() {
        if authentication.0 & ReceiveAuthentication::EXTERNAL_AUTHORITATIVE == 0 {
            continue;
        }
        let Some(range) = connector.every_address_range() else { continue };
        let server = topology.servers[connector.server].name();
        let message = format!(
            "receive connector `{}` on `{server}` treats connections from every address (`{}`) as externally secured: anyone may relay and send as any internal sender",
            connector.node.name,
            range.text().trim()
        );
        findings.push(
            EXTERNALLY_SECURED_OPEN
                .finding_at(&authentication, message, "externally secured (ExternalAuthoritative): every session is trusted")
                .server(server)
                .evidence(range.evidence("accepts connections from every address"))
                .help("narrow the connector's remote IP ranges to the devices that need it"),
        );
    }
    findings
}
