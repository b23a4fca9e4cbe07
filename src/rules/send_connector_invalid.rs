use crate::exchange::{SendFlags, SmtpConnector};
use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An Exchange 2007+ Send connector that Exchange would refuse to save, in one of these
    /// ways the export can show:
    ///
    /// - DNS routing is off but there is no smart host: Exchange stores no DNS routing
    ///   flag, it routes by DNS exactly when `msExchSmtpSmartHost` is empty, so the two
    ///   disagree only when the attribute is set but names no host (`;`, `[]`, blanks).
    /// - Basic authentication to the smart host (bits 20 and up of `msExchSmtpSendFlags` say
    ///   2, basic, or 4, basic over TLS) without a credential: no
    ///   `msExchSmtpOutboundSecurityUserName`. The password
    ///   (`msExchSmtpOutboundSecurityPassword`) is not required in the export, since an
    ///   export made without the right to read it would otherwise always fire.
    /// - Domain security (bit 4 of `msExchSmtpSendFlags`) with DNS routing off: domain
    ///   security needs DNS routing.
    ///
    /// A Send connector is an `msExchRoutingSMTPConnector` that carries an attribute only
    /// Exchange 2007 and later write (`msExchSmtpSendPort`, `msExchSmtpSendFlags`,
    /// `msExchSmtpSendEnabled`...) or sits in `Exchange Routing Group (DWBGZMFD01QNBJR)`.
    /// A Send connector without address space is CONN006's finding, not repeated here.
    ///
    /// ## Why it matters
    /// Exchange validates a Send connector when it is saved, so a connector in one of these
    /// states was written around that validation (ADSI Edit, a script, an interrupted
    /// change). Transport then cannot use it as configured: mail for its address space
    /// queues for lack of a smart host, or the smart host refuses to relay without
    /// authentication, or domain-secured mail is not protected as intended.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Internet Send,CN=Connections,CN=Exchange Routing Group (DWBGZMFD01QNBJR),...
    /// objectClass: msExchRoutingSMTPConnector
    /// routingList: SMTP:*;1
    /// msExchSmtpSmartHost: [192.0.2.99]
    /// msExchSmtpSendFlags: 2097152
    /// ```
    /// Basic authentication (2 × 2^20) and no user name.
    ///
    /// ## How to fix
    /// With the Exchange Management Shell: `Set-SendConnector -SmartHosts` (or
    /// `-DNSRoutingEnabled $true`), `Set-SendConnector -AuthenticationCredential
    /// (Get-Credential)`, or `-DomainSecureEnabled $false` where smart hosts are meant.
    ///
    /// ## Origin
    /// exlint's own check, from Exchange's constraints: the checks Exchange makes when it
    /// saves a Send connector (`SmtpSendConnectorConfig` validation: `SmartHostNotSet`,
    /// `AuthenticationCredentialNotSet`, `DomainSecureWithoutDNSRoutingEnabled`), read from
    /// Exchange 2013's code, and the Send connector documentation,
    /// <http://technet.microsoft.com/en-us/library/aa998662(EXCHG.80).aspx>.
    pub static SEND_CONNECTOR_INVALID = Rule {
        code: "CONN007",
        name: "send-connector-invalid",
        title: "Send connector that Exchange would refuse to save",
        severity: Severity::Error,
        origin: Origin::Native,
        precondition,
        check: Check::Organization(check),
    };
}

fn precondition(context: &Context<'_>) -> Result<(), String> {
    needs::smtp_connectors(context)?;
    if context.topology.smtp_connectors.iter().any(SmtpConnector::is_send_connector) {
        Ok(())
    } else {
        Err("the export holds no Exchange 2007+ Send connector (an `msExchRoutingSMTPConnector` with `msExchSmtpSendPort`, `msExchSmtpSendFlags` or another attribute of Send connectors, or in `Exchange Routing Group (DWBGZMFD01QNBJR)`)".to_owned())
    }
}

fn check(context: &Context<'_>) -> Vec<Finding> {
    context.topology.smtp_connectors.iter().filter(|connector| connector.is_send_connector()).flat_map(judge).collect()
}

fn judge(connector: &SmtpConnector<'_>) -> Vec<Finding> {
    let name = &connector.node.name;
    let message = |problem: String| format!("connector `{name}`: {problem}");
    let mut findings = Vec::new();
    if let Some(hosts) = connector.smart_hosts.as_ref().filter(|hosts| hosts.iter().all(|host| host.host.is_empty())) {
        findings.push(
            SEND_CONNECTOR_INVALID
                .finding_at(
                    hosts,
                    message(format!(
                        "DNS routing is off (`msExchSmtpSmartHost` is set to `{}`) but it names no smart host",
                        hosts.text().trim()
                    )),
                    "set, so DNS routing is off, yet no host in it",
                )
                .help("name the smart hosts (`Set-SendConnector -SmartHosts`), or clear the attribute to route by DNS"),
        );
    }
    let Some(flags) = connector.send_flags() else { return findings };
    let auth = flags.smart_host_authentication();
    if matches!(auth, SendFlags::BASIC_AUTH | SendFlags::BASIC_AUTH_REQUIRE_TLS)
        && connector.outbound_user_name().is_none()
    {
        let mechanism =
            if auth == SendFlags::BASIC_AUTH { "basic authentication" } else { "basic authentication over TLS" };
        findings.push(
            SEND_CONNECTOR_INVALID
                .finding_at(
                    &flags,
                    message(format!("the smart host is reached with {mechanism} but no credential is set (no `msExchSmtpOutboundSecurityUserName`)")),
                    format!("authentication to the smart host (bits 20 and up) is {auth}: {mechanism}"),
                )
                .help("set the credential with `Set-SendConnector -AuthenticationCredential`"),
        );
    }
    if flags.domain_secure()
        && let Some(hosts) = connector.smart_hosts.as_ref().filter(|hosts| !hosts.is_empty())
    {
        findings.push(
            SEND_CONNECTOR_INVALID
                .finding_at(
                    &flags,
                    message("domain security is on, which needs DNS routing, but smart hosts are set".to_owned()),
                    "domain security on (flag 4)",
                )
                .help("turn domain security off (`-DomainSecureEnabled $false`) or route by DNS")
                .evidence(hosts.evidence("smart hosts set: DNS routing is off")),
        );
    }
    findings
}
