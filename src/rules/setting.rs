//! The shape many ExBPA checks share: read one setting of each object of a kind, compare it
//! with its default or a limit, and report the objects whose value is off, with that value as
//! evidence. A rule of this shape is its page, which setting, and a judgment.

use crate::exchange::{Limit, Located, MessageLimits, Node, Server, ServerVersion, SmtpVirtualServer};
use crate::finding::Finding;

use super::{Context, Rule};

/// What a rule makes of a value that is off.
pub(super) struct Verdict {
    /// What is wrong, for the message: `at most 200 recipients per message`.
    pub(super) problem: String,
    /// What was expected, for the label on the line: `the default is 64000`.
    pub(super) expected: String,
}

/// One setting of each SMTP virtual server of `server`, when the server routes with its
/// virtual servers (Exchange 2000/2003, or a version the export does not tell). An absent
/// setting means the product default, which is not reported. The judge may be a closure, so
/// that it can take what the rule knows of the server (its version, say).
pub(super) fn virtual_server_setting<'a, T>(
    rule: &'static Rule,
    server: &Server<'a>,
    context: &Context<'a>,
    read: impl Fn(&SmtpVirtualServer<'a>) -> Option<Located<'a, T>>,
    judge: impl Fn(&T, &Context<'_>) -> Option<Verdict>,
) -> Vec<Finding> {
    context
        .topology
        .legacy_virtual_servers_of(server)
        .filter_map(|virtual_server| {
            let value = read(virtual_server)?;
            let verdict = judge(&value, context)?;
            let message =
                format!("virtual server `{}` on `{}`: {}", virtual_server.label(), server.name(), verdict.problem);
            Some(rule.finding_at(&value, message, verdict.expected).server(server.name()))
        })
        .collect()
}

/// One limit of each entry of `limits` (the organization's `Message Delivery` settings, say),
/// when it is set to a number above 0: absent, unlimited or unreadable limits are not judged.
pub(super) fn limit_setting<'a>(
    rule: &'static Rule,
    limits: &[MessageLimits<'a>],
    context: &Context<'_>,
    read: impl Fn(&MessageLimits<'a>) -> Limit<'a>,
    judge: impl Fn(i64) -> Option<Verdict>,
) -> Vec<Finding> {
    limits
        .iter()
        .filter_map(|limits| {
            let Limit::Set(value) = read(limits) else { return None };
            let verdict = judge(*value)?;
            let owner = owner(&limits.node, context);
            Some(rule.finding_at(&value, format!("{owner}: {}", verdict.problem), verdict.expected))
        })
        .collect()
}

/// How messages name the owner of organization-wide settings: `organization \`Contoso\``, or
/// the settings' own name when the DN does not tell the organization.
pub(super) fn owner(node: &Node<'_>, context: &Context<'_>) -> String {
    match context.topology.organization_of(&node.dn) {
        Some(organization) => format!("organization `{organization}`"),
        None => format!("`{}`", node.name),
    }
}

/// A message size limit in KB on the organization's `Message Delivery` settings that is set
/// below 1 MB: 1 to 1023 KB (0 or absent means no limit). Messages over it cannot be `moved`
/// (`sent`, `received`) anywhere in the organization.
pub(super) fn message_delivery_size_below_one_megabyte<'a>(
    rule: &'static Rule,
    context: &Context<'a>,
    read: impl Fn(&MessageLimits<'a>) -> Limit<'a>,
    moved: &str,
) -> Vec<Finding> {
    limit_setting(rule, &context.topology.message_delivery, context, read, |size| {
        (1..1024).contains(&size).then(|| Verdict {
            problem: format!("messages over {size} KB cannot be {moved} anywhere in the organization"),
            expected: "at least 1024 KB, or 0 for no limit".to_owned(),
        })
    })
}

/// The version in a server's `serialNumber`, judged: a finding of `rule` on the `serialNumber`
/// line, `server \`NAME\` <problem>`. Servers without a readable `serialNumber` are not judged.
pub(super) fn server_version(
    rule: &'static Rule,
    server: &Server<'_>,
    judge: impl Fn(&ServerVersion) -> Option<Verdict>,
    help: &str,
) -> Vec<Finding> {
    let Some(version) = &server.version else { return Vec::new() };
    let Some(verdict) = judge(version) else { return Vec::new() };
    let message = format!("server `{}` {}", server.name(), verdict.problem);
    vec![rule.finding_at(version, message, verdict.expected).server(server.name()).help(help)]
}
