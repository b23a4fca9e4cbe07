use crate::exchange::Server;
use crate::finding::{Finding, Severity};

use super::setting::{Verdict, virtual_server_setting};
use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An Exchange 2000/2003 SMTP virtual server whose `msExchSmtpMaxOutgoingConnections`, the
    /// most outbound SMTP connections it opens at once, is not the default of 1000. Absent
    /// means the default. The placeholder virtual servers of Exchange 2007 and later are not
    /// judged.
    ///
    /// ## Why it matters
    /// Fewer connections make outbound queues grow when much mail leaves at once; more
    /// connections load the server and the network. Neither is wrong in itself, so ExBPA
    /// reports the value as a non-default setting, to be known and intended.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=1,CN=SMTP,CN=Protocols,CN=EXBH01,CN=Servers,CN=First Administrative Group,...
    /// objectClass: protocolCfgSMTPServer
    /// msExchSmtpMaxOutgoingConnections: 200
    /// ```
    ///
    /// ## How to fix
    /// In Exchange System Manager, open the virtual server's properties, Delivery, Outbound
    /// connections: set "Limit number of connections to" back to 1000 unless the lower or
    /// higher value is deliberate.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: [Max outbound connections changed from 1000],
    /// <http://unifiedpeople.ru/extra.en/html/71ef13ad-7ada-47d8-86b5-4fbc2bb1df1f.htm>.
    pub static OUTBOUND_CONNECTIONS_CHANGED = Rule {
        code: "SMTP009",
        name: "outbound-connections-changed",
        title: "Max outbound connections changed from 1000",
        severity: Severity::NonDefault,
        origin: Origin::ExBpa,
        precondition: needs::legacy_virtual_servers,
        check: Check::Server(check),
    };
}

fn check(server: &Server<'_>, context: &Context<'_>) -> Vec<Finding> {
    virtual_server_setting(
        &OUTBOUND_CONNECTIONS_CHANGED,
        server,
        context,
        |vs| vs.max_outgoing_connections(),
        |&connections, _| {
            (connections != 1000).then(|| Verdict {
                problem: format!("at most {connections} outbound connections at once"),
                expected: "the default is 1000".to_owned(),
            })
        },
    )
}
