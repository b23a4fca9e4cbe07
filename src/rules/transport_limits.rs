use crate::exchange::{Limit, MessageLimits};
use crate::finding::{Finding, Severity};

use super::setting::owner;
use super::{Check, Context, Origin, RuleOption, needs};

declare_rule! {
    /// ## What it finds
    /// The organization limits of Exchange 2007 SP1 and later, on `CN=Transport
    /// Settings,CN=<organization>,...`, that are not set as Exchange's Best Practices Analyzer
    /// recommends. One finding per problem:
    ///
    /// - the maximum incoming message size (`delivContLength`, KB) or outgoing message size
    ///   (`submissionContLength`, KB) is not set: absent, or 0 or less;
    /// - either size is below `min-size-kb` (1024 KB by default) or above `max-size-kb`
    ///   (102400 KB by default);
    /// - the two sizes differ;
    /// - the maximum number of recipients per message (`msExchRecipLimit`) is not set, or is
    ///   above `max-recipients` (5000 by default, the product default).
    ///
    /// The Best Practices Analyzer's topic lists what it verifies but not the thresholds it
    /// uses for "too high" and "too low", so those are exlint's, and options: 1024 KB is the
    /// floor ExBPA uses for the Exchange 2003 global limits (ORG001, ORG002), 102400 KB (100 MB)
    /// is exlint's own choice, and 5000 recipients is the product default. The defaults of the
    /// three attributes are 10240 KB, 10240 KB and 5000.
    ///
    /// ## Why it matters
    /// Exchange 2007 SP1 and later, their Information Store included, take the organization's
    /// limits from this entry only, not from `CN=Message Delivery`. A limit that is not set
    /// lets messages of any size (or any number of recipients) through every server; one set
    /// too low bounces ordinary attachments; one set too high lets a few messages fill queues
    /// and databases. When the incoming and outgoing sizes differ, users can send messages
    /// that colleagues cannot receive, or receive messages they cannot forward.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Transport Settings,CN=Contoso,CN=Microsoft Exchange,CN=Services,...
    /// objectClass: msExchTransportSettings
    /// delivContLength: 20480
    /// submissionContLength: 10240
    /// msExchRecipLimit: 5000
    /// ```
    ///
    /// ## How to fix
    /// In the Exchange Management Shell, `Set-TransportConfig -MaxReceiveSize 10MB
    /// -MaxSendSize 10MB -MaxRecipientEnvelopeLimit 5000` (or the sizes the organization
    /// needs, equal to each other); in the Exchange Management Console, Organization
    /// Configuration, Hub Transport, Global Settings, Transport Settings.
    ///
    /// ## Origin
    /// Exchange Best Practices Analyzer (Exchange 2007 SP1 and later): "Message restrictions
    /// are not set correctly",
    /// <https://technet.microsoft.com/en-us/library/dd577067(v=exchg.80).aspx>.
    pub static TRANSPORT_LIMITS = Rule {
        code: "ORG006",
        name: "transport-limits",
        title: "Message restrictions are not set correctly",
        severity: Severity::Warning,
        origin: Origin::ExBpa,
        options: &[
            RuleOption { name: "min-size-kb", default: 1024, help: "message sizes below this many KB are too low" },
            RuleOption { name: "max-size-kb", default: 102400, help: "message sizes above this many KB are too high" },
            RuleOption { name: "max-recipients", default: 5000, help: "a recipient limit above this is too high" },
        ],
        precondition: needs::transport_settings,
        check: Check::Organization(check),
    };
}

const HELP: &str = "set the limits with `Set-TransportConfig -MaxReceiveSize -MaxSendSize -MaxRecipientEnvelopeLimit`";

fn check(context: &Context<'_>) -> Vec<Finding> {
    context.topology.transport_settings.iter().flat_map(|limits| check_settings(limits, context)).collect()
}

/// The problems of one `Transport Settings` entry.
fn check_settings(limits: &MessageLimits<'_>, context: &Context<'_>) -> Vec<Finding> {
    let node = &limits.node;
    let owner = owner(node, context);
    let option = |name| context.option(&TRANSPORT_LIMITS, name);
    let (min_size, max_size, max_recipients) = (option("min-size-kb"), option("max-size-kb"), option("max-recipients"));
    // A finding at the limit's line, or at the entry when the limit is absent.
    let finding = |limit: &Limit<'_>, message: String, note: String| {
        let finding = match limit {
            Limit::Set(value) | Limit::Unlimited(value) => Some(TRANSPORT_LIMITS.finding_at(value, message, note)),
            Limit::Absent { .. } | Limit::Unreadable => TRANSPORT_LIMITS.finding_on(node, message, note),
        };
        finding.map(|finding| finding.help(HELP))
    };
    let mut findings = Vec::new();
    let mut sizes = Vec::new();
    for (limit, direction) in [(limits.max_receive_size(), "incoming"), (limits.max_send_size(), "outgoing")] {
        let found = match &limit {
            Limit::Absent { attribute } => finding(
                &limit,
                format!("{owner}: the maximum {direction} message size is not set"),
                format!("no `{attribute}`: {direction} messages of any size pass"),
            ),
            Limit::Unlimited(value) => finding(
                &limit,
                format!("{owner}: the maximum {direction} message size is not set ({} means no limit)", value.value),
                format!("no limit: {direction} messages of any size pass"),
            ),
            Limit::Set(value) if **value < min_size => finding(
                &limit,
                format!("{owner}: the maximum {direction} message size, {} KB, is below {min_size} KB", value.value),
                format!("too low: at least {min_size} KB (`min-size-kb`)"),
            ),
            Limit::Set(value) if **value > max_size => finding(
                &limit,
                format!("{owner}: the maximum {direction} message size, {} KB, is above {max_size} KB", value.value),
                format!("too high: at most {max_size} KB (`max-size-kb`)"),
            ),
            Limit::Set(..) | Limit::Unreadable => None,
        };
        findings.extend(found);
        if let Limit::Set(value) = limit {
            sizes.push(value);
        }
    }
    if let [incoming, outgoing] = &sizes[..]
        && incoming.value != outgoing.value
    {
        let message = format!(
            "{owner}: the maximum incoming message size ({} KB) differs from the outgoing one ({} KB)",
            incoming.value, outgoing.value
        );
        let note = "the incoming limit; best equal to the outgoing one".to_owned();
        findings.extend(
            finding(&Limit::Set(incoming.clone()), message, note)
                .map(|finding| finding.evidence(outgoing.evidence("the outgoing limit"))),
        );
    }
    let recipients = limits.max_recipients();
    let found = match &recipients {
        Limit::Absent { attribute } => finding(
            &recipients,
            format!("{owner}: the maximum number of recipients per message is not set"),
            format!("no `{attribute}`: messages may have any number of recipients"),
        ),
        Limit::Unlimited(limit) => finding(
            &recipients,
            format!(
                "{owner}: the maximum number of recipients per message is not set ({} means no limit)",
                limit.value
            ),
            "no limit: messages may have any number of recipients".to_owned(),
        ),
        Limit::Set(limit) if **limit > max_recipients => finding(
            &recipients,
            format!("{owner}: messages may have up to {} recipients, more than {max_recipients}", limit.value),
            format!("too high: at most {max_recipients} (`max-recipients`); the default is 5000"),
        ),
        Limit::Set(..) | Limit::Unreadable => None,
    };
    findings.extend(found);
    findings
}
