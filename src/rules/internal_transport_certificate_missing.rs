use crate::exchange::Server;
use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin};

declare_rule! {
    /// ## What it finds
    /// An Exchange 2013 or later server (by `serialNumber`) whose entry has no internal
    /// transport certificate (`msExchServerInternalTLSCert`), or one that is not an X.509
    /// certificate in DER. The rule looks only when the export holds the attribute on some
    /// server entry: an export that left it out for all says nothing about it.
    ///
    /// ## Why it matters
    /// The internal transport certificate secures SMTP between the front end and the back end
    /// of a server and between Exchange servers. Setup creates it, self-signed, for each
    /// server; when it is missing, mail flow on and with that server breaks. HealthChecker
    /// warns about a missing one.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=EX02,CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),...
    /// objectClass: msExchExchangeServer
    /// serialNumber: Version 15.2 (Build 32562.17)
    /// ```
    ///
    /// ## How to fix
    /// On the server, in the Exchange Management Shell: `New-ExchangeCertificate -Server EX02
    /// -KeySize 2048 -PrivateKeyExportable $true -FriendlyName EX02 -DomainName EX02
    /// -IncludeServerFQDN -Services SMTP -Force`, which makes a new self-signed certificate the
    /// internal transport certificate.
    ///
    /// ## Origin
    /// HealthChecker's "Internal Transport Certificate" check
    /// (<https://microsoft.github.io/CSS-Exchange/Diagnostics/HealthChecker/InternalTransportCertificateCheck/>),
    /// which reads the certificate from the server's `msExchServerInternalTLSCert`
    /// (`Get-InternalTransportCertificateFromServer.ps1`, microsoft/CSS-Exchange).
    pub static INTERNAL_TRANSPORT_CERTIFICATE_MISSING = Rule {
        code: "CERT001",
        name: "internal-transport-certificate-missing",
        title: "An Exchange server has no internal transport certificate",
        severity: Severity::Warning,
        origin: Origin::Native,
        precondition: certificates_exported,
        check: Check::Server(check),
    };
}

/// The certificate rules need an export that carries the attribute on some server entry.
pub(super) fn certificates_exported(context: &Context<'_>) -> Result<(), String> {
    let servers = &context.topology.servers;
    if servers.iter().any(|server| server.internal_transport_certificate().is_some()) {
        Ok(())
    } else {
        Err("no Exchange server entry in the export carries `msExchServerInternalTLSCert`, the internal transport certificate; export the attribute (it is binary: ldapsearch and ldifde write it in base64)".to_owned())
    }
}

fn check(server: &Server<'_>, _context: &Context<'_>) -> Vec<Finding> {
    if !server.has_internal_transport() {
        return Vec::new();
    }
    let name = server.name();
    let finding = match server.internal_transport_certificate() {
        Some(certificate) => match &certificate.value {
            Ok(_) => return Vec::new(),
            Err(problem) => INTERNAL_TRANSPORT_CERTIFICATE_MISSING.finding_at(
                &certificate,
                format!("the internal transport certificate of server `{name}` cannot be read: {problem}"),
                "not a certificate",
            ),
        },
        None => {
            let message = format!("server `{name}` has no internal transport certificate (`msExchServerInternalTLSCert`)");
            match INTERNAL_TRANSPORT_CERTIFICATE_MISSING.finding_on(&server.node, message, "no internal transport certificate") {
                Some(finding) => finding,
                None => return Vec::new(),
            }
        }
    };
    vec![finding.server(name).help("create a new internal transport certificate on the server with New-ExchangeCertificate -Services SMTP")]
}
