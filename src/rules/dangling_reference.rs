use crate::directory::Dn;
use crate::exchange::{Reference, ReferenceKind, Target};
use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin};

declare_rule! {
    /// ## What it finds
    /// A value of `msExchSourceBridgeheadServersDN`, `msExchTargetBridgeheadServersDN`,
    /// `homeMTA` or `msExchDestinationRGDN`, on any entry of the export, that points to an
    /// object that does not exist:
    ///
    /// - a deleted object: a DN in `CN=Deleted Objects`, whose RDN Active Directory has
    ///   mangled to `<name>\0ADEL:<guid>`; always reported;
    /// - a dangling DN: the target is not in the export, although the export holds the
    ///   target's parent entry and holds objects of the class the attribute points at (SMTP
    ///   virtual servers for bridgeheads, MTAs for `homeMTA`, routing groups for
    ///   `msExchDestinationRGDN`).
    ///
    /// A filtered export lacks many targets for no fault of the directory (an export of
    /// connectors alone holds none of the virtual servers they name), so a missing target
    /// whose parent entry, or whose whole class, is missing from the export is not reported.
    /// DNs compare as DNs: case, spaces around separators and escapes do not matter.
    ///
    /// `msExchRoutingMasterDN`, the fifth DN attribute of mail routing, is left to ROUTE002
    /// (dangling or invalid master) and ROUTE003 (deleted master), so that a routing group
    /// master is reported once.
    ///
    /// ## Why it matters
    /// Exchange routes with these references: the bridgeheads that carry a connector's mail,
    /// the remote routing group of a routing group connector, the MTA that hosts a connector.
    /// A reference to an object that no longer exists (a server removed without uninstalling
    /// Exchange, a routing group deleted with ADSI Edit) leaves the connector without a
    /// bridgehead or a destination, and mail queues on it or routes around it unexpectedly.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=First RG to Europe RG,CN=Connections,CN=First Routing Group,...
    /// objectClass: msExchRoutingGroupConnector
    /// msExchTargetBridgeheadServersDN: CN=1,CN=SMTP,CN=Protocols,CN=EXEU02,CN=Servers,CN=Europe Administrative Group,...
    /// ```
    /// where the export holds `CN=Servers,CN=Europe Administrative Group,...` and its servers,
    /// but no EXEU02.
    ///
    /// ## How to fix
    /// In Exchange System Manager, open the connector's properties and replace the missing
    /// bridgehead, destination or server with a current one (or remove it); for a removed
    /// server, complete its removal as Microsoft documents for the version.
    ///
    /// ## Origin
    /// exlint's own check, from Exchange's constraints: DN-valued attributes hold the target's
    /// DN at export time, and a reference to an absent or deleted object is a finding, not a
    /// parse error (DOMAIN.md A.3, "DN handling rules"; catalogue entry X04). Bridgeheads,
    /// the destination of a routing group connector and `homeMTA` are mandatory or relied on
    /// by routing (DOMAIN.md B.2, B.3).
    pub static DANGLING_REFERENCE = Rule {
        code: "ROUTE007",
        name: "dangling-reference",
        title: "Reference to a missing or deleted object",
        severity: Severity::Error,
        origin: Origin::Native,
        precondition: references,
        check: Check::Organization(check),
    };
}

/// The references the rule follows.
const KINDS: [ReferenceKind; 4] = [
    ReferenceKind::SourceBridgehead,
    ReferenceKind::TargetBridgehead,
    ReferenceKind::HomeMta,
    ReferenceKind::DestinationRoutingGroup,
];

fn references(context: &Context<'_>) -> Result<(), String> {
    if KINDS.iter().any(|&kind| context.topology.references(kind).next().is_some()) {
        Ok(())
    } else {
        let names: Vec<String> = KINDS.iter().map(|kind| format!("`{}`", kind.attribute())).collect();
        Err(format!("the export holds no {} value", names.join(", ")))
    }
}

fn check(context: &Context<'_>) -> Vec<Finding> {
    let topology = context.topology;
    KINDS
        .iter()
        .flat_map(|&kind| topology.references(kind))
        .filter_map(|reference| {
            let target = topology.resolve(&reference);
            let (problem, note) = match target {
                Target::Deleted => ("a deleted object", "in `CN=Deleted Objects`"),
                Target::Dangling { .. } => ("which does not exist", "no such entry in the export"),
                Target::Entry(_) | Target::NotExported => return None,
            };
            let finding = finding(&reference, problem, note);
            Some(match target {
                Target::Dangling { parent } => finding
                    .evidence(parent.evidence(format!("exported, without {} below it", target_label(&reference)))),
                _ => finding,
            })
        })
        .collect()
}

fn finding(reference: &Reference<'_>, problem: &str, note: &str) -> Finding {
    let message = format!(
        "{}: `{}` names {}, {problem}",
        reference.holder().label(),
        reference.attribute(),
        target_label(reference)
    );
    DANGLING_REFERENCE
        .finding_at(reference, message, note)
        .help("point the attribute at an existing object, or remove the value")
}

/// How messages name a reference's target: `virtual server \`1\` of \`EXEU02\``, `the MTA of
/// \`EXOLD\``, or its name, without the `\0ADEL:<guid>` of a deleted object.
fn target_label(dn: &Dn<'_>) -> String {
    let rdns = dn.rdns();
    let names: Vec<&str> = rdns.iter().map(|rdn| rdn.value.split('\n').next().unwrap_or_default()).collect();
    // A deleted object has left its place in the tree for `CN=Deleted Objects`.
    let place = if dn.is_deleted() { &names[..names.len().min(1)] } else { &names[..] };
    match *place {
        [instance, smtp, protocols, server, ..]
            if smtp.eq_ignore_ascii_case("SMTP") && protocols.eq_ignore_ascii_case("Protocols") =>
        {
            format!("virtual server `{instance}` of `{server}`")
        }
        [mta, server, ..] if mta.eq_ignore_ascii_case("Microsoft MTA") => format!("the MTA of `{server}`"),
        [name, ..] => format!("`{name}`"),
        [] => format!("`{}`", dn.text()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_targets_by_what_they_are() {
        let tail = "CN=Servers,CN=Europe Administrative Group,CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com";
        let label = |dn: String| target_label(&Dn::new(dn));
        assert_eq!(label(format!("CN=1,CN=SMTP,CN=Protocols,CN=EXEU02,{tail}")), "virtual server `1` of `EXEU02`");
        assert_eq!(label(format!("cn=2, cn=smtp, cn=protocols, cn=exeu02, {tail}")), "virtual server `2` of `exeu02`");
        assert_eq!(label(format!("CN=Microsoft MTA,CN=EXOLD,{tail}")), "the MTA of `EXOLD`");
        assert_eq!(
            label("CN=Europe RG\\0ADEL:5b1c0e5e-8d0f-4f8e-9f53-0c1f1b0c2d3e,CN=Deleted Objects,CN=Configuration,DC=contoso,DC=com".into()),
            "`Europe RG`"
        );
        assert_eq!(
            label("CN=Microsoft MTA\\0ADEL:1e2f7c3a-8b4d-4c6e-9a0f-3d5b7e9c1a24,CN=Deleted Objects,CN=Configuration,DC=contoso,DC=com".into()),
            "`Microsoft MTA`"
        );
        assert_eq!(label(String::new()), "``");
    }
}
