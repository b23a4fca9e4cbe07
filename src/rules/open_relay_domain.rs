use crate::exchange::AcceptedDomainType;
use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An accepted domain `*` (`msExchAcceptedDomainName: *`) of a relay type: `InternalRelay`
    /// or `ExternalRelay` (`msExchAcceptedDomainFlags & 3` is 2 or 1).
    ///
    /// ## Why it matters
    /// A relay domain is one the organization accepts mail for and passes on. A relay domain
    /// `*` accepts mail for every domain of the Internet from anyone who reaches a receive
    /// connector: an open relay, without any permission on a connector. HealthChecker reports
    /// it as an error, and since the September 2021 cumulative updates an `InternalRelay`
    /// domain `*` also makes the transport services crash (`AcceptedDomainTable` throws a
    /// `FormatException`).
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=All,CN=Accepted Domains,CN=Transport Settings,CN=Contoso,...
    /// objectClass: msExchAcceptedDomain
    /// msExchAcceptedDomainName: *
    /// msExchAcceptedDomainFlags: 2
    /// ```
    ///
    /// ## How to fix
    /// Remove the accepted domain (`Remove-AcceptedDomain All`). Devices that must relay get a
    /// receive connector of their own, limited to their addresses, with the relay permission
    /// ("Allow anonymous relay on Exchange servers").
    ///
    /// ## Origin
    /// HealthChecker's "Open Relay Domain" check
    /// (<https://microsoft.github.io/CSS-Exchange/Diagnostics/HealthChecker/OpenRelayDomain/>).
    /// The type is `msExchAcceptedDomainFlags & 3` (0 Authoritative, 1 ExternalRelay, 2
    /// InternalRelay), as Exchange's `AcceptedDomain.InitializeDomainType` reads it (decompiled
    /// Exchange 2013 code, PiratesRE/exchange_diff).
    pub static OPEN_RELAY_DOMAIN = Rule {
        code: "DOM001",
        name: "open-relay-domain",
        title: "The accepted domain `*` relays mail for every domain",
        severity: Severity::Error,
        origin: Origin::Native,
        precondition: needs::accepted_domains,
        check: Check::Organization(check),
    };
}

fn check(context: &Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for domain in context.topology.accepted_domains.iter().filter(|domain| domain.is_every_domain()) {
        let Some(flags) = &domain.flags else { continue };
        let relay = flags.domain_type();
        if !matches!(relay, AcceptedDomainType::InternalRelay | AcceptedDomainType::ExternalRelay) {
            continue;
        }
        let message = format!(
            "accepted domain `{}` is `*` of type {relay}: the organization relays mail for every domain, an open relay",
            domain.node.name
        );
        findings.push(
            OPEN_RELAY_DOMAIN
                .finding_at(flags, message, format!("type {relay}"))
                .help("remove the accepted domain `*`; give devices that must relay a receive connector of their own"),
        );
    }
    findings
}
