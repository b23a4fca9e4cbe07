//! The shape many ExBPA checks share: read one attribute of each object of a kind, compare it
//! with its default or a limit, and report the objects whose value is off, with that value as
//! evidence. A rule of this shape is its page, where to look, and a judgment.

use crate::exchange::{Node, Server, ServerVersion};
use crate::finding::{Evidence, Finding};
use crate::ldif::Attribute;

use super::{Context, Rule};

/// A type an attribute is read as: Integer (`i64`), Boolean (`bool`), or string (`String`).
pub(super) trait Setting: Sized {
    fn read<'a>(node: &Node<'a>, attribute: &str) -> Option<(Self, &'a Attribute<'a>)>;
}

impl Setting for i64 {
    fn read<'a>(node: &Node<'a>, attribute: &str) -> Option<(i64, &'a Attribute<'a>)> {
        node.integer(attribute)
    }
}

impl Setting for bool {
    fn read<'a>(node: &Node<'a>, attribute: &str) -> Option<(bool, &'a Attribute<'a>)> {
        node.boolean(attribute)
    }
}

impl Setting for String {
    fn read<'a>(node: &Node<'a>, attribute: &str) -> Option<(String, &'a Attribute<'a>)> {
        node.text(attribute)
    }
}

/// What a rule makes of a value that is off.
pub(super) struct Verdict {
    /// What is wrong, for the message: `at most 200 recipients per message`.
    pub(super) problem: String,
    /// What was expected, for the label on the line: `the default is 64000`.
    pub(super) expected: String,
}

/// One attribute of each SMTP virtual server of `server`, when the server routes with its
/// virtual servers (Exchange 2000/2003, or a version the export does not tell). An absent
/// attribute means the product default, which is not reported. The judge may be a closure, so
/// that it can take what the rule knows of the server (its version, say).
pub(super) fn virtual_server_setting<T: Setting>(
    rule: &'static Rule,
    server: &Server<'_>,
    context: &Context<'_>,
    attribute: &str,
    judge: impl Fn(&T, &Context<'_>) -> Option<Verdict>,
) -> Vec<Finding> {
    context
        .topology
        .legacy_virtual_servers_of(server)
        .filter_map(|virtual_server| {
            let (value, line) = T::read(&virtual_server.node, attribute)?;
            let verdict = judge(&value, context)?;
            let entry = virtual_server.node.entry?;
            let message =
                format!("virtual server `{}` on `{}`: {}", virtual_server.label(), server.name(), verdict.problem);
            Some(
                rule.finding(entry.location_of(line), message)
                    .server(server.name())
                    .dn(entry.dn.text())
                    .evidence(Evidence::value(entry, line, verdict.expected)),
            )
        })
        .collect()
}

/// One attribute of each node of `nodes` (the organization's `Message Delivery` settings, say).
/// An absent attribute is not reported.
pub(super) fn node_setting<T: Setting>(
    rule: &'static Rule,
    nodes: &[Node<'_>],
    context: &Context<'_>,
    attribute: &str,
    judge: impl Fn(&T, &Context<'_>) -> Option<Verdict>,
) -> Vec<Finding> {
    nodes
        .iter()
        .filter_map(|node| {
            let (value, line) = T::read(node, attribute)?;
            let verdict = judge(&value, context)?;
            let entry = node.entry?;
            let owner = owner(node, context);
            Some(
                rule.finding(entry.location_of(line), format!("{owner}: {}", verdict.problem))
                    .dn(entry.dn.text())
                    .evidence(Evidence::value(entry, line, verdict.expected)),
            )
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
pub(super) fn message_delivery_size_below_one_megabyte(
    rule: &'static Rule,
    context: &Context<'_>,
    attribute: &str,
    moved: &str,
) -> Vec<Finding> {
    node_setting(rule, &context.topology.message_delivery, context, attribute, |&size: &i64, _| {
        (1..1024).contains(&size).then(|| Verdict {
            problem: format!("messages over {size} KB cannot be {moved} anywhere in the organization"),
            expected: "at least 1024 KB, or 0 for no limit".to_owned(),
        })
    })
}

/// An Integer limit as an entry holds it, where absent or below 1 means no limit (message
/// sizes and recipient limits of the organization).
pub(super) enum Limit<'a> {
    /// The attribute is absent.
    Absent,
    /// 0 or less: no limit.
    Unlimited(i64, &'a Attribute<'a>),
    Set(i64, &'a Attribute<'a>),
    /// Present but not a number: not judged.
    Unreadable,
}

impl<'a> Limit<'a> {
    pub(super) fn read(node: &Node<'a>, attribute: &str) -> Limit<'a> {
        match (node.attribute(attribute), node.integer(attribute)) {
            (None, _) => Limit::Absent,
            (Some(_), None) => Limit::Unreadable,
            (Some(_), Some((value, line))) if value < 1 => Limit::Unlimited(value, line),
            (Some(_), Some((value, line))) => Limit::Set(value, line),
        }
    }
}

/// The version in a server's `serialNumber`, judged: a finding of `rule` on the `serialNumber`
/// line, `server \`NAME\` <problem>`. Servers without an entry or a readable `serialNumber` are
/// not judged.
pub(super) fn server_version(
    rule: &'static Rule,
    server: &Server<'_>,
    judge: impl Fn(&ServerVersion) -> Option<Verdict>,
    help: &str,
) -> Vec<Finding> {
    let (Some(version), Some(entry), Some(line)) =
        (&server.version, server.node.entry, server.node.attribute("serialNumber"))
    else {
        return Vec::new();
    };
    let Some(verdict) = judge(version) else {
        return Vec::new();
    };
    let finding = rule
        .finding(entry.location_of(line), format!("server `{}` {}", server.name(), verdict.problem))
        .server(server.name())
        .dn(entry.dn.text())
        .evidence(Evidence::value(entry, line, verdict.expected))
        .help(help);
    vec![finding]
}
