use crate::exchange::Server;
use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An Exchange 2000/2003 SMTP virtual server none of whose `msExchServerBindings` uses
    /// port 25. A virtual server without the attribute has the default binding `:25:` and is
    /// not reported; neither are the placeholder virtual servers of Exchange 2007 and later.
    ///
    /// ## Why it matters
    /// Other mail servers deliver to port 25. A virtual server that does not listen there
    /// receives no Internet mail and no mail from other Exchange servers that route to it; it
    /// only serves clients or partners configured for its port. That may be deliberate (a
    /// submission-only virtual server, a relay for a third-party gateway on another port), so
    /// ExBPA reports it as a non-default setting.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=2,CN=SMTP,CN=Protocols,CN=EXBH01,CN=Servers,CN=First Administrative Group,...
    /// objectClass: protocolCfgSMTPServer
    /// msExchServerBindings: 10.0.1.25:2525:
    /// ```
    ///
    /// ## How to fix
    /// If the virtual server should receive mail from other servers, add a port 25 binding in
    /// Exchange System Manager: the virtual server's properties, General, Advanced. Otherwise
    /// note why it listens elsewhere.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: SMTP virtual server not listening on port 25,
    /// <http://unifiedpeople.ru/exbpa.en/html/4c22d36a-190e-4d09-8b42-5b027e3dcd78.htm>.
    /// ExBPA reports any value but the default; exlint reports the loss of port 25, the
    /// topic's rationale, since an extra binding is SMTP001's business.
    pub static NO_PORT_25_BINDING = Rule {
        code: "SMTP003",
        name: "no-port-25-binding",
        title: "SMTP virtual server not listening on port 25",
        severity: Severity::NonDefault,
        origin: Origin::ExBpa,
        precondition: needs::legacy_virtual_servers,
        check: Check::Server(check),
    };
}

fn check(server: &Server<'_>, context: &Context<'_>) -> Vec<Finding> {
    context
        .topology
        .legacy_virtual_servers_of(server)
        .filter(|virtual_server| {
            !virtual_server.bindings.is_empty()
                && virtual_server.bindings.iter().all(|binding| binding.port != Some(25))
        })
        .map(|virtual_server| {
            let ports: Vec<String> =
                virtual_server.bindings.iter().map(|binding| format!("`{}`", binding.text.trim())).collect();
            let message = format!(
                "virtual server `{}` on `{}` does not listen on port 25 (bindings: {})",
                virtual_server.label(),
                server.name(),
                ports.join(", ")
            );
            let finding = NO_PORT_25_BINDING
                .finding(virtual_server.bindings[0].location(), message)
                .server(server.name())
                .dn(virtual_server.node.dn.text())
                .help("add a port 25 binding if other servers should deliver to this virtual server");
            virtual_server
                .bindings
                .iter()
                .fold(finding, |finding, binding| finding.evidence(binding.evidence("not port 25")))
        })
        .collect()
}
