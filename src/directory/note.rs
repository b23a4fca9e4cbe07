//! What building the index noticed about the export as a whole.

use crate::finding::Evidence;
use crate::source::Location;

crate::declare_codes! {
    /// Things the index reports about records that are each valid on their own.
    NoteKind;

    /// ## What it finds
    /// A DN that appears in more than one record: in one export, or across the files given
    /// to one `exlint check`. DNs are compared normalised, so `CN=EXBH01,...` and
    /// `cn=exbh01, ...` are the same object.
    ///
    /// ## Why it matters
    /// Only the first record is analysed; what the later ones say is ignored. Overlapping
    /// exports (the configuration partition plus a whole-forest export) cause this
    /// harmlessly; two different records for one object mean the export was assembled from
    /// different points in time.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=EXBH01,CN=Servers,CN=First Administrative Group,...
    /// serialNumber: Version 6.5 (Build 7638.2: Service Pack 2)
    ///
    /// dn: cn=exbh01,cn=servers,cn=first administrative group,...
    /// serialNumber: Version 6.5 (Build 6944.4)
    /// ```
    ///
    /// ## How to fix
    /// Pass each object once: drop the overlapping file, or export again in one pass. Ranged
    /// retrieval (`member;range=0-1499`) legitimately repeats a DN; such exports should be
    /// taken without ranges (`ldifde` does that itself).
    DuplicateDn = ("DIR001", "duplicate-dn", "DN appears in more than one record"),

    /// ## What it finds
    /// A `changetype: modify`, `delete` or `modrdn` record whose target is not in the
    /// export (nor added by an earlier record).
    ///
    /// ## Why it matters
    /// The change cannot be applied, so the analysis sees the object as the export has it,
    /// without the change, if it sees it at all.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Internet Mail,CN=Connections,CN=First Routing Group,...
    /// changetype: modify
    /// replace: routingList
    /// routingList: SMTP:*;1
    /// -
    /// ```
    ///
    /// ## How to fix
    /// Give exlint the export that holds the target too, before the file of changes.
    ChangeTargetMissing = ("DIR002", "change-target-missing", "Change record targets an entry that is not in the export"),
}

/// One thing the index noticed, located at the record it concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub kind: NoteKind,
    pub location: Location,
    pub dn: String,
    pub message: String,
    /// Another record involved: the first record of a duplicated DN.
    pub related: Option<Evidence>,
}
