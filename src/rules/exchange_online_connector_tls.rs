use crate::exchange::TlsAuthLevel;
use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, needs};

/// The name Exchange Online's certificates carry, which `DomainValidation` must check.
const EXCHANGE_ONLINE_TLS_DOMAIN: &str = "mail.protection.outlook.com";

declare_rule! {
    /// ## What it finds
    /// An enabled Send connector to Exchange Online (a smart host under
    /// `mail.protection.outlook.com` or an SMTP address space under `mail.onmicrosoft.com`)
    /// whose TLS authentication level (`TlsAuthLevel`, bits 4 to 11 of `msExchSmtpSendFlags`)
    /// is neither `CertificateValidation` nor `DomainValidation`, or is `DomainValidation` with
    /// a TLS domain (`msExchSmtpSendTlsDomain`) other than `mail.protection.outlook.com`.
    ///
    /// ## Why it matters
    /// Without certificate validation the connector encrypts but does not check whom it talks
    /// to, so mail for the tenant can be diverted by anyone who can answer for the smart host's
    /// name. `DomainValidation` with the wrong TLS domain fails outright: Exchange Online's
    /// certificates name `mail.protection.outlook.com`, and mail to the cloud queues.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Outbound to Office 365,CN=Connections,CN=Exchange Routing Group (DWBGZMFD01QNBJR),...
    /// msExchSmtpSmartHost: contoso-com.mail.protection.outlook.com
    /// msExchSmtpSendFlags: 131088
    /// ```
    ///
    /// ## How to fix
    /// `Set-SendConnector "Outbound to Office 365" -TlsAuthLevel DomainValidation -TlsDomain mail.protection.outlook.com`.
    ///
    /// ## Origin
    /// HealthChecker's "Exchange Online Connector Check", its additional warnings
    /// (<https://microsoft.github.io/CSS-Exchange/Diagnostics/HealthChecker/ExoConnectorCheck/>).
    /// `TlsAuthLevel` is `(msExchSmtpSendFlags & 0xFF0) >> 4` with EncryptionOnly 1,
    /// CertificateValidation 2, DomainValidation 4 (`SmtpSendConnectorConfig.TlsAuthLevelGetter`
    /// and the `TlsAuthLevel` enumeration, decompiled Exchange 2013 code, PiratesRE/exchange_diff).
    pub static EXCHANGE_ONLINE_CONNECTOR_TLS = Rule {
        code: "HYB002",
        name: "exchange-online-connector-tls",
        title: "A Send connector to Exchange Online does not validate the cloud's certificate",
        severity: Severity::Warning,
        origin: Origin::Native,
        precondition: needs::send_connectors,
        check: Check::Organization(check),
    };
}

fn check(context: &Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for connector in context.topology.exchange_online_connectors() {
        let Some(flags) = connector.send_flags() else { continue };
        let level = flags.tls_auth_level();
        let tls_domain = connector.tls_domain();
        let problem = match level {
            Some(TlsAuthLevel::CertificateValidation) => continue,
            Some(TlsAuthLevel::DomainValidation) => match &tls_domain {
                Some(domain) if domain.trim_end_matches('.').eq_ignore_ascii_case(EXCHANGE_ONLINE_TLS_DOMAIN) => continue,
                Some(domain) => format!("checks the TLS domain `{}`, which Exchange Online's certificates do not name", domain.value),
                None => "uses DomainValidation without a TLS domain".to_owned(),
            },
            Some(other) => format!("validates no certificate (TlsAuthLevel {other})"),
            None => "validates no certificate (no TlsAuthLevel)".to_owned(),
        };
        let message = format!("the Send connector `{}` to Exchange Online {problem}", connector.node.name);
        let finding = EXCHANGE_ONLINE_CONNECTOR_TLS
            .finding_at(&flags, message, "bits 4 to 11 hold TlsAuthLevel")
            .evidence(tls_domain.as_ref().map(|domain| domain.evidence("the TLS domain")));
        findings.push(finding.help(format!("set TlsAuthLevel DomainValidation with TlsDomain {EXCHANGE_ONLINE_TLS_DOMAIN}")));
    }
    findings
}
