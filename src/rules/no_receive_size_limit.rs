use crate::exchange::Limit;
use crate::finding::{Finding, Severity};

use super::setting::owner;
use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An organization with no global maximum incoming message size: `delivContLength` on
    /// `CN=Message Delivery,CN=Global Settings,...` is absent or below 1 (0 is "no limit" in
    /// Exchange System Manager). When the attribute is absent, the finding points at the
    /// `Message Delivery` entry itself.
    ///
    /// A value that is not a number is not judged.
    ///
    /// ## Why it matters
    /// Without a limit, any server in the organization accepts messages of any size from
    /// anywhere: a few very large messages fill queues, transaction logs and mailbox stores,
    /// and slow delivery for everyone. Exchange 2000 shipped without a limit; Exchange 2003
    /// sets 10240 KB on new installations.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Message Delivery,CN=Global Settings,CN=Contoso,CN=Microsoft Exchange,...
    /// objectClass: msExchMessageDeliveryConfig
    /// delivContLength: 0
    /// ```
    ///
    /// ## How to fix
    /// In Exchange System Manager, Global Settings, Message Delivery, Defaults: set the
    /// receiving message size to a maximum (10240 KB is the Exchange 2003 default).
    ///
    /// ## Origin
    /// Exchange Server Analyzer: [No global incoming size limit],
    /// <http://unifiedpeople.ru/exbpa.en/html/e46969a1-aced-4d52-90b4-5ef678a35adf.htm>.
    pub static NO_RECEIVE_SIZE_LIMIT = Rule {
        code: "ORG003",
        name: "no-receive-size-limit",
        title: "No global maximum incoming message size",
        severity: Severity::Error,
        origin: Origin::ExBpa,
        precondition: needs::message_delivery,
        check: Check::Organization(check),
    };
}

const HELP: &str = "set a maximum receiving message size in Global Settings, Message Delivery, Defaults (10240 KB is the Exchange 2003 default)";

fn check(context: &Context<'_>) -> Vec<Finding> {
    context
        .topology
        .message_delivery
        .iter()
        .filter_map(|limits| {
            let owner = owner(&limits.node, context);
            let finding = match limits.max_receive_size() {
                Limit::Absent { attribute } => NO_RECEIVE_SIZE_LIMIT.finding_on(
                    &limits.node,
                    format!("{owner}: no maximum incoming message size is set"),
                    format!("no `{attribute}`: messages of any size are received"),
                )?,
                Limit::Unlimited(size) => NO_RECEIVE_SIZE_LIMIT.finding_at(
                    &size,
                    format!("{owner}: maximum incoming message size {} means no limit", size.value),
                    "no limit: messages of any size are received",
                ),
                Limit::Set(..) | Limit::Unreadable => return None,
            };
            Some(finding.help(HELP))
        })
        .collect()
}
