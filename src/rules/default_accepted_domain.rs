use std::collections::BTreeMap;

use crate::exchange::AcceptedDomain;
use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An organization whose accepted domains (`msExchAcceptedDomain`) have no default domain,
    /// or more than one: the default is the domain whose `msExchAcceptedDomainFlags` has bit 4
    /// set. Organizations are told apart by the DNs of their accepted domains.
    ///
    /// ## Why it matters
    /// Exchange uses the default accepted domain for the addresses it makes up itself: the
    /// postmaster and Microsoft Exchange recipient, non-delivery reports, and recipients
    /// without an SMTP address. Exchange's own lookup (`GetDefaultAcceptedDomain`) expects
    /// exactly one and logs an error when it finds several; with none, system messages carry
    /// an address no one can reply to. Both states arise only from edits outside Exchange's
    /// tools, or an import that went wrong.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=contoso.com,CN=Accepted Domains,CN=Transport Settings,CN=Contoso,...
    /// msExchAcceptedDomainFlags: 4
    ///
    /// dn: CN=fabrikam.com,CN=Accepted Domains,CN=Transport Settings,CN=Contoso,...
    /// msExchAcceptedDomainFlags: 4
    /// ```
    ///
    /// ## How to fix
    /// `Set-AcceptedDomain contoso.com -MakeDefault $true`, which also clears the flag on the
    /// others.
    ///
    /// ## Origin
    /// exlint's own check. Bit 4 of `msExchAcceptedDomainFlags` is the default, as Exchange's
    /// `GetDefaultAcceptedDomain` queries it (a `BitMaskAndFilter` on the flags with 4, and an
    /// error logged when more than one matches; decompiled Exchange 2013 code,
    /// PiratesRE/exchange_diff); "Set-AcceptedDomain", `-MakeDefault`
    /// (<https://learn.microsoft.com/powershell/module/exchangepowershell/set-accepteddomain>).
    pub static DEFAULT_ACCEPTED_DOMAIN = Rule {
        code: "DOM002",
        name: "default-accepted-domain",
        title: "No default accepted domain, or several",
        severity: Severity::Warning,
        origin: Origin::Native,
        precondition: needs::accepted_domains,
        check: Check::Organization(check),
    };
}

fn check(context: &Context<'_>) -> Vec<Finding> {
    let topology = context.topology;
    let mut organizations: BTreeMap<String, Vec<&AcceptedDomain<'_>>> = BTreeMap::new();
    for domain in &topology.accepted_domains {
        let organization = topology.organization_of(&domain.node.dn).unwrap_or_default();
        organizations.entry(organization).or_default().push(domain);
    }
    let mut findings = Vec::new();
    for (organization, domains) in organizations {
        let defaults: Vec<&AcceptedDomain<'_>> =
            domains.iter().copied().filter(|domain| domain.flag_value().is_default()).collect();
        let names = |domains: &[&AcceptedDomain<'_>]| {
            domains.iter().map(|domain| format!("`{}`", domain.name())).collect::<Vec<_>>().join(", ")
        };
        let of = if organization.is_empty() { String::new() } else { format!(" of organization `{organization}`") };
        match defaults.as_slice() {
            [] => {
                let message =
                    format!("none of the {} accepted domains{of} is the default ({})", domains.len(), names(&domains));
                let finding = DEFAULT_ACCEPTED_DOMAIN.finding_on(&domains[0].node, message, "not the default");
                findings.extend(finding.map(|finding| finding.help("make one accepted domain the default")));
            }
            [_] => {}
            [_, second, ..] => {
                let Some(flags) = &second.flags else { continue };
                let message =
                    format!("{} accepted domains{of} are the default: {}", defaults.len(), names(&defaults));
                let finding = defaults.iter().filter_map(|domain| domain.flags.as_ref()).fold(
                    DEFAULT_ACCEPTED_DOMAIN.finding(flags.location(), message).dn(second.node.dn.text()),
                    |finding, flags| finding.evidence(flags.evidence("bit 4: the default domain")),
                );
                findings.push(finding.help("make one accepted domain the default, which clears the others"));
            }
        }
    }
    findings
}
