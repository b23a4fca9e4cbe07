use crate::exchange::{DEFAULT_INBOUND_COMMANDS, Server, missing_default_verbs};
use crate::finding::{Finding, Severity};

use super::setting::{Verdict, virtual_server_setting};
use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An Exchange 2000/2003 SMTP virtual server whose `msExchSmtpInboundCommandSupportOptions`
    /// lacks a bit of the default, 7697601: it no longer advertises an ESMTP verb that Exchange
    /// offers by default. The value is a bit mask; the bits whose verb is documented are DSN
    /// (64), ETRN (128), TURN/ATRN (1024), CHUNKING/BDAT (1048576), BINARYMIME (2097152) and
    /// 8BITMIME (4194304). The default has six more bits (1, 4096, 8192, 16384, 65536, 262144)
    /// whose verbs no source of exlint names (KB257569 lists ENHANCEDSTATUSCODES among the
    /// verbs the value controls, without its bit): a missing one is reported by its value.
    /// Bits beyond the default are not reported. Absent means the default. The placeholder
    /// virtual servers of Exchange 2007 and later are not judged.
    ///
    /// ## Why it matters
    /// Exchange servers use these verbs to talk to each other efficiently: CHUNKING and
    /// BINARYMIME carry messages without re-encoding them, 8BITMIME keeps 8-bit content
    /// intact, DSN and ETRN serve delivery reports and dequeuing. Turning verbs off is a
    /// workaround for firewalls that filter them (KB257569), which is easily left in place
    /// when it is no longer needed and slows or breaks transfers between servers.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=1,CN=SMTP,CN=Protocols,CN=EXBH01,CN=Servers,CN=First Administrative Group,...
    /// objectClass: protocolCfgSMTPServer
    /// msExchSmtpInboundCommandSupportOptions: 3503297
    /// ```
    /// 3503297 is 7697601 without 8BITMIME.
    ///
    /// ## How to fix
    /// With ADSI Edit, set the attribute back to 7697601 on the virtual server's object
    /// (Configuration, Services, Microsoft Exchange, the organization, Administrative Groups,
    /// the group, Servers, the server, Protocols, SMTP, the virtual server); the System
    /// Attendant copies it to the IIS metabase. Fix the firewall that required the change
    /// first.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: [Default ESMTP verbs not advertised],
    /// <https://unifiedpeople.ru/exbpa.en/html/dee368b2-dd81-42cb-8757-b44ebfaffc9f.htm>; the
    /// default from KB321757 and the IIS 6.0 metabase reference, the bits from KB257569.
    pub static ESMTP_VERBS_NOT_ADVERTISED = Rule {
        code: "SMTP012",
        name: "esmtp-verbs-not-advertised",
        title: "Default ESMTP verbs not advertised",
        severity: Severity::Warning,
        origin: Origin::ExBpa,
        precondition: needs::legacy_virtual_servers,
        check: Check::Server(check),
    };
}

fn check(server: &Server<'_>, context: &Context<'_>) -> Vec<Finding> {
    virtual_server_setting(
        &ESMTP_VERBS_NOT_ADVERTISED,
        server,
        context,
        |vs| vs.inbound_commands(),
        |&value, _| {
            let missing = missing_default_verbs(value);
            if missing.is_empty() {
                return None;
            }
            let names: Vec<String> = missing.iter().map(ToString::to_string).collect();
            Some(Verdict {
                problem: format!("does not advertise {} (value {value})", names.join(", ")),
                expected: format!("the default is {DEFAULT_INBOUND_COMMANDS}, with every default verb"),
            })
        },
    )
}
