use crate::exchange::{Server, ServerVersion};
use crate::finding::{Finding, Severity};

use super::setting::{Verdict, virtual_server_setting};
use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An Exchange 2000/2003 SMTP virtual server whose `msExchSmtpMaxHopCount`, the number of
    /// servers a message may pass before it is returned as looping, differs from the default of
    /// the server's version: 15 on Exchange 2000 (version 6.0), 30 on Exchange 2003 (6.5). The
    /// version is read from the server's `serialNumber`. Absent means the default.
    ///
    /// When the export does not tell the version (a filtered export without the server's
    /// entry, or an entry without `serialNumber`), exlint does not guess: it reports a value
    /// only when it is neither 15 nor 30, and says that the version is unknown. The placeholder
    /// virtual servers of Exchange 2007 and later are not judged.
    ///
    /// ## Why it matters
    /// Too low a hop count returns legitimate mail that crosses many servers (several routing
    /// groups, then a gateway, then the ISP) as a loop; too high a count lets real loops run
    /// longer. Exchange 2003 raised the default to 30 for that reason, and Microsoft recommends
    /// 30 on Exchange 2000 too: an Exchange 2000 server set to 30 is reported as non-default,
    /// but needs no change.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=EXBH01,CN=Servers,CN=First Administrative Group,...
    /// objectClass: msExchExchangeServer
    /// serialNumber: Version 6.5 (Build 7638.2: Service Pack 2)
    ///
    /// dn: CN=1,CN=SMTP,CN=Protocols,CN=EXBH01,CN=Servers,CN=First Administrative Group,...
    /// objectClass: protocolCfgSMTPServer
    /// msExchSmtpMaxHopCount: 10
    /// ```
    ///
    /// ## How to fix
    /// In Exchange System Manager, open the virtual server's properties, Delivery, Advanced,
    /// and set "Maximum hop count" to 30 (the range is 10 to 256).
    ///
    /// ## Origin
    /// Exchange Server Analyzer: "The msExchSmtpMaxHopCount value has been altered from its
    /// default", <https://technet.microsoft.com/en-us/library/aa996739(v=exchg.80).aspx>;
    /// the range from KB313529.
    pub static MAX_HOP_COUNT_CHANGED = Rule {
        code: "SMTP007",
        name: "max-hop-count-changed",
        title: "The msExchSmtpMaxHopCount value has been altered from its default",
        severity: Severity::NonDefault,
        origin: Origin::ExBpa,
        precondition: needs::legacy_virtual_servers,
        check: Check::Server(check),
    };
}

/// The defaults of Exchange 2000 and Exchange 2003, for a server whose version is unknown.
const DEFAULTS: [i64; 2] = [15, 30];

/// The default of `msExchSmtpMaxHopCount` on a version, when exlint knows it.
fn default_hop_count(version: &ServerVersion) -> Option<i64> {
    match (version.major, version.minor) {
        (6, 0) => Some(15),
        (6, 5) => Some(30),
        _ => None,
    }
}

fn check(server: &Server<'_>, context: &Context<'_>) -> Vec<Finding> {
    let version = server.version.as_ref();
    let findings = virtual_server_setting(
        &MAX_HOP_COUNT_CHANGED,
        server,
        context,
        |vs| vs.max_hop_count(),
        |&hops, _| judge(hops, version.map(|version| &version.value)),
    );
    // The version the default was taken from is evidence too.
    let evidence = match (version, server.serial_number()) {
        (Some(version), _) => Some(match default_hop_count(version) {
            Some(default) => {
                version.evidence(format!("the server runs {}, whose default is {default}", version.product()))
            }
            None => version.evidence(format!("exlint knows no default for {}", version.product())),
        }),
        (None, Some(serial)) => Some(serial.evidence("not a version exlint can read")),
        (None, None) => server.node.evidence("no `serialNumber`: the server's version is unknown"),
    };
    findings.into_iter().map(|finding| finding.evidence(evidence.clone())).collect()
}

fn judge(hops: i64, version: Option<&ServerVersion>) -> Option<Verdict> {
    if let Some(version) = version
        && let Some(default) = default_hop_count(version)
    {
        return (hops != default).then(|| Verdict {
            problem: format!("maximum hop count {hops}, not the {} default of {default}", version.product()),
            expected: format!("the default on {} is {default}", version.product()),
        });
    }
    let unknown = match version {
        Some(version) => format!("exlint knows no default for version {}.{}", version.major, version.minor),
        None => "the export does not tell the server's version".to_owned(),
    };
    (!DEFAULTS.contains(&hops)).then(|| Verdict {
        problem: format!(
            "maximum hop count {hops}, neither Exchange 2000's default (15) nor Exchange 2003's (30); {unknown}"
        ),
        expected: "the default is 15 on Exchange 2000, 30 on Exchange 2003".to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(serial: &str) -> ServerVersion {
        ServerVersion::parse(serial).unwrap()
    }

    #[test]
    fn compares_with_the_default_of_the_version() {
        let exchange_2000 = version("Version 6.0 (Build 6249.4: Service Pack 3)");
        let exchange_2003 = version("Version 6.5 (Build 7638.2: Service Pack 2)");
        assert!(judge(15, Some(&exchange_2000)).is_none());
        assert!(judge(30, Some(&exchange_2003)).is_none());
        let raised = judge(30, Some(&exchange_2000)).unwrap();
        assert_eq!(raised.problem, "maximum hop count 30, not the Exchange 2000 default of 15");
        assert!(judge(15, Some(&exchange_2003)).is_some());
    }

    #[test]
    fn does_not_guess_an_unknown_version() {
        assert!(judge(15, None).is_none());
        assert!(judge(30, None).is_none());
        let verdict = judge(10, None).unwrap();
        assert!(verdict.problem.ends_with("the export does not tell the server's version"), "{}", verdict.problem);
        let odd = version("Version 6.1 (Build 1.0)");
        assert!(judge(30, Some(&odd)).is_none());
        assert!(judge(12, Some(&odd)).unwrap().problem.contains("no default for version 6.1"));
    }
}
