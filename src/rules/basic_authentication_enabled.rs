use crate::exchange::Server;
use crate::finding::{Finding, Severity};

use super::setting::{Verdict, virtual_server_setting};
use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An Exchange 2000/2003 SMTP virtual server that accepts basic authentication: bit 2 of
    /// `msExchAuthenticationFlags` (1 anonymous, 2 basic, 4 integrated Windows, the bits of IIS
    /// `AuthFlags`; that the attribute uses them is inferred, not documented). Exchange writes
    /// 7, all three, for a new virtual server, so a default virtual server is reported. A
    /// virtual server without the attribute is not: its setting is then in the IIS metabase,
    /// which an export does not hold.
    ///
    /// Small Business Server is exempt, as in ExBPA. An export does not say whether the
    /// organization is one: Small Business Server is excluded only with `--sbs` (or
    /// `small-business-server = true` in `exlint.toml`), and then the rule is not evaluated.
    /// The placeholder virtual servers of Exchange 2007 and later are not judged.
    ///
    /// ## Why it matters
    /// Basic authentication sends the user name and password in clear text, readable by anyone
    /// on the network path, unless the virtual server requires TLS. Exchange servers and
    /// domain-joined clients authenticate with integrated Windows authentication and do not
    /// need it.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=1,CN=SMTP,CN=Protocols,CN=EXBH01,CN=Servers,CN=First Administrative Group,...
    /// objectClass: protocolCfgSMTPServer
    /// msExchAuthenticationFlags: 6
    /// ```
    ///
    /// ## How to fix
    /// In Exchange System Manager, open the virtual server's properties, Access,
    /// Authentication: clear "Basic authentication", or keep it and select "Requires TLS
    /// encryption" (with a certificate installed) when POP3 and IMAP4 clients must use it.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: [Basic authentication enabled on SMTP virtual server],
    /// <https://unifiedpeople.ru/extra.en/html/616ab191-c5c1-49ab-9262-6e850e14e678.htm>. ExBPA
    /// detects Small Business Server itself; exlint takes `--sbs`.
    pub static BASIC_AUTHENTICATION_ENABLED = Rule {
        code: "SMTP014",
        name: "basic-authentication-enabled",
        title: "Basic authentication enabled on SMTP virtual server",
        severity: Severity::Warning,
        origin: Origin::ExBpa,
        precondition: needs::legacy_virtual_servers_outside_sbs,
        check: Check::Server(check),
    };
}

fn check(server: &Server<'_>, context: &Context<'_>) -> Vec<Finding> {
    let rule = &BASIC_AUTHENTICATION_ENABLED;
    virtual_server_setting(
        rule,
        server,
        context,
        |vs| vs.authentication(),
        |methods, _| {
            methods.allows_basic().then(|| Verdict {
                problem: format!("basic authentication is allowed (methods: {})", methods.names()),
                expected: "bit 2 allows basic authentication".to_owned(),
            })
        },
    )
}
