use crate::exchange::Server;
use crate::finding::{Finding, Severity};
use crate::source::{Location, Span};

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An Exchange 2000/2003 SMTP virtual server whose `msExchServerBindings` holds more than
    /// one binding. The default is a single binding, `:25:` (all unassigned addresses, port 25).
    /// Each value is one listening socket, written `[ip]:port:[host]`. The placeholder virtual
    /// servers of Exchange 2007 and later do not listen, and are not judged.
    ///
    /// ## Why it matters
    /// Extra bindings are rarely set by accident, but they are easily forgotten: a virtual
    /// server that also listens on another port or address accepts mail there with the same
    /// relay and authentication settings, which firewalls and monitoring may not expect. It is
    /// reported as a non-default setting so that each extra binding is a known one.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=2,CN=SMTP,CN=Protocols,CN=EXBH01,CN=Servers,CN=First Administrative Group,...
    /// objectClass: protocolCfgSMTPServer
    /// msExchServerBindings: 10.0.1.25:25:
    /// msExchServerBindings: 10.0.1.25:2525:
    /// ```
    ///
    /// ## How to fix
    /// In Exchange System Manager, open the virtual server's properties, General tab,
    /// Advanced, and remove the bindings that are not needed. Keep extra bindings that serve a
    /// purpose (a partner on another port) and note why.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: "Multiple SMTP port bindings configured",
    /// <https://learn.microsoft.com/en-us/previous-versions/office/exchange-server-analyzer/aa997328(v=exchg.80)>.
    pub static MULTIPLE_PORT_BINDINGS = Rule {
        code: "SMTP001",
        name: "multiple-port-bindings",
        title: "Multiple SMTP port bindings configured",
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
        .filter(|virtual_server| virtual_server.bindings.len() > 1)
        .filter_map(|virtual_server| {
            let bindings = &virtual_server.bindings;
            let source = bindings.first()?.location().source;
            let span = bindings.iter().map(|binding| binding.location().span).reduce(Span::cover)?;
            let listed: Vec<String> = bindings.iter().map(|binding| format!("`{}`", binding.text.trim())).collect();
            let message = format!(
                "virtual server `{}` on `{}` has {} bindings: {}",
                virtual_server.label(),
                server.name(),
                bindings.len(),
                listed.join(", ")
            );
            let finding = MULTIPLE_PORT_BINDINGS
                .finding(Location { source, span }, message)
                .server(server.name())
                .dn(virtual_server.node.dn.text())
                .help("remove the bindings this virtual server does not need; keep and document the others");
            Some(bindings.iter().enumerate().fold(finding, |finding, (index, binding)| {
                let note = format!("binding {}: `{}` = {}", index + 1, binding.text.trim(), binding.value);
                finding.evidence(binding.evidence(note))
            }))
        })
        .collect()
}
