use crate::exchange::{Server, SmtpVirtualServer};
use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An Exchange 2000/2003 server whose default SMTP virtual server (`CN=1`) announces itself
    /// with a name, `msExchSmtpFullyQualifiedDomainName`, other than the server's DNS name. The
    /// names are compared ignoring case and a trailing dot. Absent means the server's name,
    /// the default.
    ///
    /// This is approximate. ExBPA looks the server up in DNS; offline, exlint takes the
    /// server's DNS name from its `networkAddress` value `ncacn_ip_tcp:<name>`, which Exchange
    /// keeps in the directory. A server whose entry or `networkAddress` is not in the export
    /// gives no finding; when no server can be compared at all, the rule is not evaluated.
    /// Only Exchange 2000/2003 servers are judged: ExBPA's check is an Exchange 2003 one, and
    /// the placeholder virtual server that Exchange 2007 and later keep carries a name of its
    /// own that does not route mail.
    ///
    /// ## Why it matters
    /// The name must resolve in DNS to this server. Other Exchange servers look it up to
    /// connect when the virtual server is a bridgehead (routing group connectors name virtual
    /// servers, and Exchange reads their FQDN), and the virtual server gives it in HELO/EHLO. A
    /// name that resolves elsewhere, or not at all, sends mail to the wrong host or leaves it
    /// queued. ExBPA notes that a mismatch usually means the value was changed by hand.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=EXBH01,CN=Servers,CN=First Administrative Group,...
    /// objectClass: msExchExchangeServer
    /// networkAddress: ncacn_ip_tcp:exbh01.contoso.com
    ///
    /// dn: CN=1,CN=SMTP,CN=Protocols,CN=EXBH01,CN=Servers,CN=First Administrative Group,...
    /// objectClass: protocolCfgSMTPServer
    /// msExchSmtpFullyQualifiedDomainName: mail.contoso.com
    /// ```
    ///
    /// ## How to fix
    /// If the name was not changed on purpose, open the default virtual server's properties in
    /// Exchange System Manager, Delivery, Advanced, and set "Fully-qualified domain name" to the
    /// server's DNS name. If it was, make sure DNS resolves it to this server. The server's own
    /// `networkAddress` can be out of date too (after a rename); ExBPA checks that separately
    /// against DNS, which an export cannot do.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: [SMTP virtual server FQDN does not match the server's DNS
    /// name], <http://unifiedpeople.ru/extra.en/html/ecf8effc-c1fb-4d5f-ac9c-c91a46468107.htm>.
    pub static FQDN_MISMATCH = Rule {
        code: "SMTP017",
        name: "fqdn-mismatch",
        title: "SMTP virtual server FQDN does not match the server's DNS name",
        severity: Severity::Warning,
        origin: Origin::ExBpa,
        precondition: comparable_servers,
        check: Check::Server(check),
    };
}

/// The default virtual server of `server`, when the server's virtual servers route mail.
fn default_virtual_server<'t>(server: &'t Server<'t>, context: &Context<'t>) -> Option<&'t SmtpVirtualServer<'t>> {
    context.topology.legacy_virtual_servers_of(server).find(|virtual_server| virtual_server.node.name.trim() == "1")
}

fn comparable_servers(context: &Context<'_>) -> Result<(), String> {
    needs::legacy_virtual_servers(context)?;
    let comparable = context
        .topology
        .servers
        .iter()
        .any(|server| server.dns_name().is_some() && default_virtual_server(server, context).is_some());
    if comparable {
        Ok(())
    } else {
        Err(format!(
            "no Exchange 2000/2003 server in the export has both a default SMTP virtual server (`CN=1`) and an `ncacn_ip_tcp:` value in `networkAddress`, the DNS name exlint compares with (servers found: {})",
            context.topology.server_names()
        ))
    }
}

fn check(server: &Server<'_>, context: &Context<'_>) -> Vec<Finding> {
    let Some(dns_name) = server.dns_name() else { return Vec::new() };
    let Some(virtual_server) = default_virtual_server(server, context) else { return Vec::new() };
    let Some(fqdn) = virtual_server.fully_qualified_domain_name() else { return Vec::new() };
    if same_name(&fqdn, &dns_name) {
        return Vec::new();
    }
    let message = format!(
        "default virtual server `{}` on `{}` announces itself as `{}`, but the server's DNS name is `{}`",
        virtual_server.label(),
        server.name(),
        fqdn.value,
        dns_name.value
    );
    let finding = FQDN_MISMATCH
        .finding_at(&fqdn, message, "the name given in HELO/EHLO")
        .server(server.name())
        .help(format!("set the virtual server's fully-qualified domain name to `{}`", dns_name.value))
        .evidence(dns_name.evidence("the server's DNS name"));
    vec![finding]
}

/// Whether two DNS names are the same name: case and a trailing dot do not count.
fn same_name(a: &str, b: &str) -> bool {
    a.trim().trim_end_matches('.').eq_ignore_ascii_case(b.trim().trim_end_matches('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_names_ignore_case_and_the_root_dot() {
        assert!(same_name("EXBH01.contoso.com", "exbh01.contoso.com."));
        assert!(!same_name("mail.contoso.com", "exbh01.contoso.com"));
        assert!(!same_name("exbh01", "exbh01.contoso.com"));
    }
}
