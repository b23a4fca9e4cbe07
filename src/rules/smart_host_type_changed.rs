use crate::exchange::Server;
use crate::finding::{Finding, Severity};

use super::setting::{Verdict, virtual_server_setting};
use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An Exchange 2000/2003 SMTP virtual server whose `msExchSmtpSmartHostType` is not 0:
    /// 1 means "try DNS first, then the smart host" (an Exchange 2000 setting), 2 means
    /// "always send to the smart host". Absent means 0.
    ///
    /// ## Why it matters
    /// With a type other than 0 the virtual server hands outbound mail to a smart host
    /// instead of delivering it by DNS, bypassing the routing that the organization's SMTP
    /// connectors define. The setting is easy to forget once set, and ESM does not show it
    /// next to the connectors that it overrides.
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
    /// Clear the smart host on the virtual server (Delivery, Advanced) and set it on an SMTP
    /// connector instead, whose address space says which mail goes to it.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: "The msExchSmtpSmartHostType value has been altered from its
    /// default of 0",
    /// <https://technet.microsoft.com/en-us/library/aa996573(v=exchg.80).aspx>.
    pub static SMART_HOST_TYPE_CHANGED = Rule {
        code: "SMTP005",
        name: "smart-host-type-changed",
        title: "The msExchSmtpSmartHostType value has been altered from its default of 0",
        severity: Severity::NonDefault,
        origin: Origin::ExBpa,
        precondition: needs::legacy_virtual_servers,
        check: Check::Server(check),
    };
}

fn check(server: &Server<'_>, context: &Context<'_>) -> Vec<Finding> {
    virtual_server_setting(
        &SMART_HOST_TYPE_CHANGED,
        server,
        context,
        |vs| vs.smart_host_type(),
        |&kind, _| {
            let meaning = match kind {
                0 => return None,
                1 => "tries DNS, then the smart host",
                2 => "always sends to the smart host",
                _ => "has a smart host type Exchange does not define",
            };
            Some(Verdict {
                problem: format!("smart host type {kind}: {meaning}"),
                expected: "the default is 0: DNS only".to_owned(),
            })
        },
    )
}
