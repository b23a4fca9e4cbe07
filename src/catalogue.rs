//! Declaring diagnostic kinds that are not rules: each a stable code, a name, a title and a
//! reference page written as its doc comment (like a rule's), so that `exlint explain` and the
//! generated pages in `docs/rules/` treat them alike.

/// Declares an enum of kinds with `code()`, `name()`, `title()`, `docs()` and `ALL`.
#[macro_export]
#[doc(hidden)]
macro_rules! declare_codes {
    (
        $(#[doc = $enum_doc:literal])* $kinds:ident;
        $( $(#[doc = $doc:literal])* $kind:ident = ($code:literal, $name:literal, $title:literal), )*
    ) => {
        $(#[doc = $enum_doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $kinds {
            $( $(#[doc = $doc])* $kind, )*
        }

        impl $kinds {
            pub const ALL: &'static [$kinds] = &[$($kinds::$kind),*];

            pub fn code(self) -> &'static str {
                match self { $($kinds::$kind => $code,)* }
            }

            pub fn name(self) -> &'static str {
                match self { $($kinds::$kind => $name,)* }
            }

            pub fn title(self) -> &'static str {
                match self { $($kinds::$kind => $title,)* }
            }

            /// The reference page: the doc comment above the kind.
            pub fn docs(self) -> &'static str {
                match self { $($kinds::$kind => concat!($($doc, "\n"),*),)* }
            }
        }

        impl $crate::catalogue::Declared for $kinds {
            fn code(self) -> &'static str {
                $kinds::code(self)
            }

            fn name(self) -> &'static str {
                $kinds::name(self)
            }

            fn title(self) -> &'static str {
                $kinds::title(self)
            }

            fn docs(self) -> &'static str {
                $kinds::docs(self)
            }
        }
    };
}

/// A kind declared with `declare_codes!`: what the catalogue and findings need of it.
pub trait Declared: Copy {
    fn code(self) -> &'static str;
    fn name(self) -> &'static str;
    fn title(self) -> &'static str;
    fn docs(self) -> &'static str;
}

use std::sync::LazyLock;

use crate::csvde;
use crate::directory::NoteKind;
use crate::finding::Severity;
use crate::ldif::ErrorKind;
use crate::rules::{RULES, RuleOption};

/// The version of the catalogue, so that a report says which catalogue judged it: the last line
/// of `src/catalogue-versions.tsv`, which lists each version with a digest of every code's code,
/// name, severity and title. The file is generated: when the catalogue changes, a meta-test
/// (`tests/catalogue.rs`) fails until `EXLINT_BLESS=1 cargo test --test catalogue` adds the next
/// version.
pub const VERSION: u32 = last_version(include_str!("catalogue-versions.tsv"));

/// The number that starts the last line of `versions` (`<version>\t<digest>` lines).
const fn last_version(versions: &str) -> u32 {
    let bytes = versions.as_bytes();
    let mut end = bytes.len();
    while end > 0 && bytes[end - 1] == b'\n' {
        end -= 1;
    }
    let mut start = end;
    while start > 0 && bytes[start - 1] != b'\n' {
        start -= 1;
    }
    let mut version = 0;
    while start < end && bytes[start].is_ascii_digit() {
        version = version * 10 + (bytes[start] - b'0') as u32;
        start += 1;
    }
    version
}

/// A family of codes: the prefix they share and what they are about, for the README and
/// `exlint rules`. Every code belongs to one (`tests/catalogue.rs` checks it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Family {
    pub prefix: &'static str,
    pub about: &'static str,
}

/// The families, in the order their codes come in the catalogue.
pub const FAMILIES: &[Family] = &[
    Family {
        prefix: "SMTP",
        about: "SMTP virtual servers of Exchange 2000/2003 (bindings, smart hosts, limits, authentication, ESMTP verbs, queue, FQDN) and receive connectors of Exchange 2007+",
    },
    Family {
        prefix: "CONN",
        about: "SMTP connectors, Send connectors, routing group and X.400 connectors: address spaces, smart hosts, bridgeheads, reciprocal connectors, Internet connectors",
    },
    Family {
        prefix: "ROUTE",
        about: "routing loops, routing group masters, administrative and routing groups of Exchange 2007, dangling references",
    },
    Family {
        prefix: "ORG",
        about: "the organization's message size and recipient limits (Message Delivery, Transport Settings)",
    },
    Family {
        prefix: "RECV",
        about: "receive connectors of Exchange 2007 and later: relay permissions, authentication, TLS",
    },
    Family {
        prefix: "SEND",
        about: "Send connectors of Exchange 2007 and later: TLS on the way out, certificate names",
    },
    Family { prefix: "DOM", about: "accepted domains: relay domains, the default domain" },
    Family {
        prefix: "HYB",
        about: "hybrid with Exchange Online: the Send connector to the cloud, the hybrid configuration object",
    },
    Family { prefix: "CERT", about: "certificates: the internal transport certificate of Exchange 2013 and later" },
    Family {
        prefix: "VER",
        about: "pre-release Exchange builds, versions past their end of support, versions that cannot coexist",
    },
    Family {
        prefix: "LDIF",
        about: "malformed records (missing `dn:`, bad base64, orphan continuation lines, ...), Windows-1252 text, URL values",
    },
    Family {
        prefix: "CSV",
        about: "malformed csvde rows: unclosed quotes, rows that do not fit the header, bad `X'hex'` values, ...",
    },
    Family { prefix: "DIR", about: "a DN in several records; a change record whose target is absent" },
];

impl Family {
    /// The family a code belongs to.
    pub fn of(code: &str) -> Option<&'static Family> {
        let prefix = code.trim_end_matches(|c: char| c.is_ascii_digit());
        FAMILIES.iter().find(|family| family.prefix == prefix)
    }
}

/// A malformed csvde row is an error: its data is not analysed.
pub const CSV_ROW_SEVERITY: Severity = Severity::Error;
/// What the index notices is worth knowing but does not stop the analysis.
pub const DIRECTORY_SEVERITY: Severity = Severity::Info;

/// A code exlint can report, with its reference page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Code {
    pub code: &'static str,
    pub name: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    /// `ExBPA`, `exlint` (a native rule), `reader` or `directory`.
    pub origin: &'static str,
    /// The page as written in the doc comment (each line with its leading space).
    docs: &'static str,
    /// Numbers `[rules.CODE]` may change.
    pub options: &'static [RuleOption],
}

impl Code {
    /// The reference page in Markdown, as `exlint explain` prints it and `docs/rules/` holds it.
    pub fn page(&self) -> String {
        let mut page = format!(
            "# {} `{}`\n\n**{}**\n\n| Severity | Origin |\n|---|---|\n| {} | {} |\n\n",
            self.code, self.name, self.title, self.severity, self.origin
        );
        for line in self.docs.lines() {
            page.push_str(line.strip_prefix(' ').unwrap_or(line));
            page.push('\n');
        }
        if !self.options.is_empty() {
            page.push_str("\n## Options\n\nIn `exlint.toml`, under `[rules.");
            page.push_str(self.code);
            page.push_str("]`:\n\n| option | default | meaning |\n|---|---|---|\n");
            for option in self.options {
                page.push_str(&format!("| `{}` | {} | {} |\n", option.name, option.default, option.help));
            }
        }
        page
    }

    /// A section of the page, from its `## heading` line to the next heading, trimmed, in
    /// Markdown.
    pub fn section(&self, heading: &str) -> Option<String> {
        let mut lines = self.docs.lines().map(|line| line.strip_prefix(' ').unwrap_or(line));
        lines.by_ref().find(|line| line.strip_prefix("## ") == Some(heading))?;
        let body: Vec<&str> = lines.take_while(|line| !line.starts_with("## ")).collect();
        Some(body.join("\n").trim().to_owned())
    }

    /// Whether the page has every section a reference page must have.
    pub fn missing_sections(&self) -> Vec<&'static str> {
        let required: &[&str] = match self.origin {
            "reader" | "directory" => &["What it finds", "Why it matters", "Example", "How to fix"],
            _ => &["What it finds", "Why it matters", "Example", "How to fix", "Origin"],
        };
        required.iter().copied().filter(|section| !self.docs.contains(&format!("## {section}\n"))).collect()
    }
}

/// Every code: the rules in code order, then the readers' (LDIF, then csvde), then the index's.
/// Built once.
pub fn catalogue() -> &'static [Code] {
    static CATALOGUE: LazyLock<Vec<Code>> = LazyLock::new(build);
    &CATALOGUE
}

fn build() -> Vec<Code> {
    let rules = RULES.iter().map(|rule| Code {
        code: rule.code,
        name: rule.name,
        title: rule.title,
        severity: rule.severity,
        origin: rule.origin.label(),
        docs: rule.docs,
        options: rule.options,
    });
    let reader = declared(ErrorKind::ALL, ErrorKind::severity, "reader");
    let csvde = declared(csvde::ErrorKind::ALL, |_| CSV_ROW_SEVERITY, "reader");
    let directory = declared(NoteKind::ALL, |_| DIRECTORY_SEVERITY, "directory");
    rules.chain(reader).chain(csvde).chain(directory).collect()
}

/// The codes of declared kinds, each with its severity, and the origin they share.
fn declared<K: Declared>(
    kinds: &'static [K],
    severity: fn(K) -> Severity,
    origin: &'static str,
) -> impl Iterator<Item = Code> {
    kinds.iter().map(move |&kind| Code {
        code: kind.code(),
        name: kind.name(),
        title: kind.title(),
        severity: severity(kind),
        origin,
        docs: kind.docs(),
        options: &[],
    })
}

/// The code with this code or name, ignoring case.
pub fn lookup(code_or_name: &str) -> Option<Code> {
    catalogue()
        .iter()
        .copied()
        .find(|code| code.code.eq_ignore_ascii_case(code_or_name) || code.name.eq_ignore_ascii_case(code_or_name))
}

/// Whether a code is one of the readers' errors: a malformed record or row, or a value left
/// out (not the LDIF reader's warning for Windows-1252 text or its note for a URL value).
pub fn is_reader_error(code: &str) -> bool {
    ErrorKind::ALL.iter().any(|kind| kind.code() == code && kind.severity() == Severity::Error)
        || csvde::ErrorKind::ALL.iter().any(|kind| kind.code() == code)
}

/// An ExBPA check about mail routing that an export of the configuration partition cannot
/// answer, and what it would need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutOfReach {
    /// Microsoft's title, or ours in brackets where only the topic's body is known.
    pub title: &'static str,
    pub source: &'static str,
    /// What the check reads that no export holds.
    pub needs: &'static str,
}

/// The checks of DOMAIN.md §C.7: they need the live servers, so exlint leaves them out.
pub const OUT_OF_REACH: &[OutOfReach] = &[
    OutOfReach {
        title: "[Open relay probe]",
        source: "https://unifiedpeople.ru/extra.en/html/6d2c9c82-bcc2-4261-a30d-90536577c873.htm",
        needs: "an SMTP session with the server, relaying a test message",
    },
    OutOfReach {
        title: "Specified gateway server not used",
        source: "https://technet.microsoft.com/en-us/library/aa996582(v=exchg.80).aspx",
        needs: "message tracking logs, which show the route messages took",
    },
    OutOfReach {
        title: "Possible SMTP proxy detected",
        source: "https://docs.microsoft.com/en-us/previous-versions/office/exchange-server-analyzer/aa997127(v=exchg.80)",
        needs: "the banner the server answers with on port 25",
    },
    OutOfReach {
        title: "The version of SMTP running does not support the XEXCH50 verb",
        source: "https://technet.microsoft.com/en-us/library/aa996696(v=exchg.80).aspx",
        needs: "the server's EHLO response",
    },
    OutOfReach {
        title: "[Customised SMTP banner]",
        source: "http://unifiedpeople.ru/extra.en/html/cce2de73-378b-455c-8460-c3f850c4aead.htm",
        needs: "the IIS metabase of the server, where the banner is set",
    },
    OutOfReach {
        title: "There is a discrepancy with the fully-qualified domain name setting between the Active Directory and metabase",
        source: "https://technet.microsoft.com/en-us/library/aa998385(v=exchg.80).aspx",
        needs: "the IIS metabase, to compare with the directory (SMTP017 compares the directory with the server's own DNS name instead)",
    },
    OutOfReach {
        title: "[External DNS server probe]",
        source: "http://unifiedpeople.ru/exbpa.en/html/8b9e8b25-15ab-46e7-8e4b-62ddc221d2ae.htm",
        needs: "DNS queries from the server",
    },
    OutOfReach {
        title: "[Queue, badmail and performance counter checks]",
        source: "DOMAIN.md §C.7",
        needs: "the servers' queues, file systems and performance counters",
    },
    OutOfReach {
        title: "[Registry-only settings: CatRetryMinutes, AttachedTimeout, CheckConnectorRestrictions...]",
        source: "DOMAIN.md §C.7; CONN005 reports what the directory shows of the last one",
        needs: "the servers' registry",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_of_a_page() {
        let code = lookup("SMTP001").unwrap();
        let finds = code.section("What it finds").unwrap();
        assert!(finds.starts_with("An Exchange 2000/2003 SMTP virtual server whose"), "{finds}");
        assert!(!finds.contains("## ") && !finds.ends_with('\n'), "{finds}");
        assert!(code.section("How to fix").unwrap().starts_with("In Exchange System Manager"));
        assert_eq!(code.section("Nothing"), None);
    }
}
