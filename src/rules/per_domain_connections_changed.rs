use crate::exchange::Server;
use crate::finding::{Finding, Severity};

use super::setting::{Verdict, virtual_server_setting};
use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An Exchange 2000/2003 SMTP virtual server whose `msExchSmtpMaxOutgoingConnectionsPerDomain`,
    /// the most connections it opens at once to one remote domain, is not the default: 100, or
    /// 10 on Small Business Server. An export does not say whether the organization is Small
    /// Business Server: exlint compares with 100 unless `--sbs` (or `small-business-server =
    /// true` in `exlint.toml`) says so. Absent means the default. The placeholder virtual servers
    /// of Exchange 2007 and later are not judged.
    ///
    /// ## Why it matters
    /// A low limit slows delivery to a busy domain, such as the organization's ISP or a large
    /// partner; a high one can trip the remote side's connection limits. ExBPA reports the
    /// value as a non-default setting, to be known and intended.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=1,CN=SMTP,CN=Protocols,CN=EXBH01,CN=Servers,CN=First Administrative Group,...
    /// objectClass: protocolCfgSMTPServer
    /// msExchSmtpMaxOutgoingConnectionsPerDomain: 20
    /// ```
    ///
    /// ## How to fix
    /// In Exchange System Manager, open the virtual server's properties, Delivery, Outbound
    /// connections: set "Limit number of connections per domain to" back to 100 (10 on Small
    /// Business Server) unless the value is deliberate.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: [Per-domain outbound connection limit changed from 100],
    /// <https://unifiedpeople.ru/exbpa.en/html/6c66c741-17c5-4981-b843-68ef762b317c.htm>
    /// (German title: <http://technet.microsoft.com/de-DE/library/aa996893(v=exchg.80).aspx>).
    /// The English topic is inconsistent: it gives 100 as the default but says ExBPA compares
    /// the value with 500. exlint compares with the documented default, 100. ExBPA detects
    /// Small Business Server through WMI; exlint takes `--sbs` instead.
    pub static PER_DOMAIN_CONNECTIONS_CHANGED = Rule {
        code: "SMTP010",
        name: "per-domain-connections-changed",
        title: "Per-domain outbound connection limit changed from 100",
        severity: Severity::NonDefault,
        origin: Origin::ExBpa,
        precondition: needs::legacy_virtual_servers,
        check: Check::Server(check),
    };
}

fn check(server: &Server<'_>, context: &Context<'_>) -> Vec<Finding> {
    virtual_server_setting(
        &PER_DOMAIN_CONNECTIONS_CHANGED,
        server,
        context,
        |vs| vs.max_outgoing_connections_per_domain(),
        |&connections, context| {
            let (default, expected) = if context.options.small_business_server {
                (10, "the default on Small Business Server (`--sbs`) is 10")
            } else {
                (100, "the default is 100 (10 on Small Business Server: `--sbs`)")
            };
            (connections != default).then(|| Verdict {
                problem: format!("at most {connections} outbound connections per remote domain"),
                expected: expected.to_owned(),
            })
        },
    )
}
