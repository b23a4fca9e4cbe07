//! Bit masks that SMTP virtual servers store as Integer attributes: the authentication methods
//! they accept (`msExchAuthenticationFlags`) and the ESMTP verbs they advertise
//! (`msExchSmtpInboundCommandSupportOptions`). Both are copies of IIS metabase properties,
//! which Exchange's DS2MB process writes from the directory to the metabase.

/// `msExchAuthenticationFlags`: which authentication methods a virtual server accepts. The bits
/// follow the IIS `AuthFlags` property (1 anonymous, 2 basic, 4 integrated Windows); that the
/// Exchange attribute uses the same bits is inferred, not documented (DOMAIN.md B.1), and is
/// consistent with Microsoft's advice to write 6 (basic and integrated) elsewhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuthenticationMethods(pub i64);

impl AuthenticationMethods {
    pub const ANONYMOUS: i64 = 1;
    pub const BASIC: i64 = 2;
    pub const INTEGRATED: i64 = 4;
    /// What Exchange 2000/2003 writes for a new virtual server (KB321757): all three.
    pub const DEFAULT: i64 = 7;

    pub fn allows_anonymous(self) -> bool {
        self.0 & Self::ANONYMOUS != 0
    }

    pub fn allows_basic(self) -> bool {
        self.0 & Self::BASIC != 0
    }

    /// The methods allowed, for messages: `anonymous, basic, integrated Windows`.
    pub fn names(self) -> String {
        bit_names(
            self.0,
            &[(Self::ANONYMOUS, "anonymous"), (Self::BASIC, "basic"), (Self::INTEGRATED, "integrated Windows")],
        )
    }
}

/// The names of the bits of `value` that `names` lists, in its order: `basic, integrated
/// Windows`, or `none`.
pub(super) fn bit_names(value: i64, names: &[(i64, &str)]) -> String {
    let set: Vec<&str> = names.iter().filter(|&&(bit, _)| value & bit != 0).map(|&(_, name)| name).collect();
    if set.is_empty() { "none".to_owned() } else { set.join(", ") }
}

/// One bit of `msExchSmtpInboundCommandSupportOptions` and the verb it advertises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EsmtpVerb {
    pub bit: i64,
    pub name: &'static str,
}

/// The verbs whose bits are documented (DOMAIN.md B.1, from KB257569 and a TechTarget tip).
/// KB257569 lists ENHANCEDSTATUSCODES among the verbs the value controls too, but its bit is in
/// none of exlint's sources, so it is named by its value like the other undocumented bits.
pub const ESMTP_VERBS: &[EsmtpVerb] = &[
    EsmtpVerb { bit: 64, name: "DSN" },
    EsmtpVerb { bit: 128, name: "ETRN" },
    EsmtpVerb { bit: 1024, name: "TURN/ATRN" },
    EsmtpVerb { bit: 1_048_576, name: "CHUNKING (BDAT)" },
    EsmtpVerb { bit: 2_097_152, name: "BINARYMIME" },
    EsmtpVerb { bit: 4_194_304, name: "8BITMIME" },
];

/// What Exchange 2003 writes for a new virtual server (KB321757), and the IIS schema default
/// of `SmtpInboundCommandSupportOptions`: every bit of it is a verb advertised by default.
pub const DEFAULT_INBOUND_COMMANDS: i64 = 7_697_601;

/// A bit of the default that a value lacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MissingVerb {
    pub bit: i64,
    /// The verb, when its bit is documented.
    pub name: Option<&'static str>,
}

impl std::fmt::Display for MissingVerb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.name {
            Some(name) => f.write_str(name),
            None => write!(f, "the undocumented bit {}", self.bit),
        }
    }
}

/// The bits of [`DEFAULT_INBOUND_COMMANDS`] that `value` does not set, lowest first. Bits set
/// beyond the default are not a loss, so they are not reported.
pub fn missing_default_verbs(value: i64) -> Vec<MissingVerb> {
    (0..63)
        .map(|shift| 1_i64 << shift)
        .filter(|bit| DEFAULT_INBOUND_COMMANDS & bit != 0 && value & bit == 0)
        .map(|bit| MissingVerb { bit, name: ESMTP_VERBS.iter().find(|verb| verb.bit == bit).map(|verb| verb.name) })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_has_every_documented_verb() {
        assert!(missing_default_verbs(DEFAULT_INBOUND_COMMANDS).is_empty());
        for verb in ESMTP_VERBS {
            assert_ne!(DEFAULT_INBOUND_COMMANDS & verb.bit, 0, "{}", verb.name);
        }
        // The default decomposed: six named verbs and six bits no source names.
        let bits: i64 =
            [1, 64, 128, 1024, 4096, 8192, 16384, 65536, 262_144, 1_048_576, 2_097_152, 4_194_304].iter().sum();
        assert_eq!(bits, DEFAULT_INBOUND_COMMANDS);
    }

    #[test]
    fn names_the_verbs_a_value_lacks() {
        // 3503297, quoted by some sources as the default, lacks 8BITMIME.
        assert_eq!(missing_default_verbs(3_503_297), vec![MissingVerb { bit: 4_194_304, name: Some("8BITMIME") }]);
        let missing = missing_default_verbs(DEFAULT_INBOUND_COMMANDS - 1_048_576 - 2_097_152 - 4096);
        let names: Vec<String> = missing.iter().map(ToString::to_string).collect();
        assert_eq!(names, ["the undocumented bit 4096", "CHUNKING (BDAT)", "BINARYMIME"]);
        assert_eq!(missing_default_verbs(0).len(), 12);
    }

    #[test]
    fn extra_bits_are_not_a_loss() {
        assert!(missing_default_verbs(DEFAULT_INBOUND_COMMANDS | 2 | (1 << 40)).is_empty());
        assert!(missing_default_verbs(-1).is_empty(), "all bits set");
    }

    #[test]
    fn reads_authentication_bits() {
        let default = AuthenticationMethods(AuthenticationMethods::DEFAULT);
        assert!(default.allows_anonymous() && default.allows_basic());
        assert_eq!(default.names(), "anonymous, basic, integrated Windows");
        let integrated = AuthenticationMethods(4);
        assert!(!integrated.allows_anonymous() && !integrated.allows_basic());
        assert_eq!(AuthenticationMethods(6).names(), "basic, integrated Windows");
        assert_eq!(AuthenticationMethods(0).names(), "none");
    }
}
