use crate::exchange::{EXCHANGE_2007_ADMIN_GROUP, Server};
use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An Exchange server whose `serialNumber` says Exchange 2007 or later (`Version 8` and
    /// up) but whose DN places it in an administrative group other than `Exchange
    /// Administrative Group (FYDIBOHF23SPDLT)`.
    ///
    /// ExBPA's rule predates Exchange 2010 and tests `Version 8` only. Exchange 2010, 2013 and
    /// later put their servers in the same administrative group (Setup creates it once and
    /// every later version uses it), so exlint judges every version from 8 on.
    ///
    /// ## Why it matters
    /// Exchange 2007 and later do not use administrative groups to manage servers; Setup puts
    /// all of them in one administrative group for coexistence with Exchange 2000/2003, and the
    /// newer versions find their servers there. A server moved out of it by hand (with ADSI
    /// Edit) may cause mail flow problems.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=EXHUB01,CN=Servers,CN=First Administrative Group,CN=Administrative Groups,...
    /// objectClass: msExchExchangeServer
    /// serialNumber: Version 8.1 (Build 30240.6)
    /// ```
    ///
    /// ## How to fix
    /// Remove Exchange from the server and install it again: Setup puts it in `Exchange
    /// Administrative Group (FYDIBOHF23SPDLT)`. Moving the object back by hand is not
    /// supported.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: "Exchange 2007 server object has been moved to a different
    /// administrative group",
    /// <https://unifiedpeople.ru/extra.en/html/baef7172-430d-4e4b-a4d7-af889cf4ec25.htm>.
    pub static EXCHANGE_2007_SERVER_OUTSIDE_ADMIN_GROUP = Rule {
        code: "ROUTE006",
        name: "exchange-2007-server-outside-admin-group",
        title: "Exchange 2007 server object has been moved to a different administrative group",
        severity: Severity::Error,
        origin: Origin::ExBpa,
        precondition: needs::server_versions,
        check: Check::Server(check),
    };
}

fn check(server: &Server<'_>, context: &Context<'_>) -> Vec<Finding> {
    let (Some(version), Some(group)) = (&server.version, server.admin_group) else {
        return Vec::new();
    };
    let group = &context.topology.admin_groups[group];
    if version.major < 8 || group.is_exchange_2007() {
        return Vec::new();
    }
    let message = format!(
        "server `{}` runs {} but is in administrative group `{}`, not `{EXCHANGE_2007_ADMIN_GROUP}`",
        server.name(),
        version.product(),
        group.node.name
    );
    let Some(finding) =
        EXCHANGE_2007_SERVER_OUTSIDE_ADMIN_GROUP.finding_on(&server.node, message, format!("in `{}`", group.node.name))
    else {
        return Vec::new();
    };
    let note = format!(
        "version {}.{}, {}: belongs in `{EXCHANGE_2007_ADMIN_GROUP}`",
        version.major,
        version.minor,
        version.product()
    );
    vec![
        finding
            .server(server.name())
            .evidence(version.evidence(note))
            .help("remove Exchange from the server and install it again"),
    ]
}
