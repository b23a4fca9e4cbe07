use crate::exchange::RecipientPolicy;
use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An organization where an Exchange 2000/2003 SMTP virtual server forwards mail for
    /// unresolved recipients to another host (`msExchAlternateServer` is set) while a recipient
    /// policy lists non-authoritative domains (`msExchNonAuthoritativeDomains` is set: SMTP
    /// domains the organization shares with another mail system). One finding is reported per
    /// virtual server that forwards, naming the policies. An export may hold several
    /// organizations (the configuration partitions of two forests, one after the other): a
    /// virtual server is judged with the recipient policies of its own organization only.
    ///
    /// Recipient policies live in `CN=Recipient Policies,CN=<organization>,...`, which an
    /// export of the servers and connectors alone does not hold: without any recipient policy
    /// (class `msExchRecipientPolicy`) in the export, the rule is not evaluated. The
    /// placeholder virtual servers of Exchange 2007 and later are not judged.
    ///
    /// ## Why it matters
    /// For a non-authoritative domain, Exchange sends mail for recipients it does not know to
    /// the other mail system, usually through a connector for that domain. If the virtual
    /// server also forwards unresolved recipients to a host, and that host (or the other
    /// system) sends the message back, the message circles between the systems until its hop
    /// count runs out, loading both and returning a late non-delivery report.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Default Policy,CN=Recipient Policies,CN=Contoso,CN=Microsoft Exchange,...
    /// objectClass: msExchRecipientPolicy
    /// msExchNonAuthoritativeDomains: smtp:@fabrikam.com
    ///
    /// dn: CN=1,CN=SMTP,CN=Protocols,CN=EXBH01,CN=Servers,CN=First Administrative Group,...
    /// objectClass: protocolCfgSMTPServer
    /// msExchAlternateServer: mail.fabrikam.com
    /// ```
    ///
    /// ## How to fix
    /// Use one mechanism for shared domains: clear "Forward all mail with unresolved recipients
    /// to host" (the virtual server's properties, Messages) and route the shared domain with an
    /// SMTP connector, or make sure the host that receives the forwarded mail never sends it
    /// back to Exchange.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: "Message routing loop may exist",
    /// <https://technet.microsoft.com/en-us/library/aa998268(v=exchg.80).aspx>.
    pub static ROUTING_LOOP_RISK = Rule {
        code: "ROUTE001",
        name: "routing-loop-risk",
        title: "Message routing loop may exist",
        severity: Severity::Warning,
        origin: Origin::ExBpa,
        precondition: recipient_policies,
        check: Check::Organization(check),
    };
}

fn recipient_policies(context: &Context<'_>) -> Result<(), String> {
    needs::legacy_virtual_servers(context)?;
    if context.topology.recipient_policies.is_empty() {
        Err("the export holds no recipient policy (class `msExchRecipientPolicy`, under `CN=Recipient Policies`), where Exchange keeps the non-authoritative domains; export the organization's whole subtree".to_owned())
    } else {
        Ok(())
    }
}

fn check(context: &Context<'_>) -> Vec<Finding> {
    let topology = context.topology;
    // The policies with non-authoritative domains.
    let policies: Vec<&RecipientPolicy<'_>> =
        topology.recipient_policies.iter().filter(|policy| !policy.non_authoritative_domains.is_empty()).collect();
    if policies.is_empty() {
        return Vec::new();
    }
    // An export may hold several organizations (one forest's configuration after another's);
    // a virtual server is judged with the policies of its own. Either organization unknown (a
    // filtered export) counts as the same.
    let same_organization = |a: &Option<String>, b: &Option<String>| match (a, b) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        _ => true,
    };
    let organizations: Vec<Option<String>> =
        policies.iter().map(|policy| topology.organization_of(&policy.node.dn)).collect();
    topology
        .legacy_virtual_servers()
        .filter_map(|virtual_server| {
            let host = virtual_server.alternate_server()?;
            let server = &topology.servers[virtual_server.server];
            let organization = topology.organization_of(&virtual_server.node.dn);
            let policies: Vec<_> = policies
                .iter()
                .zip(&organizations)
                .filter(|(_, other)| same_organization(&organization, other))
                .map(|(policy, _)| policy)
                .collect();
            if policies.is_empty() {
                return None;
            }
            let names: Vec<String> = policies.iter().map(|policy| format!("`{}`", policy.node.name)).collect();
            let (noun, verb) =
                if names.len() == 1 { ("recipient policy", "lists") } else { ("recipient policies", "list") };
            let message = format!(
                "virtual server `{}` on `{}` forwards mail for unresolved recipients to `{}`, and {noun} {} {verb} non-authoritative domains: such mail may loop",
                virtual_server.label(),
                server.name(),
                host.value,
                names.join(", ")
            );
            let finding = ROUTING_LOOP_RISK
                .finding_at(&host, message, "unresolved recipients are forwarded to this host")
                .server(server.name())
                .help("route shared domains with an SMTP connector and stop forwarding unresolved recipients, or make sure the host never sends them back");
            Some(policies.iter().fold(finding, |finding, policy| {
                policy.non_authoritative_domains.iter().fold(finding, |finding, domain| {
                    finding.evidence(
                        domain.evidence(format!("a domain recipient policy `{}` shares with another mail system", policy.node.name)),
                    )
                })
            }))
        })
        .collect()
}
