use crate::exchange::Server;
use crate::finding::{Finding, Severity};

use super::internal_transport_certificate_missing::certificates_exported;
use super::{Check, Context, Origin};

declare_rule! {
    /// ## What it finds
    /// An Exchange 2013 or later server whose internal transport certificate
    /// (`msExchServerInternalTLSCert`) expired before the day the report judges by: the day
    /// exlint's lifecycle table was reviewed, or the day `--as-of` names. The certificate is
    /// read as X.509 DER; its `notAfter` is compared by calendar day.
    ///
    /// ## Why it matters
    /// Exchange uses the internal transport certificate for SMTP between its own services and
    /// servers. Setup creates it self-signed and nothing renews it: on a server that has run
    /// long enough it expires, and front-end to back-end mail flow fails with TLS errors.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=EX02,CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),...
    /// msExchServerInternalTLSCert:: MIIBMzCB2qADAgECAgNFWDIw... (notAfter 2026-03-01)
    /// ```
    ///
    /// ## How to fix
    /// On the server: `New-ExchangeCertificate -Server EX02 -KeySize 2048 -PrivateKeyExportable
    /// $true -FriendlyName EX02 -DomainName EX02 -IncludeServerFQDN -Services SMTP -Force`, then
    /// remove the expired certificate.
    ///
    /// ## Origin
    /// exlint's own check, beside HealthChecker's "Internal Transport Certificate" check
    /// (<https://microsoft.github.io/CSS-Exchange/Diagnostics/HealthChecker/InternalTransportCertificateCheck/>),
    /// which reads the same attribute; the rule reads the certificate's own dates.
    pub static INTERNAL_TRANSPORT_CERTIFICATE_EXPIRED = Rule {
        code: "CERT002",
        name: "internal-transport-certificate-expired",
        title: "An Exchange server's internal transport certificate has expired",
        severity: Severity::Error,
        origin: Origin::Native,
        precondition: certificates_exported,
        check: Check::Server(check),
    };
}

fn check(server: &Server<'_>, context: &Context<'_>) -> Vec<Finding> {
    let as_of = context.options.as_of;
    let Some(certificate) = server.internal_transport_certificate() else { return Vec::new() };
    let Ok(parsed) = &certificate.value else { return Vec::new() };
    if !server.has_internal_transport() || parsed.not_after >= as_of {
        return Vec::new();
    }
    let message = format!(
        "the internal transport certificate of server `{}` ({}) expired on {} (judged as of {as_of})",
        server.name(),
        parsed.subject,
        parsed.not_after
    );
    vec![
        INTERNAL_TRANSPORT_CERTIFICATE_EXPIRED
            .finding_at(&certificate, message, format!("valid from {} to {}", parsed.not_before, parsed.not_after))
            .server(server.name())
            .help("create a new internal transport certificate on the server with New-ExchangeCertificate -Services SMTP"),
    ]
}
