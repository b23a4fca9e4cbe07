use crate::finding::{Finding, Severity};

use super::setting::message_delivery_size_below_one_megabyte;
use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An organization whose global maximum incoming message size, `delivContLength` on
    /// `CN=Message Delivery,CN=Global Settings,...`, is set below 1024 KB (1 MB). The value is
    /// in KB; 0 or absent means no limit, which ORG003 reports.
    ///
    /// ## Why it matters
    /// No one in the organization can receive a message larger than this, whatever the
    /// limits on their mailbox or on connectors: an ordinary document attachment is bounced.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Message Delivery,CN=Global Settings,CN=Contoso,CN=Microsoft Exchange,...
    /// objectClass: msExchMessageDeliveryConfig
    /// delivContLength: 512
    /// ```
    ///
    /// ## How to fix
    /// In Exchange System Manager, Global Settings, Message Delivery, Defaults: raise the
    /// receiving message size (10240 KB is the Exchange 2007 default), or clear it.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: "Maximum incoming message size maybe set too low (<1MB)",
    /// <https://technet.microsoft.com/en-us/library/aa997406(v=exchg.80).aspx>.
    pub static LOW_RECEIVE_SIZE_LIMIT = Rule {
        code: "ORG002",
        name: "low-receive-size-limit",
        title: "Maximum incoming message size maybe set too low (<1MB)",
        severity: Severity::Error,
        origin: Origin::ExBpa,
        precondition: needs::message_delivery,
        check: Check::Organization(check),
    };
}

fn check(context: &Context<'_>) -> Vec<Finding> {
    message_delivery_size_below_one_megabyte(
        &LOW_RECEIVE_SIZE_LIMIT,
        context,
        |limits| limits.max_receive_size(),
        "received",
    )
}
