use crate::exchange::{Server, ServerVersion};
use crate::finding::{Finding, Severity};

use super::setting::{Verdict, server_version};
use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An Exchange server whose `serialNumber` says Exchange 2007 without a service pack
    /// (`Version 8.0`) with a build below 685, the build Exchange 2007 was released as.
    ///
    /// Exchange 2007 and later write the build with 30000 (sometimes 10000) added:
    /// `Version 8.0 (Build 30685.24)` is build 685, revision 24. exlint removes that offset as
    /// Exchange's own parser does, so `Version 8.0 (Build 0685)` (the form ExBPA's topic
    /// quotes) and `Version 8.0 (Build 30685.24)` both read as build 685. Service packs change
    /// the minor version and restart the build numbers (`Version 8.1 (Build 30240.6)` is SP1),
    /// so only `8.0` is judged.
    ///
    /// ## Why it matters
    /// Pre-release builds (betas, release candidates) are not supported in production, expire,
    /// and cannot be upgraded to later service packs.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=EXHUB01,CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),...
    /// objectClass: msExchExchangeServer
    /// serialNumber: Version 8.0 (Build 30637.1)
    /// ```
    ///
    /// ## How to fix
    /// Remove the pre-release installation and install a released version of Exchange 2007
    /// (or later) on the server.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: "Exchange 2007 pre-release version is installed",
    /// <http://unifiedpeople.ru/exbpa.en/html/0efd36ee-c4bd-4816-987b-f975b68ede99.htm>.
    pub static PRE_RELEASE_EXCHANGE_2007 = Rule {
        code: "VER001",
        name: "pre-release-exchange-2007",
        title: "Exchange 2007 pre-release version is installed",
        severity: Severity::Error,
        origin: Origin::ExBpa,
        precondition: needs::server_versions,
        check: Check::Server(check),
    };
}

/// The build Exchange 2007 was released as.
const RELEASE_BUILD: u32 = 685;

/// Whether a version is a pre-release build of Exchange 2007.
fn is_pre_release(version: &ServerVersion) -> bool {
    (version.major, version.minor) == (8, 0) && version.build < RELEASE_BUILD
}

fn check(server: &Server<'_>, _context: &Context<'_>) -> Vec<Finding> {
    let judge = |version: &ServerVersion| {
        is_pre_release(version).then(|| Verdict {
            problem: format!(
                "runs a pre-release build of Exchange 2007: build {}, before {RELEASE_BUILD}",
                version.build
            ),
            expected: format!(
                "version 8.0, build {}: Exchange 2007 was released as build {RELEASE_BUILD}",
                version.build
            ),
        })
    };
    server_version(&PRE_RELEASE_EXCHANGE_2007, server, judge, "install a released version of Exchange 2007 or later")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pre_release(serial_number: &str) -> bool {
        is_pre_release(&ServerVersion::parse(serial_number).expect(serial_number))
    }

    #[test]
    fn judges_the_build_without_its_offset() {
        assert!(!pre_release("Version 8.0 (Build 30685.24)"), "the release");
        assert!(!pre_release("Version 8.0 (Build 30685.6)"));
        assert!(!pre_release("Version 8.0 (Build 0685)"), "as ExBPA's topic writes it");
        assert!(!pre_release("Version 8.0 (Build 10685.25)"));
        assert!(pre_release("Version 8.0 (Build 30637.1)"));
        assert!(pre_release("Version 8.0 (Build 0535)"));
        assert!(pre_release("version 8.0 (build 30684.0)"));
    }

    #[test]
    fn judges_only_exchange_2007_without_a_service_pack() {
        assert!(!pre_release("Version 8.1 (Build 30240.6)"), "SP1 restarts build numbers");
        assert!(!pre_release("Version 8.3 (Build 30083.6)"));
        assert!(!pre_release("Version 14.3 (Build 30123.4)"));
        assert!(!pre_release("Version 6.5 (Build 6944.4)"));
    }
}
