use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// A hybrid configuration object (`msExchCoexistenceRelationship`) without the name of the
    /// certificate that hybrid mail flow uses: `msExchCoexistenceSecureMailCertificateThumbprint`
    /// (the `TlsCertificateName` of `Get-HybridConfiguration`, `<I>issuer<S>subject`) is absent
    /// or empty.
    ///
    /// ## Why it matters
    /// The Hybrid Configuration Wizard writes this certificate's name on the Send connector to
    /// Exchange Online and on the receive connectors that accept mail from it, and Exchange
    /// Online's inbound connector identifies the organization by it. Without it, running the
    /// wizard again (after a certificate renewal, say) leaves the connectors without a
    /// certificate and mail between the organization and the tenant is treated as anonymous
    /// Internet mail, or refused.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Hybrid Configuration,CN=Hybrid Configuration,CN=Contoso,CN=Microsoft Exchange,...
    /// objectClass: msExchCoexistenceRelationship
    /// msExchCoexistenceDomains: contoso.com
    /// msExchCoexistenceTransportServers: CN=EX01,CN=Servers,...
    /// ```
    ///
    /// ## How to fix
    /// Run the Hybrid Configuration Wizard again and choose the certificate, or
    /// `Set-HybridConfiguration -TlsCertificateName "<I>issuer<S>subject"` with the certificate
    /// that `Get-ExchangeCertificate` shows on the hybrid transport servers.
    ///
    /// ## Origin
    /// HealthChecker's hybrid information (`Invoke-AnalyzerHybridInformation.ps1`, which shows a
    /// missing `TlsCertificateName` in red; microsoft/CSS-Exchange). The attribute is
    /// `HybridConfigurationSchema.TlsCertificateName` (decompiled Exchange 2013 code,
    /// PiratesRE/exchange_diff).
    pub static HYBRID_WITHOUT_CERTIFICATE = Rule {
        code: "HYB003",
        name: "hybrid-without-certificate",
        title: "The hybrid configuration names no certificate for mail flow",
        severity: Severity::Error,
        origin: Origin::Native,
        precondition: needs::hybrid_configuration,
        check: Check::Organization(check),
    };
}

fn check(context: &Context<'_>) -> Vec<Finding> {
    let hybrids = context.topology.hybrid_configurations.iter();
    hybrids
        .filter(|hybrid| hybrid.certificate_name.is_none())
        .filter_map(|hybrid| {
            let message = format!(
                "the hybrid configuration `{}` names no certificate for mail flow with Exchange Online (`TlsCertificateName`)",
                hybrid.node.name
            );
            HYBRID_WITHOUT_CERTIFICATE.finding_on(&hybrid.node, message, "no `msExchCoexistenceSecureMailCertificateThumbprint`")
        })
        .map(|finding| finding.help("run the Hybrid Configuration Wizard again and choose the certificate"))
        .collect()
}
