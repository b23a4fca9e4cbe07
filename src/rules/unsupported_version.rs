use crate::exchange::Server;
use crate::exchange::lifecycle::end_of_support;
use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An Exchange server whose version (`serialNumber`) is past its end of support on the day
    /// the report judges by: the day exlint's lifecycle table was last reviewed, or the day
    /// `--as-of` (or `as-of` in `exlint.toml`) names. Exchange 2016 and 2019 ended on
    /// 2025-10-14 (the paid Extended Security Update programme ran to 2026-04-14), 2013 on
    /// 2023-04-11, 2010 on 2020-10-13, 2007 on 2017-04-11; Exchange 2000 and 2003 earlier.
    /// Subscription Edition (15.2 builds from 2562) has no end date and is not reported.
    ///
    /// ## Why it matters
    /// A version past its end of support gets no security updates: vulnerabilities found since
    /// (ProxyLogon and ProxyShell were found in supported versions; the next ones will not be
    /// fixed in these) stay open on a server that faces the Internet. Microsoft has announced
    /// that Exchange Online may throttle and block mail from unsupported on-premises servers.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=EX16,CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),...
    /// objectClass: msExchExchangeServer
    /// serialNumber: Version 15.1 (Build 2507.39)
    /// ```
    ///
    /// ## How to fix
    /// Upgrade in place to Subscription Edition (from Exchange 2019 CU14 or CU15), or move the
    /// server's roles to a new Subscription Edition server and remove it; or move the mailboxes
    /// to Exchange Online.
    ///
    /// ## Origin
    /// exlint's own check, from Microsoft's lifecycle dates: "Exchange Server 2007 will reach
    /// end of support on April 11, 2017" (Microsoft Learn), and "T-1 month: Exchange Server 2016
    /// and Exchange Server 2019 End of Support"
    /// (<https://techcommunity.microsoft.com/blog/exchange/t-1-month-exchange-server-2016-and-exchange-server-2019-end-of-support/4453133>).
    /// Subscription Edition is told from Exchange 2019 by build, as HealthChecker does (15.2
    /// builds from 2562).
    pub static UNSUPPORTED_VERSION = Rule {
        code: "VER003",
        name: "unsupported-version",
        title: "An Exchange server runs a version past its end of support",
        severity: Severity::Warning,
        origin: Origin::Native,
        precondition: needs::server_versions,
        check: Check::Server(check),
    };
}

fn check(server: &Server<'_>, context: &Context<'_>) -> Vec<Finding> {
    let as_of = context.options.as_of;
    let Some(version) = &server.version else { return Vec::new() };
    let Some(end) = end_of_support(version).filter(|end| end.date < as_of) else { return Vec::new() };
    let ended = if end.at_the_latest { format!("by {} at the latest", end.date) } else { format!("on {}", end.date) };
    let updates = match end.extended_security_updates {
        Some(last) if last >= as_of => format!("; paid Extended Security Updates run until {last}"),
        Some(last) => format!("; its Extended Security Updates ended on {last}"),
        None => String::new(),
    };
    let message = format!(
        "server `{}` runs {}, whose support ended {ended}{updates} (judged as of {as_of})",
        server.name(),
        version.value
    );
    vec![
        UNSUPPORTED_VERSION
            .finding_at(version, message, format!("past its end of support: {}", version.product()))
            .server(server.name())
            .help("upgrade to Exchange Server Subscription Edition, or move the mailboxes to Exchange Online"),
    ]
}
