//! The directory index: entries by normalised DN, their parents and children, entries by
//! object class, and attribute lookup by name.
//!
//! Records are added in input order. Entries (content records and adds) are indexed; change
//! records are applied to what is already there, as a server importing the file would. A DN
//! seen twice keeps its first record and the second is reported. Several inputs merge into one
//! index. Once built, the index is read-only and shared between threads without locks.

mod dn;
mod note;

use std::collections::HashMap;

use crate::finding::Evidence;
use crate::ldif::{Attribute, Body, ChangeType, ModOp, Modification, Record, Value};
use crate::source::{Location, SourceId, Span};

pub use dn::{Dn, DnKey, Rdn};
pub use note::{Note, NoteKind};

/// Whether the index keeps the entry with this DN: the configuration partition
/// (`CN=Configuration,...`) and the Exchange tree (`CN=Microsoft Exchange,...`, whatever base
/// an export gives it) hold everything the topology and the rules read. Users, groups and
/// computers of the domain partitions, nearly all of a whole-forest export, are read and
/// validated but not indexed.
pub fn in_scope(dn: &str) -> bool {
    dn.split([',', ';']).any(|rdn| {
        rdn.split_once('=').is_some_and(|(attr, value)| {
            let value = value.trim();
            attr.trim().eq_ignore_ascii_case("cn")
                && (value.eq_ignore_ascii_case("Configuration") || value.eq_ignore_ascii_case("Microsoft Exchange"))
        })
    })
}

/// Index of an entry in its [`Directory`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryId(pub usize);

/// One object of the directory.
#[derive(Clone, Debug)]
pub struct Entry<'a> {
    pub dn: Dn<'a>,
    pub source: SourceId,
    /// The record that added the entry.
    pub span: Span,
    /// Its `dn:` line.
    pub dn_span: Span,
    attributes: Vec<Attribute<'a>>,
    parent: Option<EntryId>,
}

impl<'a> Entry<'a> {
    /// Where the entry is, for reports: its `dn:` line.
    pub fn location(&self) -> Location {
        Location { source: self.source, span: self.dn_span }
    }

    /// Where an attribute line of this entry is.
    pub fn location_of(&self, attribute: &Attribute<'_>) -> Location {
        Location { source: self.source, span: attribute.span }
    }

    /// The entry as a finding's evidence, pointed at by its `dn:` line, with what a rule makes
    /// of it.
    pub fn evidence(&self, note: impl Into<String>) -> Evidence {
        Evidence {
            location: self.location(),
            dn: self.dn.text().to_owned(),
            attribute: None,
            value: None,
            note: note.into(),
        }
    }

    /// An attribute line of the entry as a finding's evidence: the value as text, decoded when
    /// it was base64.
    pub fn value_evidence(&self, attribute: &Attribute<'_>, note: impl Into<String>) -> Evidence {
        Evidence {
            location: self.location_of(attribute),
            dn: self.dn.text().to_owned(),
            attribute: Some(attribute.description().to_owned()),
            value: Some(attribute.value.text().into_owned()),
            note: note.into(),
        }
    }

    /// Every attribute line, in file order.
    pub fn attributes(&self) -> &[Attribute<'a>] {
        &self.attributes
    }

    /// The lines of one attribute type (any options, any case), in file order.
    pub fn attribute<'e>(&'e self, name: &str) -> impl Iterator<Item = &'e Attribute<'a>> {
        self.attributes.iter().filter(move |attribute| attribute.is(name))
    }

    /// The values of one attribute type, in file order.
    pub fn values<'e>(&'e self, name: &str) -> impl Iterator<Item = &'e Value<'a>> {
        self.attribute(name).map(|attribute| &attribute.value)
    }

    /// The first value of an attribute as text.
    pub fn text(&self, name: &str) -> Option<String> {
        self.values(name).next().map(|value| value.text().into_owned())
    }

    /// Whether `objectClass` holds `class`, ignoring case.
    pub fn has_class(&self, class: &str) -> bool {
        self.values("objectClass").any(|value| value.text().trim().eq_ignore_ascii_case(class))
    }

    /// The class named by `objectCategory`: the first RDN's value (`ms-Exch-Exchange-Server`).
    pub fn category(&self) -> Option<String> {
        self.values("objectCategory").next().map(|value| Dn::new(value.text()).name())
    }

    pub fn parent(&self) -> Option<EntryId> {
        self.parent
    }
}

/// The index of all entries read from the inputs.
#[derive(Debug, Default)]
pub struct Directory<'a> {
    entries: Vec<Entry<'a>>,
    by_dn: HashMap<DnKey, EntryId>,
    children: Vec<Vec<EntryId>>,
    by_class: HashMap<String, Vec<EntryId>>,
    by_category: HashMap<String, Vec<EntryId>>,
    notes: Vec<Note>,
}

impl<'a> Directory<'a> {
    /// Entries in input order.
    pub fn entries(&self) -> &[Entry<'a>] {
        &self.entries
    }

    pub fn entry(&self, id: EntryId) -> &Entry<'a> {
        &self.entries[id.0]
    }

    /// The entry with this DN, however it is spelled.
    pub fn get(&self, dn: &str) -> Option<&Entry<'a>> {
        self.get_key(DnKey::of(dn).as_str())
    }

    pub fn get_key(&self, key: &str) -> Option<&Entry<'a>> {
        self.by_dn.get(key).map(|&id| self.entry(id))
    }

    pub fn children(&self, id: EntryId) -> impl Iterator<Item = &Entry<'a>> {
        self.children[id.0].iter().map(|&child| self.entry(child))
    }

    /// Entries whose `objectClass` holds `class` (any case), in input order.
    pub fn with_class(&self, class: &str) -> impl Iterator<Item = &Entry<'a>> {
        self.by_class.get(&class.to_lowercase()).into_iter().flatten().map(|&id| self.entry(id))
    }

    /// Entries of one class: `objectClass` holds `class`, or, for exports that left
    /// `objectClass` out, `objectCategory` names `category`. In input order, each once.
    pub fn of_class(&self, class: &str, category: &str) -> Vec<&Entry<'a>> {
        let lookup = |index: &HashMap<String, Vec<EntryId>>, name: &str| {
            index.get(&name.to_lowercase()).cloned().unwrap_or_default()
        };
        let mut ids = lookup(&self.by_class, class);
        ids.extend(lookup(&self.by_category, category));
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter().map(|id| self.entry(id)).collect()
    }

    /// What building the index noticed, in input order.
    pub fn notes(&self) -> &[Note] {
        &self.notes
    }
}

/// Builds a [`Directory`] from records in input order.
#[derive(Default)]
pub struct Builder<'a> {
    /// `None` where a delete record removed the entry.
    entries: Vec<Option<Entry<'a>>>,
    by_dn: HashMap<DnKey, usize>,
    notes: Vec<Note>,
}

impl<'a> Builder<'a> {
    pub fn new() -> Builder<'a> {
        Builder::default()
    }

    pub fn add(&mut self, source: SourceId, record: Record<'a>) {
        let dn = Dn::new(record.dn.text);
        let location = Location { source, span: record.dn.span };
        match record.body {
            Body::Attributes(attributes) => {
                self.insert(Entry { dn, source, span: record.span, dn_span: record.dn.span, attributes, parent: None });
            }
            Body::Modify(modifications) => {
                if let Some(entry) =
                    self.target(&dn, location, record.change).and_then(|index| self.entries[index].as_mut())
                {
                    modifications.into_iter().for_each(|modification| apply(entry, modification));
                }
            }
            Body::Delete => {
                if let Some(index) = self.target(&dn, location, record.change) {
                    self.by_dn.remove(dn.key());
                    self.entries[index] = None;
                }
            }
            Body::Rename { new_rdn, new_superior, .. } => {
                if self.target(&dn, location, record.change).is_some() {
                    let superior = match &new_superior {
                        Some(value) => value.text().into_owned(),
                        None => dn.ancestor(1).map(|parent| parent.text().to_owned()).unwrap_or_default(),
                    };
                    self.rename(&dn, &new_rdn.text(), &superior);
                }
            }
        }
    }

    fn insert(&mut self, entry: Entry<'a>) {
        if let Some(first) = self.by_dn.get(entry.dn.key()).and_then(|&index| self.entries[index].as_ref()) {
            self.notes.push(Note {
                kind: NoteKind::DuplicateDn,
                location: entry.location(),
                dn: entry.dn.text().to_owned(),
                message: format!("`{}` was already read; this record is ignored", entry.dn),
                related: Some(first.evidence("first read here")),
            });
            return;
        }
        self.by_dn.insert(entry.dn.key().clone(), self.entries.len());
        self.entries.push(Some(entry));
    }

    /// Where the entry a change record targets is, or a note saying it is absent.
    fn target(&mut self, dn: &Dn<'_>, location: Location, change: Option<ChangeType>) -> Option<usize> {
        match self.by_dn.get(dn.key()) {
            Some(&index) => Some(index),
            None => {
                self.notes.push(Note {
                    kind: NoteKind::ChangeTargetMissing,
                    location,
                    dn: dn.text().to_owned(),
                    message: format!(
                        "{} of `{dn}`, which is not in the export; the change is not applied",
                        change.map_or("change", change_name)
                    ),
                    related: None,
                });
                None
            }
        }
    }

    /// Renames an entry and, with it, every entry below it.
    fn rename(&mut self, old: &Dn<'_>, new_rdn: &str, superior: &str) {
        let new_text = if superior.is_empty() { new_rdn.to_owned() } else { format!("{new_rdn},{superior}") };
        let old_key = old.key().as_str().to_owned();
        let old_depth = old.key().depth();
        let mut renamed = Vec::new();
        for (index, slot) in self.entries.iter_mut().enumerate() {
            let Some(entry) = slot else { continue };
            let key = entry.dn.key();
            if key.as_str() != old_key && !key.is_below(&old_key) {
                continue;
            }
            // Below the renamed entry, keep the RDNs under it as the entry spells them: its DN
            // may spell the renamed part differently than the rename record does.
            let text = match entry.dn.leading(key.depth() - old_depth) {
                Some(below) if !below.is_empty() => format!("{below},{new_text}"),
                _ => new_text.clone(),
            };
            let dn = Dn::new(text);
            renamed.push((key.clone(), dn.key().clone(), index));
            entry.dn = dn;
        }
        for (old_key, new_key, index) in renamed {
            self.by_dn.remove(&old_key);
            self.by_dn.insert(new_key, index);
        }
    }

    pub fn finish(self) -> Directory<'a> {
        let mut entries: Vec<Entry<'a>> = self.entries.into_iter().flatten().collect();
        let by_dn: HashMap<DnKey, EntryId> =
            entries.iter().enumerate().map(|(index, entry)| (entry.dn.key().clone(), EntryId(index))).collect();
        let mut children = vec![Vec::new(); entries.len()];
        let mut by_class: HashMap<String, Vec<EntryId>> = HashMap::new();
        let mut by_category: HashMap<String, Vec<EntryId>> = HashMap::new();
        for (index, entry) in entries.iter_mut().enumerate() {
            let id = EntryId(index);
            entry.parent = entry.dn.key().parent().and_then(|parent| by_dn.get(parent)).copied();
            if let Some(parent) = entry.parent {
                children[parent.0].push(id);
            }
            for class in entry.values("objectClass") {
                by_class.entry(class.text().trim().to_lowercase()).or_default().push(id);
            }
            if let Some(category) = entry.category() {
                by_category.entry(category.to_lowercase()).or_default().push(id);
            }
        }
        Directory { entries, by_dn, children, by_class, by_category, notes: self.notes }
    }
}

fn change_name(change: ChangeType) -> &'static str {
    match change {
        ChangeType::Add | ChangeType::NtdsSchemaAdd => "an add",
        ChangeType::Delete | ChangeType::NtdsSchemaDelete => "a delete",
        ChangeType::Modify | ChangeType::NtdsSchemaModify => "a modify",
        ChangeType::ModRdn | ChangeType::ModDn | ChangeType::NtdsSchemaModRdn => "a rename",
    }
}

/// Applies one mod-spec as a server would.
fn apply<'a>(entry: &mut Entry<'a>, modification: Modification<'a>) {
    let name = modification.attribute.as_ref();
    let same_description = |attribute: &Attribute<'_>| attribute.description().eq_ignore_ascii_case(name);
    // New values stand where the attribute's values stand, as a server lists an attribute's
    // values together; a new attribute comes last.
    match modification.op {
        ModOp::Add => {
            let at =
                entry.attributes.iter().rposition(same_description).map_or(entry.attributes.len(), |last| last + 1);
            entry.attributes.splice(at..at, modification.values);
        }
        ModOp::Replace => {
            let at = entry.attributes.iter().position(same_description);
            entry.attributes.retain(|attribute| !same_description(attribute));
            let at = at.unwrap_or(entry.attributes.len());
            entry.attributes.splice(at..at, modification.values);
        }
        ModOp::Delete if modification.values.is_empty() => {
            entry.attributes.retain(|attribute| !same_description(attribute));
        }
        ModOp::Delete => entry.attributes.retain(|attribute| {
            !same_description(attribute)
                || !modification.values.iter().any(|value| value.value.bytes() == attribute.value.bytes())
        }),
        ModOp::Increment => {
            let Some(by) = modification.values.first() else {
                return;
            };
            let Ok(by) = by.value.text().trim().parse::<i64>() else {
                return;
            };
            for attribute in entry.attributes.iter_mut().filter(|attribute| same_description(attribute)) {
                if let Ok(current) = attribute.value.text().trim().parse::<i64>() {
                    let value = Value::computed(current.saturating_add(by).to_string(), modification.span);
                    *attribute = attribute.with_value(value);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ldif;

    fn build(text: &str) -> Directory<'_> {
        let mut builder = Builder::new();
        for record in ldif::records(text.as_bytes()) {
            builder.add(SourceId(0), record.expect("valid test LDIF"));
        }
        builder.finish()
    }

    #[test]
    fn finds_entries_however_their_dn_is_spelled() {
        let directory = build(
            "dn: CN=Servers,CN=AG,O=Org\nobjectClass: msExchServersContainer\n\ndn: cn=EXBH01, cn=servers, cn=ag, o=org\nobjectClass: top\nobjectClass: msExchExchangeServer\n",
        );
        let server = directory.get("CN=exbh01,CN=Servers,CN=AG,O=Org").expect("found");
        assert_eq!(server.dn.text(), "cn=EXBH01, cn=servers, cn=ag, o=org");
        let parent = directory.entry(server.parent().expect("parent"));
        assert_eq!(parent.dn.name(), "Servers");
        assert_eq!(directory.children(server.parent().unwrap()).count(), 1);
        assert_eq!(directory.with_class("MSEXCHEXCHANGESERVER").count(), 1);
    }

    #[test]
    fn scope_is_the_configuration_partition_and_the_exchange_tree() {
        assert!(in_scope(
            "CN=1,CN=SMTP,CN=Protocols,CN=EXBH01,CN=Servers,CN=AG,CN=Administrative Groups,CN=Org,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=x"
        ));
        assert!(in_scope("cn=Sites, cn = configuration ,dc=x"));
        assert!(in_scope("CN=Org,CN=Microsoft Exchange,O=Lab"));
        assert!(!in_scope("CN=Greta Tanaka,OU=People,DC=contoso,DC=com"));
        assert!(!in_scope("CN=Configuration Manager Admins,OU=Groups,DC=contoso,DC=com"));
        assert!(!in_scope(""));
    }

    #[test]
    fn missing_parents_are_fine() {
        let directory = build("dn: CN=1,CN=SMTP,CN=Protocols,CN=EXBH01,O=Org\ncn: 1\n");
        assert_eq!(directory.entries().len(), 1);
        assert_eq!(directory.entries()[0].parent(), None);
    }

    #[test]
    fn keeps_the_first_of_a_duplicated_dn_and_says_so() {
        let directory = build("dn: CN=a,O=x\ncn: first\n\ndn: cn=A,o=X\ncn: second\n");
        assert_eq!(directory.entries().len(), 1);
        assert_eq!(directory.get("cn=a,o=x").unwrap().text("cn").as_deref(), Some("first"));
        assert_eq!(directory.notes()[0].kind, NoteKind::DuplicateDn);
        assert_eq!(
            directory.notes()[0].related.as_ref().map(|first| first.location),
            Some(directory.entries()[0].location())
        );
    }

    #[test]
    fn renames_children_spelled_unlike_their_parent() {
        let directory = build(concat!(
            "dn: CN=old,  O=x\ncn: old\n\n",
            "dn: CN=xü,CN=old,O=x\ncn: child\n\n",
            "dn: cn=OLD,o=x\nchangetype: modrdn\nnewrdn: CN=new\ndeleteoldrdn: 1\n\n",
        ));
        assert_eq!(directory.get("cn=new,o=x").unwrap().dn.text(), "CN=new,o=x");
        assert_eq!(directory.get("cn=xü,cn=new,o=x").unwrap().dn.text(), "CN=xü,CN=new,o=x");
    }

    #[test]
    fn applies_change_records_in_order() {
        let directory = build(concat!(
            "dn: CN=c,O=x\nchangetype: add\nrouting: a\nrouting: b\ncount: 5\nremove: me\n\n",
            "dn: cn=c,o=x\nchangetype: modify\nadd: routing\nrouting: c\n-\ndelete: routing\nrouting: a\n-\n",
            "replace: extra\nextra: 1\n-\nincrement: count\ncount: 2\n-\ndelete: remove\n-\n\n",
            "dn: CN=gone,O=x\ncn: gone\n\ndn: CN=gone,O=x\nchangetype: delete\n\n",
            "dn: CN=old,O=x\ncn: old\n\ndn: CN=child,CN=old,O=x\ncn: child\n\n",
            "dn: CN=old,O=x\nchangetype: modrdn\nnewrdn: CN=new\ndeleteoldrdn: 1\n\n",
            "dn: CN=absent,O=x\nchangetype: modify\nreplace: a\na: 1\n",
        ));
        let entry = directory.get("cn=c,o=x").unwrap();
        let routing: Vec<_> = entry.values("routing").map(|v| v.text().into_owned()).collect();
        assert_eq!(routing, ["b", "c"]);
        assert_eq!(entry.text("extra").as_deref(), Some("1"));
        assert_eq!(entry.text("count").as_deref(), Some("7"));
        assert_eq!(entry.values("remove").count(), 0);
        assert!(directory.get("cn=gone,o=x").is_none());
        assert!(directory.get("cn=old,o=x").is_none());
        let child = directory.get("CN=child,CN=new,O=x").expect("renamed with its parent");
        assert_eq!(directory.entry(child.parent().unwrap()).dn.text(), "CN=new,O=x");
        assert_eq!(directory.notes().len(), 1);
        assert_eq!(directory.notes()[0].kind, NoteKind::ChangeTargetMissing);
    }
}
