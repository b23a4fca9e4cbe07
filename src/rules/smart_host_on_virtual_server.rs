use crate::exchange::Server;
use crate::finding::{Finding, Severity};

use super::setting::{Verdict, virtual_server_setting};
use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An Exchange 2000/2003 SMTP virtual server with a smart host: `msExchSmtpSmartHost` is set
    /// and not empty. Absent or empty means no smart host, the default. The placeholder virtual
    /// servers of Exchange 2007 and later are not judged.
    ///
    /// ## Why it matters
    /// A smart host on the virtual server takes the outgoing mail for remote domains that the
    /// virtual server sends, one host for every domain, while a connector chooses by address
    /// space; Microsoft recommends setting smart hosts on SMTP connectors. Routing decided on
    /// the virtual server is invisible in the connectors' address spaces and costs, which is
    /// where administrators look when mail goes astray, and ExBPA relates it to mail leaving
    /// through unexpected gateways. SMTP005 reports the smart host type that goes with it.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=1,CN=SMTP,CN=Protocols,CN=EXEU01,CN=Servers,CN=Europe Administrative Group,...
    /// objectClass: protocolCfgSMTPServer
    /// msExchSmtpSmartHost: [192.0.2.50]
    /// msExchSmtpSmartHostType: 2
    /// ```
    ///
    /// ## How to fix
    /// In Exchange System Manager, open the virtual server's properties, Delivery, Advanced,
    /// and clear "Smart host". Create an SMTP connector for the address space that should go to
    /// the smart host (`SMTP:*` for all Internet mail), with this virtual server as its local
    /// bridgehead and the smart host on its General tab.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: "Smart host is set on SMTP virtual server",
    /// <https://technet.microsoft.com/en-us/library/aa997387(v=exchg.80).aspx>.
    pub static SMART_HOST_ON_VIRTUAL_SERVER = Rule {
        code: "SMTP004",
        name: "smart-host-on-virtual-server",
        title: "Smart host is set on SMTP virtual server",
        severity: Severity::Warning,
        origin: Origin::ExBpa,
        precondition: needs::legacy_virtual_servers,
        check: Check::Server(check),
    };
}

fn check(server: &Server<'_>, context: &Context<'_>) -> Vec<Finding> {
    virtual_server_setting(
        &SMART_HOST_ON_VIRTUAL_SERVER,
        server,
        context,
        // Judged as written: an empty value sets no smart host.
        |vs| {
            vs.smart_hosts
                .as_ref()
                .map(|hosts| hosts.with(hosts.text().trim().to_owned()))
                .filter(|text| !text.is_empty())
        },
        |hosts: &String, _| {
            Some(Verdict {
                problem: format!("smart host `{hosts}` is set"),
                expected: "smart hosts belong on SMTP connectors; the default is none".to_owned(),
            })
        },
    )
}
