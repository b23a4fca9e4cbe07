use crate::exchange::{Server, ServerVersion};
use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An Exchange 2013 server, or an older one, in an organization that also holds an
    /// Exchange 2019 CU15 server (version 15.2, build 1748 or later) or a Subscription Edition
    /// server (15.2, build 2562 or later). Servers are grouped by the organization their DN
    /// names; versions come from `serialNumber`. One finding per older server.
    ///
    /// ## Why it matters
    /// Exchange 2019 CU15 and Subscription Edition do not coexist with Exchange 2013: their
    /// setup refuses to install while an Exchange 2013 server is in the organization. Such a
    /// server in the export is either still running, unsupported beside the new ones, or the
    /// remains of one removed without uninstalling Exchange, which blocks the next cumulative
    /// update and keeps its objects (connectors, bridgeheads, arbitration mailboxes) in routing.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=EX13,CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),...
    /// serialNumber: Version 15.0 (Build 31497.2)
    ///
    /// dn: CN=EX01,CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),...
    /// serialNumber: Version 15.2 (Build 32562.17)
    /// ```
    ///
    /// ## How to fix
    /// Move what the old server still does (mailboxes, arbitration mailboxes, connectors'
    /// source servers) to the new servers and uninstall Exchange from it. A server that no
    /// longer exists must be removed from the directory as Microsoft's support describes for
    /// failed servers (`setup /m:RecoverServer` then uninstall, or ADSI Edit as a last resort).
    ///
    /// ## Origin
    /// exlint's own check, from "Exchange 2013 coexistence is not supported with Exchange 2019
    /// CU15 ... hardcoded in the setup application" and "Exchange Server SE cannot be installed
    /// in an existing Exchange 2013, just like Exchange 2019 CU15" (Jaap Wesselius, Exchange MVP,
    /// <https://jaapwesselius.com/category/exchange>). The builds are HealthChecker's: Exchange
    /// 2019 CU15 is 15.2.1748.10 and Subscription Edition RTM 15.2.2562.17
    /// (`Get-ExchangeBuildVersionInformation.ps1`, microsoft/CSS-Exchange).
    pub static COEXISTENCE_NOT_SUPPORTED = Rule {
        code: "VER004",
        name: "coexistence-not-supported",
        title: "Exchange 2013 or older beside Exchange 2019 CU15 or Subscription Edition",
        severity: Severity::Error,
        origin: Origin::Native,
        precondition: needs::server_versions,
        check: Check::Server(check),
    };
}

/// Exchange 2019 CU15's build: from it on, setup blocks Exchange 2013.
const EXCHANGE_2019_CU15_BUILD: u32 = 1748;

fn blocks_exchange_2013(version: &ServerVersion) -> bool {
    (version.major, version.minor) == (15, 2) && version.build >= EXCHANGE_2019_CU15_BUILD
}

fn is_exchange_2013_or_older(version: &ServerVersion) -> bool {
    (version.major, version.minor) < (15, 1)
}

fn check(server: &Server<'_>, context: &Context<'_>) -> Vec<Finding> {
    let topology = context.topology;
    let Some(version) = server.version.as_ref().filter(|version| is_exchange_2013_or_older(version)) else {
        return Vec::new();
    };
    let organization = topology.organization_of(&server.node.dn);
    let newer = topology.servers.iter().find(|other| {
        topology.organization_of(&other.node.dn) == organization
            && other.version.as_ref().is_some_and(|version| blocks_exchange_2013(version))
    });
    let Some((newer, newer_version)) = newer.and_then(|newer| Some((newer, newer.version.as_ref()?))) else {
        return Vec::new();
    };
    let message = format!(
        "server `{}` runs {}, beside `{}` on {}, which does not coexist with Exchange 2013 or older",
        server.name(),
        version.value.product(),
        newer.name(),
        newer_version.value
    );
    vec![
        COEXISTENCE_NOT_SUPPORTED
            .finding_at(version, message, "runs Exchange 2013 or older")
            .server(server.name())
            .evidence(newer_version.evidence(format!("runs {}, whose setup blocks Exchange 2013", newer_version.value.product())))
            .help("move what the old server still does to the new servers and uninstall Exchange from it"),
    ]
}
