use crate::exchange::Server;
use crate::finding::{Finding, Severity};

use super::setting::{Verdict, virtual_server_setting};
use super::{Check, Context, Origin, RuleOption, needs};

declare_rule! {
    /// ## What it finds
    /// An SMTP virtual server of an internal Exchange 2000/2003 server that allows anonymous
    /// access: bit 1 of `msExchAuthenticationFlags` (1 anonymous, 2 basic, 4 integrated
    /// Windows, the bits of IIS `AuthFlags`; that the attribute uses them is inferred, not
    /// documented). A virtual server without the attribute is not reported: its setting is then
    /// in the IIS metabase, which an export does not hold.
    ///
    /// ExBPA calls a server internal when it hosts more than 20 mailboxes, which only the
    /// domain partition (the mailboxes themselves) could tell. exlint approximates: a server is
    /// internal when it holds at least `min-mailbox-stores` mailbox stores (`msExchPrivateMDB`
    /// entries below it, default 1) and is not named as a gateway with `--gateway`. With no
    /// mailbox store in the export, the rule is not evaluated, rather than calling every
    /// server internal; `min-mailbox-stores = 0` counts every server that is not a gateway.
    /// Small Business Server is exempt, as in ExBPA: with `--sbs` the rule is not evaluated.
    /// The placeholder virtual servers of Exchange 2007 and later are not judged.
    ///
    /// ## Why it matters
    /// Internet mail arrives anonymously, so gateways must accept it. A virtual server that
    /// serves mailbox users and other Exchange servers does not need anonymous access: Exchange
    /// servers authenticate to each other, and so should POP3 and IMAP4 clients that send
    /// through it. Left open, it accepts mail from anyone who can reach it, with forged
    /// internal senders, and bypasses the filtering done at the gateway.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Mailbox Store (EXMB01),CN=First Storage Group,CN=InformationStore,CN=EXMB01,...
    /// objectClass: msExchPrivateMDB
    ///
    /// dn: CN=1,CN=SMTP,CN=Protocols,CN=EXMB01,CN=Servers,CN=First Administrative Group,...
    /// objectClass: protocolCfgSMTPServer
    /// msExchAuthenticationFlags: 7
    /// ```
    ///
    /// ## How to fix
    /// In Exchange System Manager, open the virtual server's properties, Access,
    /// Authentication, and clear "Anonymous access". Make sure the servers and clients that
    /// send to it authenticate first, and that Internet mail reaches the organization through
    /// a gateway. If the server is a gateway, name it with `--gateway`.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: "Anonymous access is allowed on internal SMTP virtual servers
    /// and dedicated SMTP virtual servers for IMAP and POP clients",
    /// <http://technet.microsoft.com/en-us/library/aa996967(v=exchg.80).aspx>. ExBPA counts
    /// mailboxes and detects Small Business Server itself; exlint counts mailbox stores and
    /// takes `--gateway` and `--sbs`.
    pub static ANONYMOUS_ACCESS_ON_INTERNAL_SERVER = Rule {
        code: "SMTP013",
        name: "anonymous-access-on-internal-server",
        title: "Anonymous access is allowed on internal SMTP virtual servers and dedicated SMTP virtual servers for IMAP and POP clients",
        severity: Severity::Warning,
        origin: Origin::ExBpa,
        options: &[RuleOption {
            name: "min-mailbox-stores",
            default: 1,
            help: "mailbox stores a server must hold to count as internal, exlint's stand-in for ExBPA's \"more than 20 mailboxes\"; 0 counts every server that is not a `--gateway`",
        }],
        precondition: internal_servers_known,
        check: Check::Server(check),
    };
}

fn minimum_stores(context: &Context<'_>) -> i64 {
    context.option(&ANONYMOUS_ACCESS_ON_INTERNAL_SERVER, "min-mailbox-stores")
}

/// Which servers are internal can only be told from mailbox stores, unless the user counts
/// every server that is not a gateway.
fn internal_servers_known(context: &Context<'_>) -> Result<(), String> {
    needs::legacy_virtual_servers_outside_sbs(context)?;
    if minimum_stores(context) > 0 && context.topology.servers.iter().all(|server| server.mailbox_stores == 0) {
        return Err("the export holds no mailbox store (class `msExchPrivateMDB`), by which exlint tells internal servers (ExBPA: servers with more than 20 mailboxes); export the stores, or set `min-mailbox-stores = 0` under `[rules.SMTP013]` to count every server that is not a `--gateway`".to_owned());
    }
    Ok(())
}

fn check(server: &Server<'_>, context: &Context<'_>) -> Vec<Finding> {
    let stores = server.mailbox_stores;
    if context.options.is_gateway(server.name()) || i64::try_from(stores).unwrap_or(i64::MAX) < minimum_stores(context)
    {
        return Vec::new();
    }
    let rule = &ANONYMOUS_ACCESS_ON_INTERNAL_SERVER;
    let findings = virtual_server_setting(
        rule,
        server,
        context,
        |vs| vs.authentication(),
        |methods, _| {
            methods.allows_anonymous().then(|| Verdict {
                problem: format!("anonymous access is allowed on an internal server (methods: {})", methods.names()),
                expected: "bit 1 allows anonymous access".to_owned(),
            })
        },
    );
    // Why the server counts as internal is evidence too.
    let note = match stores {
        0 => "not a `--gateway`: counted as internal (`min-mailbox-stores = 0`)".to_owned(),
        1 => "holds 1 mailbox store and is not a `--gateway`: counted as internal".to_owned(),
        _ => format!("holds {stores} mailbox stores and is not a `--gateway`: counted as internal"),
    };
    findings.into_iter().map(|finding| finding.evidence(server.node.evidence(note.clone()))).collect()
}
