use std::collections::{BTreeMap, BTreeSet};

use crate::exchange::{Binding, Located, Server, SmtpVirtualServer};
use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// Two SMTP virtual servers of one Exchange 2000/2003 server with the same binding: the
    /// same IP address and port in `msExchServerBindings`, such as `:25:` on both, or
    /// `10.0.1.25:25:` on both. Bindings are compared as sockets: `:25:` and `0.0.0.0:25:` are
    /// the same (all unassigned addresses), IPv6 addresses are compared by value, and the host
    /// name field of a binding plays no part, since SMTP has no host headers.
    ///
    /// A binding to all unassigned addresses next to one to a specific address on the same port
    /// (`:25:` on one virtual server, `10.0.1.25:25:` on another) is not a conflict: the
    /// specific binding takes its address, the other the rest, which is how additional virtual
    /// servers are meant to be set up. A virtual server that repeats a binding of its own is
    /// not reported either. The placeholder virtual servers of Exchange 2007 and later are not
    /// judged.
    ///
    /// ## Why it matters
    /// Each virtual server needs a socket of its own. Of two virtual servers bound to the same
    /// address and port, the one that starts second cannot open its socket and stays stopped,
    /// so whatever it is configured for (relay restrictions, a partner's authentication, a
    /// connector's bridgehead) silently does not happen.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=1,CN=SMTP,CN=Protocols,CN=EXBH01,CN=Servers,CN=First Administrative Group,...
    /// objectClass: protocolCfgSMTPServer
    /// msExchServerBindings: :25:
    ///
    /// dn: CN=2,CN=SMTP,CN=Protocols,CN=EXBH01,CN=Servers,CN=First Administrative Group,...
    /// objectClass: protocolCfgSMTPServer
    /// msExchServerBindings: 0.0.0.0:25:
    /// ```
    ///
    /// ## How to fix
    /// In Exchange System Manager, open the properties of one of the two virtual servers,
    /// General, Advanced, and bind it to an IP address of its own (add the address to the
    /// server's network adapter first) or to another port.
    ///
    /// ## Origin
    /// exlint's own check, from Exchange's constraints: each virtual server needs a unique
    /// combination of IP address and port (DOMAIN.md C.6 X01, from "Lesson 1: SMTP
    /// Configurations and Virtual Servers", <http://flylib.com/books/en/3.393.1.84/1/>); the
    /// all-unassigned semantics are those of IIS `ServerBindings`
    /// (<https://learn.microsoft.com/en-us/previous-versions/windows/it-pro/windows-server-2003/cc737827(v=ws.10)>).
    pub static DUPLICATE_BINDING = Rule {
        code: "SMTP018",
        name: "duplicate-binding",
        title: "Two SMTP virtual servers share an IP address and port",
        severity: Severity::Error,
        origin: Origin::Native,
        precondition: needs::legacy_virtual_servers,
        check: Check::Server(check),
    };
}

/// A virtual server and one of its bindings.
type Bound<'t, 'a> = (&'t SmtpVirtualServer<'a>, &'t Located<'a, Binding>);

fn check(server: &Server<'_>, context: &Context<'_>) -> Vec<Finding> {
    let mut first_owner: BTreeMap<_, Bound<'_, '_>> = BTreeMap::new();
    let mut findings = Vec::new();
    for virtual_server in context.topology.legacy_virtual_servers_of(server) {
        let mut own = BTreeSet::new();
        for binding in &virtual_server.bindings {
            let Some(socket) = binding.socket() else { continue };
            if !own.insert(socket.clone()) {
                continue;
            }
            match first_owner.get(&socket) {
                Some(&first) => findings.push(finding(server, first, (virtual_server, binding))),
                None => {
                    first_owner.insert(socket, (virtual_server, binding));
                }
            }
        }
    }
    findings
}

/// The finding for a binding that an earlier virtual server of the server holds already,
/// located at the later one.
fn finding(
    server: &Server<'_>,
    (first, first_binding): Bound<'_, '_>,
    (second, second_binding): Bound<'_, '_>,
) -> Finding {
    // The socket, without the host name, which plays no part.
    let socket = match (&second_binding.ip, second_binding.port) {
        (Some(ip), Some(port)) => format!("{ip}, port {port}"),
        (None, Some(port)) => format!("all unassigned addresses, port {port}"),
        (_, None) => format!("`{}`", second_binding.text.trim()),
    };
    let note = |other: &SmtpVirtualServer<'_>| format!("{socket}, as on virtual server `{}`", other.label());
    // The values as written, when they differ (`:25:` and `0.0.0.0:25:`).
    let (first_text, second_text) = (first_binding.text.trim(), second_binding.text.trim());
    let written =
        if first_text == second_text { format!("`{first_text}`") } else { format!("`{first_text}`, `{second_text}`") };
    let message = format!(
        "virtual servers `{}` and `{}` on `{}` are both bound to {socket} ({written}): the one that starts second cannot listen",
        first.label(),
        second.label(),
        server.name(),
    );
    // The first binding's line comes first among the evidence, as it comes first in the file.
    let mut finding = DUPLICATE_BINDING.finding(second_binding.location(), message).dn(second.node.dn.text());
    finding = finding.evidence(first_binding.evidence(note(second))).evidence(second_binding.evidence(note(first)));
    finding.server(server.name()).help("bind one of the two virtual servers to an IP address or port of its own")
}
