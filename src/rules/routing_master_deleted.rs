use crate::exchange::Target;
use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// A routing group whose master, `msExchRoutingMasterDN`, names a deleted object: a DN in
    /// `CN=Deleted Objects`, whose RDN Active Directory has mangled to `<name>\0ADEL:<guid>`.
    /// That is what the attribute holds once the master server's object has been deleted
    /// without another master being designated.
    ///
    /// Unlike ROUTE002, this also judges `Exchange Routing Group (DWBGZMFD01QNBJR)`, the
    /// routing group of Exchange 2007 and later: Exchange 2013 still reads its master and logs
    /// a warning (MSExchange ADAccess event 2937) when it points to `CN=Deleted Objects`.
    ///
    /// ## Why it matters
    /// A routing group whose master was deleted has no master: its servers stop exchanging
    /// link state information, so they do not learn that connectors are down or back up, and
    /// Exchange 2003 logs MSExchangeTransport event 958 ("master server DN appears to be
    /// pointing to a deleted object").
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=First Routing Group,CN=Routing Groups,CN=First Administrative Group,...
    /// objectClass: msExchRoutingGroup
    /// msExchRoutingMasterDN: CN=EXOLD\0ADEL:67729122-b25b-4d4c-b5b0-75ad9e9dacd4,CN=Deleted Objects,CN=Configuration,DC=contoso,DC=com
    /// ```
    ///
    /// ## How to fix
    /// In Exchange System Manager, expand the routing group, click Members, right-click one of
    /// the member servers and click Set as Master. For `Exchange Routing Group
    /// (DWBGZMFD01QNBJR)`, which Exchange System Manager does not manage, set
    /// `msExchRoutingMasterDN` to the DN of a current Exchange server with ADSI Edit, then
    /// restart the transport services.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: [Routing group master missing or invalid],
    /// <https://unifiedpeople.ru/extra.en/html/9cb38520-bf9e-447e-a7fc-990a1f613999.htm>,
    /// which leaves values containing `DEL:` aside; exlint reports them as their own finding.
    /// The deleted-master case and its fix:
    /// <http://letsexchange.blogspot.co.uk/2016_09_01_archive.html>.
    pub static ROUTING_MASTER_DELETED = Rule {
        code: "ROUTE003",
        name: "routing-master-deleted",
        title: "Routing group master was deleted",
        severity: Severity::Warning,
        origin: Origin::ExBpa,
        precondition: needs::routing_groups,
        check: Check::Organization(check),
    };
}

fn check(context: &Context<'_>) -> Vec<Finding> {
    let topology = context.topology;
    topology
        .routing_groups
        .iter()
        .filter(|group| group.node.is_exported())
        .filter_map(|group| {
            let master = group.master.as_ref()?;
            if !matches!(topology.resolve(master), Target::Deleted) {
                return None;
            }
            // `EXOLD\nDEL:<guid>`: the name before the mangling.
            let name = master.name();
            let name = name.split('\n').next().unwrap_or_default();
            let help = if group.is_exchange_2007() {
                "set `msExchRoutingMasterDN` to the DN of a current Exchange server with ADSI Edit"
            } else {
                "in Exchange System Manager, open the routing group's Members, right-click a member server and click Set as Master"
            };
            let message = format!("routing group `{}`: master `{name}` was deleted", group.node.name);
            Some(
                ROUTING_MASTER_DELETED
                    .finding_at(master, message, "a deleted object: the routing group has no master")
                    .help(help),
            )
        })
        .collect()
}
