use crate::exchange::Server;
use crate::finding::{Finding, Severity};

use super::setting::{Verdict, virtual_server_setting};
use super::{Check, Context, Origin, RuleOption, needs};

declare_rule! {
    /// ## What it finds
    /// An Exchange 2000/2003 SMTP virtual server whose `msExchSmtpMaxRecipients`, the most
    /// recipients it accepts in one message, is below 250. The default is 64000; absent means
    /// the default. The limit of 250 is the option `min-recipients`. The placeholder virtual
    /// servers of Exchange 2007 and later are not judged.
    ///
    /// ## Why it matters
    /// The limit applies to every message the virtual server receives, also from the other
    /// Exchange servers of the organization and from the Internet: a message to a large
    /// distribution list, expanded on another server, arrives with many recipients in one
    /// transfer. Over the limit, the sending server retries the rest in further transfers or
    /// fails, which delays or loses mail.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=2,CN=SMTP,CN=Protocols,CN=EXBH01,CN=Servers,CN=First Administrative Group,...
    /// objectClass: protocolCfgSMTPServer
    /// msExchSmtpMaxRecipients: 200
    /// ```
    ///
    /// ## How to fix
    /// In Exchange System Manager, open the virtual server's properties, Messages, and raise
    /// "Limit number of recipients per message to" (or clear it). Limit what users may send
    /// with the recipient limits in Global Settings, Message Delivery, not on the virtual
    /// server that other servers deliver to.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: [Per-message recipient limit below 250],
    /// <http://unifiedpeople.ru/extra.en/html/a205abf3-5931-4709-9397-7015f61c8195.htm>.
    pub static LOW_RECIPIENT_LIMIT = Rule {
        code: "SMTP008",
        name: "low-recipient-limit",
        title: "Per-message recipient limit below 250",
        severity: Severity::Warning,
        origin: Origin::ExBpa,
        options: &[RuleOption {
            name: "min-recipients",
            default: 250,
            help: "virtual servers that accept fewer recipients per message are reported",
        }],
        precondition: needs::legacy_virtual_servers,
        check: Check::Server(check),
    };
}

fn check(server: &Server<'_>, context: &Context<'_>) -> Vec<Finding> {
    virtual_server_setting(
        &LOW_RECIPIENT_LIMIT,
        server,
        context,
        |vs| vs.max_recipients(),
        |&limit, context| {
            let minimum = context.option(&LOW_RECIPIENT_LIMIT, "min-recipients");
            (limit < minimum).then(|| Verdict {
                problem: format!("at most {limit} recipients per message, fewer than {minimum}"),
                expected: format!("at least {minimum}; the default is 64000"),
            })
        },
    )
}
