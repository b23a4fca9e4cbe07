use crate::exchange::Limit;
use crate::finding::{Finding, Severity};

use super::setting::owner;
use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An organization whose global maximum number of recipients per message,
    /// `msExchRecipLimit` on `CN=Message Delivery,CN=Global Settings,...` (5000 when absent), is
    /// lower than the number of public folder stores (`msExchPublicMDB` entries) of that
    /// organization in the export. A value of 0 or less is not reported: Exchange reads 0 as
    /// "no limit" in the organization's size limits, and exlint does not take it for a limit of
    /// no recipients.
    ///
    /// Counting public folder stores needs the servers' storage groups in the export: an
    /// export that holds no information store database at all (neither `msExchPublicMDB` nor
    /// `msExchPrivateMDB`) was filtered or cut above them, and the rule is then reported as
    /// not evaluated rather than counting zero. An export that holds mailbox stores but no
    /// public store is taken to mean the organization has none.
    ///
    /// ## Why it matters
    /// Public folder hierarchy replication sends one message to every public folder store. With
    /// a recipient limit below their number those messages are refused, and the hierarchy
    /// stops replicating.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Message Delivery,CN=Global Settings,CN=Contoso,CN=Microsoft Exchange,...
    /// objectClass: msExchMessageDeliveryConfig
    /// msExchRecipLimit: 2
    /// ```
    /// with three `msExchPublicMDB` entries below the organization's servers.
    ///
    /// ## How to fix
    /// In Exchange System Manager, Global Settings, Message Delivery, Defaults: set the
    /// maximum recipients to 5000, the default (or at least the number of public folder
    /// stores), then restart the Microsoft Exchange Information Store service.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: "Maximum recipient limit is too low",
    /// <https://unifiedpeople.ru/exbpa.en/html/5cf5217a-fbcd-44fc-b9fa-f6a7f8fd0cff.htm>.
    pub static RECIPIENT_LIMIT_BELOW_PUBLIC_STORES = Rule {
        code: "ORG005",
        name: "recipient-limit-below-public-stores",
        title: "Maximum recipient limit is too low",
        severity: Severity::Error,
        origin: Origin::ExBpa,
        precondition: limit_and_stores,
        check: Check::Organization(check),
    };
}

/// `msExchRecipLimit` when absent.
const DEFAULT_LIMIT: i64 = 5000;

/// The limit, and the stores to count it against.
fn limit_and_stores(context: &Context<'_>) -> Result<(), String> {
    needs::message_delivery(context)?;
    let topology = context.topology;
    if topology.public_stores.is_empty() && topology.servers.iter().all(|server| server.mailbox_stores == 0) {
        return Err("the export holds no information store database (class `msExchPublicMDB` or `msExchPrivateMDB`), so public folder stores cannot be counted".to_owned());
    }
    Ok(())
}

fn check(context: &Context<'_>) -> Vec<Finding> {
    let topology = context.topology;
    topology
        .message_delivery
        .iter()
        .filter_map(|limits| {
            let node = &limits.node;
            let organization = topology.organization_of(&node.dn);
            let stores: Vec<_> = topology
                .public_stores
                .iter()
                .filter(|store| topology.organization_of(&store.dn) == organization)
                .collect();
            let count = stores.len();
            // The line that sets the limit, or the attribute that is absent.
            let (value, line) = match limits.max_recipients() {
                Limit::Absent { attribute } => (DEFAULT_LIMIT, Err(attribute)),
                Limit::Set(value) => (*value, Ok(value)),
                Limit::Unlimited(..) | Limit::Unreadable => return None,
            };
            if value >= count as i64 {
                return None;
            }
            let message = format!(
                "{}: messages may have at most {value} recipients, fewer than its {count} public folder stores",
                owner(node, context)
            );
            let note = format!("below the {count} public folder stores, which hierarchy replication writes to");
            let finding = match line {
                Ok(value) => RECIPIENT_LIMIT_BELOW_PUBLIC_STORES.finding_at(&value, message, note),
                Err(attribute) => RECIPIENT_LIMIT_BELOW_PUBLIC_STORES.finding_on(
                    node,
                    message,
                    format!("no `{attribute}`: the default {DEFAULT_LIMIT} applies, {note}"),
                )?,
            };
            let finding = stores.iter().enumerate().fold(finding, |finding, (index, store)| {
                finding.evidence(store.evidence(format!("public folder store {} of {count}", index + 1)))
            });
            Some(
                finding.help(
                    "set the maximum recipients in Global Settings, Message Delivery, Defaults to 5000, the default",
                ),
            )
        })
        .collect()
}
