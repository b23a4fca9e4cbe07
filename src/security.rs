//! Windows security descriptors as Active Directory stores them in `nTSecurityDescriptor`: the
//! self-relative `SECURITY_DESCRIPTOR` of [MS-DTYP] 2.4.6, of which exlint reads the DACL
//! ([MS-DTYP] 2.4.5), its access-allowed and access-denied ACEs, plain ([MS-DTYP] 2.4.4.2,
//! 2.4.4.4) and object ACEs ([MS-DTYP] 2.4.4.3, 2.4.4.5), with their SIDs ([MS-DTYP] 2.4.2.2)
//! and object-type GUIDs ([MS-DTYP] 2.3.4.2).
//!
//! Every offset and length is checked against the value's bytes: a truncated or inconsistent
//! descriptor is an error that says where, never a panic. ACEs of other types (audit, callback,
//! mandatory label) are kept as `Other` so that the order of the DACL is kept.
//!
//! [MS-DTYP]: https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-dtyp/

use std::fmt;

/// `ADS_RIGHT_DS_CONTROL_ACCESS`: the access-mask bit of extended rights ([MS-ADTS] 5.1.3.2).
pub const CONTROL_ACCESS: u32 = 0x100;
/// `GENERIC_ALL` and the rights it maps to on directory objects.
pub const GENERIC_ALL: u32 = 0x1000_0000;

/// A security identifier: `S-1-5-7`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sid {
    pub revision: u8,
    pub authority: u64,
    pub sub_authorities: Vec<u32>,
}

impl Sid {
    /// ANONYMOUS LOGON, the identity of unauthenticated SMTP sessions.
    pub fn anonymous() -> Sid {
        Sid { revision: 1, authority: 5, sub_authorities: vec![7] }
    }

    /// Everyone (`S-1-1-0`).
    pub fn everyone() -> Sid {
        Sid { revision: 1, authority: 1, sub_authorities: vec![0] }
    }

    /// Reads a SID at the start of `bytes`, returning it and its length.
    fn read(bytes: &[u8], at: usize) -> Result<(Sid, usize), DescriptorError> {
        let header = slice(bytes, at, 8, "SID")?;
        let count = usize::from(header[1]);
        let length = 8 + 4 * count;
        let whole = slice(bytes, at, length, "SID")?;
        let authority = whole[2..8].iter().fold(0u64, |value, &byte| value << 8 | u64::from(byte));
        let sub_authorities = whole[8..].chunks_exact(4).map(|chunk| u32::from_le_bytes(array(chunk))).collect();
        Ok((Sid { revision: header[0], authority, sub_authorities }, length))
    }

    /// The name Windows gives well-known SIDs, for messages.
    pub fn well_known_name(&self) -> Option<&'static str> {
        match (self.authority, self.sub_authorities.as_slice()) {
            (1, [0]) => Some("Everyone"),
            (5, [7]) => Some("NT AUTHORITY\\ANONYMOUS LOGON"),
            (5, [11]) => Some("NT AUTHORITY\\Authenticated Users"),
            (5, [18]) => Some("NT AUTHORITY\\SYSTEM"),
            _ => None,
        }
    }
}

impl fmt::Display for Sid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "S-{}-{}", self.revision, self.authority)?;
        for sub_authority in &self.sub_authorities {
            write!(f, "-{sub_authority}")?;
        }
        Ok(())
    }
}

/// A GUID, compared by value; written as Active Directory writes `rightsGuid`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Guid(pub [u8; 16]);

impl Guid {
    /// From the 16 bytes of an ACE: the first three fields are little-endian ([MS-DTYP] 2.3.4.2).
    fn from_wire(bytes: [u8; 16]) -> Guid {
        let mut canonical = bytes;
        canonical[0..4].reverse();
        canonical[4..6].reverse();
        canonical[6..8].reverse();
        Guid(canonical)
    }

    /// Parses `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, with or without braces, any case.
    pub fn parse(text: &str) -> Option<Guid> {
        let text = text.trim();
        let text = text.strip_prefix('{').and_then(|rest| rest.strip_suffix('}')).unwrap_or(text);
        let groups: Vec<&str> = text.split('-').collect();
        if groups.iter().map(|group| group.len()).collect::<Vec<_>>() != [8, 4, 4, 4, 12] {
            return None;
        }
        let hex: String = groups.concat();
        let mut bytes = [0u8; 16];
        for (index, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(hex.get(2 * index..2 * index + 2)?, 16).ok()?;
        }
        Some(Guid(bytes))
    }
}

impl fmt::Display for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, byte) in self.0.iter().enumerate() {
            if matches!(index, 4 | 6 | 8 | 10) {
                f.write_str("-")?;
            }
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

/// Whether an ACE grants or denies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AceKind {
    Allow,
    Deny,
    /// Any other ACE type, by number: it neither grants nor denies what exlint asks about.
    Other(u8),
}

/// One ACE of a DACL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ace {
    pub kind: AceKind,
    /// `AceFlags`: inheritance; `INHERIT_ONLY_ACE` (0x08) ACEs do not apply to the object.
    pub flags: u8,
    pub mask: u32,
    /// The right or property the ACE is about, for object ACEs that name one.
    pub object_type: Option<Guid>,
    pub sid: Option<Sid>,
}

impl Ace {
    const INHERIT_ONLY: u8 = 0x08;

    /// Whether the ACE applies to the object itself (not only to objects below it).
    pub fn applies_to_object(&self) -> bool {
        self.flags & Self::INHERIT_ONLY == 0
    }

    /// Whether the ACE covers the extended right `right`: control access on that right, or on
    /// every right (an ACE without object type), or `GENERIC_ALL`.
    pub fn covers_extended_right(&self, right: Guid) -> bool {
        let access = self.mask & (CONTROL_ACCESS | GENERIC_ALL) != 0;
        access && self.object_type.is_none_or(|object_type| object_type == right)
    }
}

/// What exlint reads of a self-relative security descriptor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecurityDescriptor {
    /// `None` when the descriptor has no DACL (`SE_DACL_PRESENT` clear): everyone has every
    /// right. An empty DACL grants nothing.
    pub dacl: Option<Vec<Ace>>,
}

impl SecurityDescriptor {
    const DACL_PRESENT: u16 = 0x0004;
    const SELF_RELATIVE: u16 = 0x8000;

    /// Reads a self-relative descriptor.
    pub fn parse(bytes: &[u8]) -> Result<SecurityDescriptor, DescriptorError> {
        let header = slice(bytes, 0, 20, "security descriptor header")?;
        if header[0] != 1 {
            return Err(DescriptorError::new(0, format!("revision {} (only 1 exists)", header[0])));
        }
        let control = u16::from_le_bytes([header[2], header[3]]);
        if control & Self::SELF_RELATIVE == 0 {
            return Err(DescriptorError::new(2, "not self-relative (SE_SELF_RELATIVE is clear)".to_owned()));
        }
        let dacl_offset = u32_at(header, 16) as usize;
        if control & Self::DACL_PRESENT == 0 || dacl_offset == 0 {
            return Ok(SecurityDescriptor { dacl: None });
        }
        Ok(SecurityDescriptor { dacl: Some(read_acl(bytes, dacl_offset)?) })
    }

    /// Whether `sid` is granted the extended right `right` on the object: the first ACE of the
    /// DACL that applies to the object, names `sid` and covers the right decides, as the
    /// access check does for a single right; a DACL that grants nothing to `sid` denies.
    /// Says what grants it, when something does.
    pub fn grants_extended_right(&self, sid: &Sid, right: Guid) -> Option<Grant> {
        let Some(dacl) = &self.dacl else { return Some(Grant::NoDacl) };
        let (index, ace) = dacl.iter().enumerate().find(|(_, ace)| {
            matches!(ace.kind, AceKind::Allow | AceKind::Deny)
                && ace.applies_to_object()
                && ace.sid.as_ref() == Some(sid)
                && ace.covers_extended_right(right)
        })?;
        (ace.kind == AceKind::Allow).then_some(Grant::Ace(index))
    }
}

/// What grants a right.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grant {
    /// The descriptor has no DACL, which grants every right to everyone.
    NoDacl,
    /// The DACL's ACE at this index (from 0).
    Ace(usize),
}

fn read_acl(bytes: &[u8], at: usize) -> Result<Vec<Ace>, DescriptorError> {
    let header = slice(bytes, at, 8, "ACL header")?;
    let size = usize::from(u16::from_le_bytes([header[2], header[3]]));
    let count = usize::from(u16::from_le_bytes([header[4], header[5]]));
    let acl = slice(bytes, at, size.max(8), "ACL")?;
    let mut aces = Vec::with_capacity(count.min(1024));
    let mut offset = 8;
    for _ in 0..count {
        let ace_header = slice(acl, offset, 4, "ACE header").map_err(|error| error.shifted(at))?;
        let ace_size = usize::from(u16::from_le_bytes([ace_header[2], ace_header[3]]));
        if ace_size < 4 {
            return Err(DescriptorError::new(at + offset, format!("ACE of {ace_size} bytes")));
        }
        let ace = slice(acl, offset, ace_size, "ACE").map_err(|error| error.shifted(at))?;
        aces.push(read_ace(ace).map_err(|error| error.shifted(at + offset))?);
        offset += ace_size;
    }
    Ok(aces)
}

fn read_ace(ace: &[u8]) -> Result<Ace, DescriptorError> {
    const ALLOWED: u8 = 0x00;
    const DENIED: u8 = 0x01;
    const ALLOWED_OBJECT: u8 = 0x05;
    const DENIED_OBJECT: u8 = 0x06;
    const OBJECT_TYPE_PRESENT: u32 = 0x1;
    const INHERITED_OBJECT_TYPE_PRESENT: u32 = 0x2;
    let (kind, object) = match ace[0] {
        ALLOWED => (AceKind::Allow, false),
        DENIED => (AceKind::Deny, false),
        ALLOWED_OBJECT => (AceKind::Allow, true),
        DENIED_OBJECT => (AceKind::Deny, true),
        other => return Ok(Ace { kind: AceKind::Other(other), flags: ace[1], mask: 0, object_type: None, sid: None }),
    };
    let mask = u32_at(slice(ace, 4, 4, "access mask")?, 0);
    let mut at = 8;
    let mut object_type = None;
    if object {
        let flags = u32_at(slice(ace, 8, 4, "object ACE flags")?, 0);
        at = 12;
        if flags & OBJECT_TYPE_PRESENT != 0 {
            object_type = Some(Guid::from_wire(array(slice(ace, at, 16, "object type GUID")?)));
            at += 16;
        }
        if flags & INHERITED_OBJECT_TYPE_PRESENT != 0 {
            slice(ace, at, 16, "inherited object type GUID")?;
            at += 16;
        }
    }
    let (sid, _) = Sid::read(ace, at)?;
    Ok(Ace { kind, flags: ace[1], mask, object_type, sid: Some(sid) })
}

/// `length` bytes at `at`, or an error naming what was cut short.
fn slice<'b>(bytes: &'b [u8], at: usize, length: usize, what: &str) -> Result<&'b [u8], DescriptorError> {
    at.checked_add(length).and_then(|end| bytes.get(at..end)).ok_or_else(|| {
        DescriptorError::new(
            at,
            format!("{what} of {length} bytes does not fit in the {} bytes of the value", bytes.len()),
        )
    })
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(array(&bytes[at..at + 4]))
}

fn array<const N: usize>(bytes: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(&bytes[..N]);
    out
}

/// Why a value is not a security descriptor exlint can read, and at which byte.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DescriptorError {
    pub offset: usize,
    pub message: String,
}

impl DescriptorError {
    fn new(offset: usize, message: String) -> DescriptorError {
        DescriptorError { offset, message }
    }

    fn shifted(self, by: usize) -> DescriptorError {
        DescriptorError { offset: self.offset + by, ..self }
    }
}

impl fmt::Display for DescriptorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at byte {}: {}", self.offset, self.message)
    }
}

/// Builds self-relative descriptors for the tests: the inverse of
/// [`SecurityDescriptor::parse`] for the ACEs it reads.
#[cfg(test)]
mod build {
    use super::{AceKind, Guid, Sid};

    /// One ACE to write.
    pub(super) struct AceSpec<'s> {
        pub kind: AceKind,
        pub mask: u32,
        pub object_type: Option<Guid>,
        pub sid: &'s Sid,
    }

    fn sid_bytes(sid: &Sid) -> Vec<u8> {
        let mut out = vec![sid.revision, sid.sub_authorities.len() as u8];
        out.extend_from_slice(&sid.authority.to_be_bytes()[2..]);
        for sub_authority in &sid.sub_authorities {
            out.extend_from_slice(&sub_authority.to_le_bytes());
        }
        out
    }

    fn guid_wire(guid: Guid) -> [u8; 16] {
        let mut bytes = guid.0;
        bytes[0..4].reverse();
        bytes[4..6].reverse();
        bytes[6..8].reverse();
        bytes
    }

    /// A descriptor with an owner, no group or SACL, and a DACL of `aces`.
    pub(super) fn descriptor(owner: &Sid, aces: &[AceSpec<'_>]) -> Vec<u8> {
        let mut acl_body = Vec::new();
        for ace in aces {
            let mut body = ace.mask.to_le_bytes().to_vec();
            let object = ace.object_type.is_some();
            if let Some(guid) = ace.object_type {
                body.extend_from_slice(&1u32.to_le_bytes());
                body.extend_from_slice(&guid_wire(guid));
            }
            body.extend(sid_bytes(ace.sid));
            let kind = match (ace.kind, object) {
                (AceKind::Allow, false) => 0,
                (AceKind::Deny, false) => 1,
                (AceKind::Allow, true) => 5,
                (AceKind::Deny, true) => 6,
                (AceKind::Other(kind), _) => kind,
            };
            acl_body.extend([kind, 0]);
            acl_body.extend_from_slice(&((body.len() + 4) as u16).to_le_bytes());
            acl_body.extend(body);
        }
        let owner = sid_bytes(owner);
        let dacl_offset = 20 + owner.len();
        let mut out = vec![1, 0];
        out.extend_from_slice(&(0x8004u16).to_le_bytes());
        out.extend_from_slice(&20u32.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&(dacl_offset as u32).to_le_bytes());
        out.extend(owner);
        out.extend([4, 0]);
        out.extend_from_slice(&((acl_body.len() + 8) as u16).to_le_bytes());
        out.extend_from_slice(&(aces.len() as u16).to_le_bytes());
        out.extend([0, 0]);
        out.extend(acl_body);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::build::{AceSpec, descriptor};
    use super::*;

    const RIGHT: &str = "11111111-2222-3333-4444-555555555555";

    fn right() -> Guid {
        Guid::parse(RIGHT).unwrap()
    }

    fn system() -> Sid {
        Sid { revision: 1, authority: 5, sub_authorities: vec![18] }
    }

    #[test]
    fn guids_round_trip_and_read_the_wire_order() {
        let guid = right();
        assert_eq!(guid.to_string(), RIGHT);
        assert_eq!(Guid::parse("{11111111-2222-3333-4444-555555555555}"), Some(guid));
        assert_eq!(Guid::parse("1111-2222"), None);
        assert_eq!(Guid::parse("zz111111-2222-3333-4444-555555555555"), None);
        let wire = [0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x33, 0x33, 0x44, 0x44, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55];
        assert_eq!(Guid::from_wire(wire), guid);
        let asymmetric = Guid::parse("01020304-0506-0708-090a-0b0c0d0e0f10").unwrap();
        let wire = [4, 3, 2, 1, 6, 5, 8, 7, 9, 10, 11, 12, 13, 14, 15, 16];
        assert_eq!(Guid::from_wire(wire), asymmetric);
    }

    #[test]
    fn reads_sids_and_names_the_well_known_ones() {
        let bytes = [1, 1, 0, 0, 0, 0, 0, 5, 7, 0, 0, 0];
        let (sid, length) = Sid::read(&bytes, 0).unwrap();
        assert_eq!((sid.to_string(), length), ("S-1-5-7".to_owned(), 12));
        assert_eq!(sid, Sid::anonymous());
        assert_eq!(sid.well_known_name(), Some("NT AUTHORITY\\ANONYMOUS LOGON"));
    }

    #[test]
    fn an_object_ace_for_anonymous_grants_the_right() {
        let anonymous = Sid::anonymous();
        let bytes = descriptor(
            &system(),
            &[AceSpec { kind: AceKind::Allow, mask: CONTROL_ACCESS, object_type: Some(right()), sid: &anonymous }],
        );
        let parsed = SecurityDescriptor::parse(&bytes).unwrap();
        assert_eq!(parsed.grants_extended_right(&anonymous, right()), Some(Grant::Ace(0)));
        let other = Guid::parse("99999999-2222-3333-4444-555555555555").unwrap();
        assert_eq!(parsed.grants_extended_right(&anonymous, other), None);
        assert_eq!(parsed.grants_extended_right(&Sid::everyone(), right()), None);
    }

    #[test]
    fn a_deny_before_the_allow_wins_and_plain_control_access_covers_every_right() {
        let anonymous = Sid::anonymous();
        let deny = AceSpec { kind: AceKind::Deny, mask: CONTROL_ACCESS, object_type: Some(right()), sid: &anonymous };
        let allow_all = AceSpec { kind: AceKind::Allow, mask: CONTROL_ACCESS, object_type: None, sid: &anonymous };
        let denied = SecurityDescriptor::parse(&descriptor(&system(), &[deny, allow_all])).unwrap();
        assert_eq!(denied.grants_extended_right(&anonymous, right()), None);
        let allow_all = AceSpec { kind: AceKind::Allow, mask: CONTROL_ACCESS, object_type: None, sid: &anonymous };
        let granted = SecurityDescriptor::parse(&descriptor(&system(), &[allow_all])).unwrap();
        assert_eq!(granted.grants_extended_right(&anonymous, right()), Some(Grant::Ace(0)));
        let read_only = AceSpec { kind: AceKind::Allow, mask: 0x10, object_type: None, sid: &anonymous };
        let reads = SecurityDescriptor::parse(&descriptor(&system(), &[read_only])).unwrap();
        assert_eq!(reads.grants_extended_right(&anonymous, right()), None);
    }

    #[test]
    fn damaged_descriptors_are_errors_that_say_where() {
        let anonymous = Sid::anonymous();
        let bytes = descriptor(
            &system(),
            &[AceSpec { kind: AceKind::Allow, mask: CONTROL_ACCESS, object_type: Some(right()), sid: &anonymous }],
        );
        for cut in 0..bytes.len() {
            assert!(SecurityDescriptor::parse(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        assert_eq!(SecurityDescriptor::parse(&[2; 20]).unwrap_err().message, "revision 2 (only 1 exists)");
        let mut absolute = bytes.clone();
        absolute[3] = 0;
        assert!(SecurityDescriptor::parse(&absolute).unwrap_err().message.contains("self-relative"));
        let mut no_dacl = bytes;
        no_dacl[2] = 0;
        let no_dacl = SecurityDescriptor::parse(&no_dacl).unwrap();
        assert_eq!(no_dacl.dacl, None);
        assert_eq!(no_dacl.grants_extended_right(&anonymous, right()), Some(Grant::NoDacl));
    }

    #[test]
    fn never_panics_on_arbitrary_bytes() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for length in 0..400 {
            let bytes: Vec<u8> = (0..length)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    (state & 0xff) as u8
                })
                .collect();
            let mut header = bytes.clone();
            if header.len() >= 20 {
                header[0] = 1;
                header[3] |= 0x80;
                header[2] |= 0x04;
            }
            let _ = SecurityDescriptor::parse(&header);
        }
    }
}
