use crate::exchange::CertificateName;
use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An enabled Send connector whose certificate name (`msExchSmtpTLSCertificate`,
    /// `TlsCertificateName`) is not written `<I>issuer<S>subject`: it does not start with
    /// `<I>`, has no `<S>`, or the issuer or subject between them is empty. The markers are
    /// matched in any case.
    ///
    /// ## Why it matters
    /// Exchange looks the certificate up by issuer and subject. A value in another form (a
    /// thumbprint, a subject alone, a value pasted from a certificate's properties) matches no
    /// certificate, so the connector offers none: Exchange Online and partners that expect this
    /// certificate treat the mail as anonymous, or refuse it.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Outbound to Office 365,CN=Connections,CN=Exchange Routing Group (DWBGZMFD01QNBJR),...
    /// msExchSmtpTLSCertificate: CN=mail.contoso.com
    /// ```
    ///
    /// ## How to fix
    /// Build the name from the certificate and set it:
    /// `$cert = Get-ExchangeCertificate -Thumbprint <thumbprint>;
    /// Set-SendConnector "Outbound to Office 365" -TlsCertificateName "<I>$($cert.Issuer)<S>$($cert.Subject)"`.
    ///
    /// ## Origin
    /// exlint's own check. The syntax `<I>X.500Issuer<S>X.500Subject` is the one "Set-SendConnector"
    /// documents for `-TlsCertificateName`
    /// (<https://learn.microsoft.com/powershell/module/exchangepowershell/set-sendconnector>); the
    /// attribute is `SmtpSendConnectorConfigSchema.TlsCertificateName` (decompiled Exchange 2013
    /// code, PiratesRE/exchange_diff).
    pub static TLS_CERTIFICATE_NAME_MALFORMED = Rule {
        code: "SEND002",
        name: "tls-certificate-name-malformed",
        title: "A Send connector's TLS certificate name is not `<I>issuer<S>subject`",
        severity: Severity::Warning,
        origin: Origin::Native,
        precondition: needs::send_connectors,
        check: Check::Organization(check),
    };
}

fn check(context: &Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for connector in context.topology.enabled_send_connectors() {
        let Some(name) = connector.tls_certificate_name() else { continue };
        let Err(problem) = CertificateName::parse(&name) else { continue };
        let message = format!(
            "the TLS certificate name of Send connector `{}` is not `<I>issuer<S>subject`: {problem}, so it names no certificate",
            connector.node.name
        );
        findings.push(
            TLS_CERTIFICATE_NAME_MALFORMED
                .finding_at(&name, message, "not `<I>issuer<S>subject`")
                .help("set the name as `<I>` and the certificate's issuer, then `<S>` and its subject"),
        );
    }
    findings
}
