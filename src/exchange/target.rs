//! What a DN-valued attribute points at, as far as the export can tell: an exported entry, a
//! deleted object, an object that does not exist, or something the export does not show.
//!
//! A filtered export (ldifde `-r`, ldapsearch with a filter) lacks most targets of its
//! references for no fault of the directory, so a missing target alone proves nothing. A
//! target is taken to be dangling only when the export shows the place it would be: its
//! parent entry is exported, and so are objects of the class the attribute points at (so a
//! filter did not leave that class out).

use crate::directory::Dn;

use super::class::{Class, MTA, ROUTING_GROUP, SERVER, SMTP_VIRTUAL_SERVER};
use super::{Node, Reference, ReferenceKind, Topology};

/// The classes the DN-valued attributes of mail routing point at, for telling a dangling
/// reference from a filtered export.
pub(super) const TARGET_CLASSES: [Class; 4] = [SMTP_VIRTUAL_SERVER, MTA, ROUTING_GROUP, SERVER];

/// What a reference's DN points at.
#[derive(Clone, Debug)]
pub enum Target<'a> {
    /// The export holds the entry.
    Entry(Node<'a>),
    /// A deleted object: its RDN carries `\0ADEL:<guid>` or it lies in `CN=Deleted Objects`.
    Deleted,
    /// Not in the export although the export shows where it would be: its parent entry (given
    /// here) and objects of the class the attribute points at are exported.
    Dangling { parent: Node<'a> },
    /// Not in the export, and the export does not show enough around it to say it does not
    /// exist: a filtered export.
    NotExported,
}

impl<'a> Topology<'a> {
    /// What a reference points at.
    pub fn resolve(&self, reference: &Reference<'_>) -> Target<'a> {
        self.resolve_dn(&reference.value, reference.kind())
    }

    /// What `dn`, a reference of `kind`, points at.
    fn resolve_dn(&self, dn: &Dn<'_>, kind: Option<ReferenceKind>) -> Target<'a> {
        if dn.is_deleted() {
            return Target::Deleted;
        }
        let Some(directory) = self.directory else {
            return Target::NotExported;
        };
        let node = |entry: &'a crate::directory::Entry<'a>| Node::new(entry.dn.clone(), Some(entry));
        if let Some(entry) = directory.get_key(dn.key().as_str()) {
            return Target::Entry(node(entry));
        }
        let parent = dn.key().parent().and_then(|parent| directory.get_key(parent));
        let class_exported = kind
            .and_then(ReferenceKind::target_class)
            .is_none_or(|class| self.target_classes.iter().any(|name| name.eq_ignore_ascii_case(class.name)));
        match parent {
            Some(parent) if class_exported => Target::Dangling { parent: node(parent) },
            _ => Target::NotExported,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::builder::test_directory;

    const ORG: &str = "CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com";

    fn export(servers_container: bool, mta: bool) -> String {
        let servers = format!("CN=Servers,CN=First Administrative Group,CN=Administrative Groups,{ORG}");
        let mut text = String::new();
        if servers_container {
            text.push_str(&format!("dn: {servers}\nobjectClass: top\nobjectClass: container\ncn: Servers\n\n"));
        }
        text.push_str(&format!(
            "dn: CN=EXBH01,{servers}\nobjectClass: top\nobjectClass: server\nobjectClass: msExchExchangeServer\ncn: EXBH01\n\n"
        ));
        if mta {
            text.push_str(&format!("dn: CN=Microsoft MTA,CN=EXBH01,{servers}\nobjectClass: top\nobjectClass: mTA\n\n"));
        }
        text
    }

    fn resolve(text: &str, dn: &str, attribute: &str) -> String {
        let directory = test_directory(text);
        let topology = Topology::build(&directory);
        let kind = ReferenceKind::ALL.into_iter().find(|kind| kind.attribute().eq_ignore_ascii_case(attribute));
        match topology.resolve_dn(&Dn::new(dn), kind) {
            Target::Entry(entry) => format!("entry {}", entry.name),
            Target::Deleted => "deleted".to_owned(),
            Target::Dangling { parent } => format!("dangling below {}", parent.name),
            Target::NotExported => "not exported".to_owned(),
        }
    }

    #[test]
    fn finds_exported_targets_however_they_are_spelled() {
        let text = export(true, true);
        let dn = format!("cn=exbh01, cn=servers, cn=first administrative group, cn=administrative groups, {ORG}");
        assert_eq!(resolve(&text, &dn, "msExchRoutingMasterDN"), "entry EXBH01");
    }

    #[test]
    fn deleted_objects_are_deleted_whether_exported_or_not() {
        let deleted = "CN=EXOLD\\0ADEL:67729122-b25b-4d4c-b5b0-75ad9e9dacd4,CN=Deleted Objects,CN=Configuration,DC=contoso,DC=com";
        assert_eq!(resolve(&export(true, true), deleted, "msExchRoutingMasterDN"), "deleted");
    }

    #[test]
    fn missing_targets_dangle_only_where_the_export_shows_their_place() {
        let servers = format!("CN=Servers,CN=First Administrative Group,CN=Administrative Groups,{ORG}");
        let old_server = format!("CN=EXOLD,{servers}");
        assert_eq!(resolve(&export(true, true), &old_server, "msExchRoutingMasterDN"), "dangling below Servers");
        // The container is not exported: a filtered export.
        assert_eq!(resolve(&export(false, true), &old_server, "msExchRoutingMasterDN"), "not exported");
        // The server is exported, but no MTA at all: a filter left MTAs out.
        let mta = format!("CN=Microsoft MTA,CN=EXBH01,{servers}");
        let other_mta = format!("CN=Microsoft MTA,CN=EXOLD,{servers}");
        assert_eq!(resolve(&export(true, false), &mta, "homeMTA"), "not exported");
        assert_eq!(resolve(&export(true, true), &mta, "homeMTA"), "entry Microsoft MTA");
        // EXOLD itself is not exported, so its MTA's place is not shown.
        assert_eq!(resolve(&export(true, true), &other_mta, "homeMTA"), "not exported");
        // An attribute exlint knows no class for: the parent is enough.
        assert_eq!(resolve(&export(true, false), &old_server, "managedBy"), "dangling below Servers");
    }
}
