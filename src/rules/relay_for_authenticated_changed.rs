use crate::exchange::Server;
use crate::finding::{Finding, Severity};

use super::setting::{Verdict, virtual_server_setting};
use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An Exchange 2000/2003 SMTP virtual server whose `msExchSmtpRelayForAuth` is not TRUE:
    /// computers that authenticate may not relay through it. The attribute is a Boolean, which
    /// LDAP writes `TRUE` or `FALSE`; `1` and `0`, as its IIS metabase twin `RelayForAuth` and
    /// some tools write it, are read alike, and any other value is reported as not TRUE.
    /// Absent means the default, TRUE. The placeholder virtual servers of Exchange 2007 and
    /// later are not judged.
    ///
    /// ## Why it matters
    /// With relaying for authenticated computers turned off, POP3 and IMAP4 users who send
    /// through this virtual server can no longer send to outside addresses, unless their
    /// addresses are on the relay list; servers and devices that authenticate to relay fail the
    /// same way. ExBPA reports the value as a non-default setting.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=1,CN=SMTP,CN=Protocols,CN=EXBH01,CN=Servers,CN=First Administrative Group,...
    /// objectClass: protocolCfgSMTPServer
    /// msExchSmtpRelayForAuth: FALSE
    /// ```
    ///
    /// ## How to fix
    /// In Exchange System Manager, open the virtual server's properties, Access, Relay, and
    /// select "Allow all computers which successfully authenticate to relay, regardless of the
    /// list above", unless no one should relay through this virtual server.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: [Relay for authenticated users changed],
    /// <http://unifiedpeople.ru/exbpa.en/html/90819727-0447-42ed-a486-3a8b55c0ad5f.htm>.
    pub static RELAY_FOR_AUTHENTICATED_CHANGED = Rule {
        code: "SMTP011",
        name: "relay-for-authenticated-changed",
        title: "Relay for authenticated users changed",
        severity: Severity::NonDefault,
        origin: Origin::ExBpa,
        precondition: needs::legacy_virtual_servers,
        check: Check::Server(check),
    };
}

fn check(server: &Server<'_>, context: &Context<'_>) -> Vec<Finding> {
    let rule = &RELAY_FOR_AUTHENTICATED_CHANGED;
    virtual_server_setting(rule, server, context, |vs| vs.relay_for_authenticated(), |value: &String, _| judge(value))
}

fn judge(value: &str) -> Option<Verdict> {
    let expected = "the default is TRUE: computers that authenticate may relay".to_owned();
    match value.to_ascii_uppercase().as_str() {
        "TRUE" | "1" => None,
        "FALSE" | "0" => Some(Verdict { problem: "computers that authenticate may not relay".to_owned(), expected }),
        _ => Some(Verdict {
            problem: format!("relaying for computers that authenticate is `{value}`, neither TRUE nor FALSE"),
            expected,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_booleans_as_ldap_and_iis_write_them() {
        assert!(judge("TRUE").is_none());
        assert!(judge("true").is_none());
        assert!(judge("1").is_none());
        assert_eq!(judge("FALSE").unwrap().problem, "computers that authenticate may not relay");
        assert!(judge("0").is_some());
        assert!(judge("yes").unwrap().problem.contains("`yes`, neither TRUE nor FALSE"));
    }
}
