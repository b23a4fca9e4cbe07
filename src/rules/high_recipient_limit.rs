use crate::finding::{Finding, Severity};

use super::setting::{Verdict, limit_setting};
use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An organization whose global maximum number of recipients per message,
    /// `msExchRecipLimit` on `CN=Message Delivery,CN=Global Settings,...`, is above 7500. The
    /// default is 5000; absent means the default and is not reported, and so is 0, since ExBPA
    /// compares the number itself.
    ///
    /// ## Why it matters
    /// The limit applies to every message a user sends, and to system messages such as public
    /// folder replication. The higher it is, the more a single message (a mistake, a
    /// compromised account, a reply to all) can load the servers and the network.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Message Delivery,CN=Global Settings,CN=Contoso,CN=Microsoft Exchange,...
    /// objectClass: msExchMessageDeliveryConfig
    /// msExchRecipLimit: 10000
    /// ```
    ///
    /// ## How to fix
    /// In Exchange System Manager, Global Settings, Message Delivery, Defaults: set the
    /// maximum recipients to 5000, the default, then restart the Microsoft Exchange Information
    /// Store service. Users who need more can be given a limit of their own in Active Directory
    /// Users and Computers.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: [Global recipient limit above 7500],
    /// <http://unifiedpeople.ru/exbpa.en/html/52e5a429-b37b-4899-89bb-d0efd1fe042f.htm>.
    pub static HIGH_RECIPIENT_LIMIT = Rule {
        code: "ORG004",
        name: "high-recipient-limit",
        title: "Global recipient limit above 7500",
        severity: Severity::Warning,
        origin: Origin::ExBpa,
        precondition: needs::message_delivery,
        check: Check::Organization(check),
    };
}

/// Above this, ExBPA warns.
const HIGHEST: i64 = 7500;

fn check(context: &Context<'_>) -> Vec<Finding> {
    let settings = &context.topology.message_delivery;
    limit_setting(
        &HIGH_RECIPIENT_LIMIT,
        settings,
        context,
        |limits| limits.max_recipients(),
        |limit| {
            (limit > HIGHEST).then(|| Verdict {
                problem: format!("messages may have up to {limit} recipients, more than {HIGHEST}"),
                expected: format!("at most {HIGHEST}; the default is 5000"),
            })
        },
    )
}
