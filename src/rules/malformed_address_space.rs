use crate::exchange::{AddressSpace, AddressSpaceConnector, Located};
use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// A `routingList` value of an SMTP, Send or X.400 connector that Exchange's parser
    /// refuses. The value is `[Local:]TYPE:address;cost` and is read as Exchange reads it:
    /// an optional `Local:`, the type before the first `:` (none means SMTP), the cost after
    /// the last `;` (none, or a trailing `;`, means 1). It is malformed when:
    ///
    /// - the cost is not a whole number, or is outside 1 to 100;
    /// - the type is not an address type: blank, longer than 9 characters, or not printable
    ///   ASCII;
    /// - `Local:` is written twice;
    /// - there is no address after the type;
    /// - an SMTP address is not `*`, `--` (Exchange 2007's "accepted domains"), a domain, or
    ///   `*.` and a domain.
    ///
    /// X.400 addresses are only checked for being present: their own grammar is not checked,
    /// and a last field that is not a number is read as part of the X.400 address.
    ///
    /// ## Why it matters
    /// Routing reads every connector's address spaces to choose routes. A value it cannot
    /// parse is dropped or stops the connector from being used for it, so the mail it was
    /// meant to route goes elsewhere; a cost out of range breaks the comparison between
    /// connectors. Exchange System Manager and the Exchange Management Shell refuse such
    /// values, so they come from scripts, ADSI Edit or imports.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Internet Mail,CN=Connections,CN=First Routing Group,...
    /// objectClass: msExchRoutingSMTPConnector
    /// routingList: SMTP:*;0
    /// ```
    ///
    /// ## How to fix
    /// Correct the address space on the connector's Address Space tab in Exchange System
    /// Manager (`Set-SendConnector -AddressSpaces` on Exchange 2007 and later): a type such
    /// as `SMTP`, an address, and a cost from 1 to 100.
    ///
    /// ## Origin
    /// exlint's own check, from Exchange's constraints: the address space grammar and the
    /// cost range 1 to 100 of Exchange's own parser (`AddressSpace`, Exchange 2013), and the
    /// Exchange 2003 help on address spaces,
    /// <http://unifiedpeople.ru/exadmin_sp2.en/exchsvrs_htm/exchsvrsp_x400addmodifyremoveaddressspace.htm>,
    /// <https://technet.microsoft.com/en-us/library/aa996761(v=exchg.65).aspx>.
    pub static MALFORMED_ADDRESS_SPACE = Rule {
        code: "CONN010",
        name: "malformed-address-space",
        title: "Malformed connector address space",
        severity: Severity::Error,
        origin: Origin::Native,
        precondition: needs::address_space_connectors,
        check: Check::Organization(check),
    };
}

fn check(context: &Context<'_>) -> Vec<Finding> {
    context
        .topology
        .address_space_connectors()
        .flat_map(|connector| {
            let malformed = connector.address_spaces.iter().filter(|space| !space.problems.is_empty());
            malformed.map(|space| judge(&connector, space)).collect::<Vec<_>>()
        })
        .collect()
}

fn judge(connector: &AddressSpaceConnector<'_, '_>, space: &Located<'_, AddressSpace>) -> Finding {
    let problems: Vec<String> = space.problems.iter().map(ToString::to_string).collect();
    let problems = problems.join("; ");
    let message = format!("{} `{}`: address space `{}`: {problems}", connector.kind, connector.node.name, space.value);
    MALFORMED_ADDRESS_SPACE
        .finding_at(space, message, problems)
        .help("write the address space as `TYPE:address;cost`, with a cost from 1 to 100")
}
