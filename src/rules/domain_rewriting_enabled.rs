use crate::exchange::Server;
use crate::finding::{Finding, Severity};

use super::setting::{Verdict, virtual_server_setting};
use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An Exchange 2000/2003 SMTP virtual server whose `heuristics` is not 131072, the value
    /// Exchange writes: the Exchange Server Address Rewrite tool (`exarcfg`) has turned on
    /// rewriting of SMTP domains on it. A virtual server without the attribute is not reported:
    /// ExBPA compares a value, and exlint does not guess one. The placeholder virtual servers
    /// of Exchange 2007 and later are not judged.
    ///
    /// ## Why it matters
    /// Address rewriting changes the sender and recipient domains of messages that pass the
    /// virtual server, typically to give a merged company one public domain. It is meant for
    /// gateways; on other virtual servers, or left over after a migration, it rewrites
    /// addresses that should stay as they are, and replies go to the wrong domain.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=1,CN=SMTP,CN=Protocols,CN=EXBH01,CN=Servers,CN=First Administrative Group,...
    /// objectClass: protocolCfgSMTPServer
    /// heuristics: 131073
    /// ```
    ///
    /// ## How to fix
    /// If the rewriting is intended, nothing: ExBPA says the report is for information. If
    /// not, turn it off for the virtual server with the Address Rewrite tool (`exarcfg`), or
    /// set `heuristics` back to 131072 with ADSI Edit; the System Attendant copies the change
    /// to the IIS metabase.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: "SMTP domain re-writing is enabled",
    /// <https://technet.microsoft.com/en-us/library/aa998173(v=exchg.80)>. The topic files it
    /// as an error but says it is for information only; exlint keeps ExBPA's severity.
    pub static DOMAIN_REWRITING_ENABLED = Rule {
        code: "SMTP015",
        name: "domain-rewriting-enabled",
        title: "SMTP domain re-writing is enabled",
        severity: Severity::Error,
        origin: Origin::ExBpa,
        precondition: needs::legacy_virtual_servers,
        check: Check::Server(check),
    };
}

fn check(server: &Server<'_>, context: &Context<'_>) -> Vec<Finding> {
    virtual_server_setting(
        &DOMAIN_REWRITING_ENABLED,
        server,
        context,
        |vs| vs.heuristics(),
        |&heuristics, _| {
            (heuristics != 131_072).then(|| Verdict {
                problem: format!("`heuristics` is {heuristics}: SMTP domains are rewritten (Address Rewrite tool)"),
                expected: "the default is 131072: no rewriting".to_owned(),
            })
        },
    )
}
