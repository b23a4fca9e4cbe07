//! Writes a large ldifde-shaped export, deterministically, for benchmarks.
//!
//! ```text
//! cargo run --release --example generate_export -- --size 1G --output target/bench/export-1G.ldf [--utf16]
//! ```
//!
//! The export is what consultants receive: the Contoso Exchange configuration
//! (`samples/contoso.ldf`) followed by user objects shaped like Active Directory's (about 57
//! values and 2.9 KB each: base64 GUIDs, SIDs and security descriptors, folded DNs, proxy
//! addresses, group memberships), CRLF line ends, lines folded at 78 columns. The same
//! arguments always give the same bytes.

#![allow(clippy::print_stderr)] // a command-line tool reporting what it wrote

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

const CONFIGURATION: &str = include_str!("../samples/contoso.ldf");
const DOMAIN: &str = "DC=contoso,DC=com";
const WIDTH: usize = 78;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("generate_export: {message}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let mut size = None;
    let mut output = None;
    let mut utf16 = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--size" => size = Some(parse_size(&args.next().ok_or("--size needs a value")?)?),
            "--output" => output = Some(PathBuf::from(args.next().ok_or("--output needs a path")?)),
            "--utf16" => utf16 = true,
            other => return Err(format!("unknown argument `{other}` (use --size N[K|M|G] --output FILE [--utf16])")),
        }
    }
    let size = size.ok_or("--size is required")?;
    let output = output.ok_or("--output is required")?;
    let file = File::create(&output).map_err(|error| format!("{}: {error}", output.display()))?;
    let mut writer = Writer { out: BufWriter::with_capacity(1 << 20, file), utf16, written: 0 };
    let (entries, values) = generate(&mut writer, size).map_err(|error| error.to_string())?;
    writer.out.flush().map_err(|error| error.to_string())?;
    eprintln!("wrote {} ({} bytes of text, {entries} entries, {values} values)", output.display(), writer.written);
    Ok(())
}

fn parse_size(text: &str) -> Result<u64, String> {
    let (number, unit) = text.split_at(text.trim_end_matches(['K', 'M', 'G', 'k', 'm', 'g']).len());
    let number: u64 = number.parse().map_err(|_| format!("bad size `{text}`"))?;
    let unit = match unit.to_ascii_uppercase().as_str() {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        _ => return Err(format!("bad size `{text}`")),
    };
    Ok(number * unit)
}

/// Writes text as UTF-8, or UTF-16LE with a byte-order mark.
struct Writer {
    out: BufWriter<File>,
    utf16: bool,
    /// Bytes of text written (UTF-8 bytes, whatever the encoding on disk).
    written: u64,
}

impl Writer {
    fn write(&mut self, text: &str) -> io::Result<()> {
        if self.utf16 {
            if self.written == 0 {
                self.out.write_all(&[0xFF, 0xFE])?;
            }
            for unit in text.encode_utf16() {
                self.out.write_all(&unit.to_le_bytes())?;
            }
        } else {
            self.out.write_all(text.as_bytes())?;
        }
        self.written += text.len() as u64;
        Ok(())
    }
}

/// xorshift64*: small, fast, and the same sequence everywhere.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn bytes(&mut self, count: usize) -> Vec<u8> {
        (0..count).map(|_| self.next() as u8).collect()
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const GIVEN: &[&str] =
    &["Anna", "Bruno", "Chloé", "David", "Eva", "Farid", "Greta", "Hiro", "Ines", "Jonas", "Kofi", "Lena"];
const FAMILY: &[&str] =
    &["Müller", "Smith", "García", "Nguyen", "Kowalski", "Okafor", "Rossi", "Tanaka", "Dubois", "Larsen"];
const DEPARTMENTS: &[&str] = &["Sales", "Finance", "Engineering", "Support", "Legal", "Operations"];

/// One record's text, and how many values it holds.
#[derive(Default)]
struct Record {
    text: String,
    values: u64,
}

impl Record {
    /// `name: value`, or `name:: base64` when the value is not plain ASCII, as ldifde writes.
    fn line(&mut self, name: &str, value: &str) {
        let plain = value.bytes().all(|b| (0x20..0x7F).contains(&b))
            && !value.starts_with([' ', ':', '<'])
            && !value.ends_with(' ');
        if plain {
            self.fold(&format!("{name}: {value}"));
        } else {
            self.fold(&format!("{name}:: {}", STANDARD.encode(value)));
        }
        self.values += 1;
    }

    fn binary(&mut self, name: &str, value: &[u8]) {
        self.fold(&format!("{name}:: {}", STANDARD.encode(value)));
        self.values += 1;
    }

    /// Appends a line folded at 78 columns, with CRLF.
    fn fold(&mut self, line: &str) {
        let mut rest = line;
        let mut width = WIDTH;
        loop {
            let cut = rest.len().min(width);
            self.text.push_str(&rest[..cut]);
            self.text.push_str("\r\n");
            rest = &rest[cut..];
            if rest.is_empty() {
                return;
            }
            self.text.push(' ');
            width = WIDTH - 1;
        }
    }
}

/// Writes the configuration, then users until `size` bytes of text; returns entries and values.
fn generate(writer: &mut Writer, size: u64) -> io::Result<(u64, u64)> {
    writer.write(CONFIGURATION)?;
    let configuration: Vec<_> = exlint::ldif::records(CONFIGURATION.as_bytes()).filter_map(Result::ok).collect();
    let mut entries = configuration.len() as u64;
    let mut values = configuration.iter().map(|record| record.attributes().map_or(0, <[_]>::len) as u64).sum::<u64>();
    let mut random = Random(0x9E37_79B9_7F4A_7C15);
    let mut record = Record::default();
    let mut index = 0u64;
    while writer.written < size {
        record.text.clear();
        record.values = 0;
        user(&mut record, &mut random, index);
        writer.write(&record.text)?;
        entries += 1;
        values += record.values;
        index += 1;
    }
    Ok((entries, values))
}

/// One user record.
fn user(out: &mut Record, random: &mut Random, index: u64) {
    let given = random.pick(GIVEN);
    let family = random.pick(FAMILY);
    let department = random.pick(DEPARTMENTS);
    let account = format!("u{index:07}");
    let cn = format!("{given} {family} {index}");
    let dn = format!("CN={cn},OU={department},OU=People,{DOMAIN}");
    // The DN is base64 when it holds non-ASCII, as ldifde writes it.
    if dn.is_ascii() {
        out.fold(&format!("dn: {dn}"));
    } else {
        out.fold(&format!("dn:: {}", STANDARD.encode(&dn)));
    }
    out.text.push_str("changetype: add\r\n");
    for class in ["top", "person", "organizationalPerson", "user"] {
        out.line("objectClass", class);
    }
    out.line("cn", &cn);
    out.line("sn", family);
    out.line("givenName", given);
    out.line("displayName", &format!("{family}, {given}"));
    out.line("distinguishedName", &dn);
    out.line("instanceType", "4");
    out.line("whenCreated", &format!("2005{:02}{:02}101500.0Z", 1 + index % 12, 1 + index % 28));
    out.line("whenChanged", "20060602081133.0Z");
    out.line("uSNCreated", &(20_000 + index * 7).to_string());
    out.line("uSNChanged", &(20_003 + index * 7).to_string());
    out.line("department", department);
    out.line("company", "Contoso Ltd.");
    out.line("name", &cn);
    out.binary("objectGUID", &random.bytes(16));
    out.line("userAccountControl", "512");
    out.line("badPwdCount", "0");
    out.line("codePage", "0");
    out.line("countryCode", "0");
    out.line("badPasswordTime", "0");
    out.line("lastLogoff", "0");
    out.line("lastLogon", &(127_000_000_000_000_000 + index * 1_000).to_string());
    out.line("pwdLastSet", &(127_000_000_000_000_000 + index * 977).to_string());
    out.line("primaryGroupID", "513");
    let mut sid = vec![1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0];
    sid.extend(random.bytes(12));
    sid.extend(((1100 + index) as u32).to_le_bytes());
    out.binary("objectSid", &sid);
    out.line("accountExpires", "9223372036854775807");
    out.line("logonCount", &(index % 500).to_string());
    out.line("sAMAccountName", &account);
    out.line("sAMAccountType", "805306368");
    out.line("userPrincipalName", &format!("{account}@contoso.com"));
    out.line("objectCategory", "CN=Person,CN=Schema,CN=Configuration,DC=contoso,DC=com");
    out.line("mail", &format!("{account}@contoso.com"));
    out.line("mailNickname", &account);
    out.line("proxyAddresses", &format!("SMTP:{account}@contoso.com"));
    out.line("proxyAddresses", &format!("smtp:{account}@contoso.mail.example"));
    out.line("proxyAddresses", &format!("X500:/o=Contoso/ou=First Administrative Group/cn=Recipients/cn={account}"));
    out.line("legacyExchangeDN", &format!("/o=Contoso/ou=First Administrative Group/cn=Recipients/cn={account}"));
    out.line(
        "homeMDB",
        "CN=Mailbox Store (EXMB01),CN=First Storage Group,CN=InformationStore,CN=EXMB01,CN=Servers,CN=First Administrative Group,CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com",
    );
    out.line(
        "homeMTA",
        "CN=Microsoft MTA,CN=EXMB01,CN=Servers,CN=First Administrative Group,CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com",
    );
    out.line("msExchHomeServerName", "/o=Contoso/ou=First Administrative Group/cn=Configuration/cn=Servers/cn=EXMB01");
    out.binary("msExchMailboxGuid", &random.bytes(16));
    out.binary("msExchMailboxSecurityDescriptor", &random.bytes(80));
    out.line("msExchALObjectVersion", "52");
    out.line("msExchUserAccountControl", "0");
    out.line( "showInAddressBook", &format!("CN=Default Global Address List,CN=All Global Address Lists,CN=Address Lists Container,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,{DOMAIN}"));
    out.line( "showInAddressBook", &format!("CN=All Users,CN=All Address Lists,CN=Address Lists Container,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,{DOMAIN}"));
    out.line("memberOf", &format!("CN=Staff {department},OU=Groups,{DOMAIN}"));
    out.line("memberOf", &format!("CN=All Staff,OU=Groups,{DOMAIN}"));
    out.line("telephoneNumber", &format!("+1 425 555 {:04}", index % 10_000));
    out.line("title", "Consultant");
    out.line("physicalDeliveryOfficeName", department);
    out.line("msExchPoliciesIncluded", "{26491CFC-9E50-4857-861B-0CB8DF22B5D7},{2D5CF1C1-11DD-4C6B-8C5E-2D0A7C0C1F6A}");
    out.line(
        "description",
        &format!("account {index} of the {department} department, created by the provisioning job"),
    );
    out.binary("nTSecurityDescriptor", &random.bytes(200));
    out.text.push_str("\r\n");
}
