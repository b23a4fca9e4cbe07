use crate::exchange::Server;
use crate::finding::{Finding, Severity};

use super::setting::{Verdict, virtual_server_setting};
use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An Exchange 2000/2003 SMTP virtual server whose `msExchSmtpOutgoingPort`, the TCP port
    /// it connects to on remote servers, is not 25. Absent means 25. The placeholder virtual
    /// servers of Exchange 2007 and later are not judged.
    ///
    /// ## Why it matters
    /// Mail servers on the Internet, and the other Exchange servers of the organization, accept
    /// SMTP on port 25. A virtual server that connects to another port can only deliver to
    /// hosts listening there, typically one smart host: everything else it sends stays in its
    /// queues until it expires.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=1,CN=SMTP,CN=Protocols,CN=EXBH01,CN=Servers,CN=First Administrative Group,...
    /// objectClass: protocolCfgSMTPServer
    /// msExchSmtpOutgoingPort: 2525
    /// ```
    ///
    /// ## How to fix
    /// In Exchange System Manager, open the virtual server's properties, Delivery, Outbound
    /// connections, and set "TCP port" back to 25. If a smart host needs another port, send to
    /// it through an SMTP connector from a virtual server dedicated to that purpose.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: [Outbound SMTP port not 25],
    /// <http://unifiedpeople.ru/extra.en/html/6dbd672c-b718-4a6d-91db-ad3f4cccad12.htm>.
    pub static OUTBOUND_PORT_CHANGED = Rule {
        code: "SMTP006",
        name: "outbound-port-changed",
        title: "Outbound SMTP port not 25",
        severity: Severity::Warning,
        origin: Origin::ExBpa,
        precondition: needs::legacy_virtual_servers,
        check: Check::Server(check),
    };
}

fn check(server: &Server<'_>, context: &Context<'_>) -> Vec<Finding> {
    virtual_server_setting(
        &OUTBOUND_PORT_CHANGED,
        server,
        context,
        |vs| vs.outgoing_port(),
        |&port, _| {
            (port != 25).then(|| Verdict {
                problem: format!("outbound SMTP goes to remote port {port}, not 25"),
                expected: "the default is 25".to_owned(),
            })
        },
    )
}
