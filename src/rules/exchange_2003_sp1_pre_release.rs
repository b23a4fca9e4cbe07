use crate::exchange::{Server, ServerVersion};
use crate::finding::{Finding, Severity};

use super::setting::{Verdict, server_version};
use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An Exchange 2003 server (`serialNumber` `Version 6.5`) with Service Pack 1 whose build
    /// is not 7226.6, the build Service Pack 1 was released as: a pre-release of the service
    /// pack. The released form is `Version 6.5 (Build 7226.6: Service Pack 1)`.
    ///
    /// ExBPA looks for the texts `6.5`, `Service Pack 1` and `7226.6` in the value; exlint
    /// reads the value as a version (`Version 6.5 (Build 7226.6: Service Pack 1)`, any case)
    /// and compares its parts, so that `Service Pack 10` or a build such as `17226.6` cannot
    /// pass for them. A `serialNumber` that does not read as a version is not judged.
    ///
    /// ## Why it matters
    /// A pre-release service pack is not supported in production, and service packs cannot be
    /// uninstalled: the server stays on untested code until the final service pack (or a later
    /// one) is applied.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=EXBH01,CN=Servers,CN=First Administrative Group,...
    /// objectClass: msExchExchangeServer
    /// serialNumber: Version 6.5 (Build 7224.1: Service Pack 1)
    /// ```
    ///
    /// ## How to fix
    /// Back up the server, apply the final Exchange 2003 Service Pack 1 (or Service Pack 2),
    /// and back it up again.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: "This Exchange 2003 server is not running the final Service
    /// Pack 1 build (7226.6)",
    /// <https://unifiedpeople.ru/exbpa.en/html/d1204a17-6ef5-4352-a653-82a1d1e7d4b2.htm>.
    pub static EXCHANGE_2003_SP1_PRE_RELEASE = Rule {
        code: "VER002",
        name: "exchange-2003-sp1-pre-release",
        title: "This Exchange 2003 server is not running the final Service Pack 1 build (7226.6)",
        severity: Severity::Warning,
        origin: Origin::ExBpa,
        precondition: needs::server_versions,
        check: Check::Server(check),
    };
}

/// The build Exchange 2003 Service Pack 1 was released as: 7226.6.
const RELEASE: (u32, Option<u32>) = (7226, Some(6));

/// Whether a version is Exchange 2003 with a pre-release of Service Pack 1.
fn is_pre_release_sp1(version: &ServerVersion) -> bool {
    let service_pack_1 =
        version.service_pack.as_deref().is_some_and(|text| text.eq_ignore_ascii_case("Service Pack 1"));
    (version.major, version.minor) == (6, 5) && service_pack_1 && (version.build, version.revision) != RELEASE
}

fn check(server: &Server<'_>, _context: &Context<'_>) -> Vec<Finding> {
    let judge = |version: &ServerVersion| {
        is_pre_release_sp1(version).then(|| {
            let build = match version.revision {
                Some(revision) => format!("{}.{revision}", version.build),
                None => version.build.to_string(),
            };
            Verdict {
                problem: format!("runs a pre-release of Exchange 2003 Service Pack 1: build {build}"),
                expected: "the final Service Pack 1 is build 7226.6".to_owned(),
            }
        })
    };
    server_version(
        &EXCHANGE_2003_SP1_PRE_RELEASE,
        server,
        judge,
        "apply the final Exchange 2003 Service Pack 1, or Service Pack 2",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pre_release(serial_number: &str) -> bool {
        is_pre_release_sp1(&ServerVersion::parse(serial_number).expect(serial_number))
    }

    #[test]
    fn the_final_service_pack_1_is_7226_6() {
        assert!(!pre_release("Version 6.5 (Build 7226.6: Service Pack 1)"));
        assert!(!pre_release("version 6.5 (build 7226.6: service pack 1)"));
        assert!(pre_release("Version 6.5 (Build 7224.1: Service Pack 1)"));
        assert!(pre_release("Version 6.5 (Build 7226.5: Service Pack 1)"));
        assert!(pre_release("Version 6.5 (Build 7226: Service Pack 1)"));
    }

    #[test]
    fn other_versions_and_service_packs_are_not_judged() {
        assert!(!pre_release("Version 6.5 (Build 7638.2: Service Pack 2)"));
        assert!(!pre_release("Version 6.5 (Build 6944.4)"));
        assert!(!pre_release("Version 6.0 (Build 6249.4: Service Pack 3)"));
        assert!(!pre_release("Version 6.5 (Build 7226.6: Service Pack 10)"));
        assert!(!pre_release("Version 8.0 (Build 30685.24: Service Pack 1)"));
    }
}
