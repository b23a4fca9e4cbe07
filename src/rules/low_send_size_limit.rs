use crate::finding::{Finding, Severity};

use super::setting::message_delivery_size_below_one_megabyte;
use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An organization whose global maximum outgoing message size, `submissionContLength` on
    /// `CN=Message Delivery,CN=Global Settings,...`, is set below 1024 KB (1 MB). The value is
    /// in KB; 0 or absent means no limit, which is not reported.
    ///
    /// ## Why it matters
    /// No one in the organization can send a message larger than this, whatever the limits on
    /// their mailbox or on connectors: an ordinary document attachment is refused with a
    /// non-delivery report.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Message Delivery,CN=Global Settings,CN=Contoso,CN=Microsoft Exchange,...
    /// objectClass: msExchMessageDeliveryConfig
    /// submissionContLength: 512
    /// ```
    ///
    /// ## How to fix
    /// In Exchange System Manager, Global Settings, Message Delivery, Defaults: raise the
    /// sending message size (10240 KB is the Exchange 2003 default), or clear it.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: [Global maximum send size below 1 MB],
    /// <http://unifiedpeople.ru/exbpa.en/html/6bb12851-707d-4416-8759-a82479147b95.htm>.
    pub static LOW_SEND_SIZE_LIMIT = Rule {
        code: "ORG001",
        name: "low-send-size-limit",
        title: "Global maximum send size below 1 MB",
        severity: Severity::Warning,
        origin: Origin::ExBpa,
        precondition: needs::message_delivery,
        check: Check::Organization(check),
    };
}

fn check(context: &Context<'_>) -> Vec<Finding> {
    message_delivery_size_below_one_megabyte(&LOW_SEND_SIZE_LIMIT, context, |limits| limits.max_send_size(), "sent")
}
