use crate::exchange::{ACCEPT_ANY_RECIPIENT, Relay};
use crate::security::Grant;
use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An enabled receive connector (Exchange 2007 and later) that accepts connections from
    /// every address (a value of `msExchSmtpReceiveRemoteIPRanges` that covers all IPv4 or all
    /// IPv6 addresses, such as `0.0.0.0-255.255.255.255`) and whose security descriptor
    /// (`nTSecurityDescriptor`) grants `NT AUTHORITY\ANONYMOUS LOGON` (`S-1-5-7`) the extended
    /// right `ms-Exch-SMTP-Accept-Any-Recipient`: anyone who can reach it may relay mail
    /// through it to any domain. A connector that grants the right only to narrower remote
    /// ranges is Microsoft's documented way to let printers and applications relay, and is not
    /// reported.
    ///
    /// The right is matched by its GUID, the `rightsGuid` of
    /// `CN=ms-Exch-SMTP-Accept-Any-Recipient,CN=Extended-Rights,CN=Configuration,...` in the same
    /// export. The DACL is read as Windows' access check reads it for one right: the first ACE
    /// that applies to the connector itself (not inherit-only), names `S-1-5-7` and covers the
    /// right (control access on that right, on every right, or generic all) decides; an
    /// access-denied ACE before the grant keeps the connector closed. A descriptor without a
    /// DACL grants everything. ACEs for Everyone do not count: since Windows Server 2003,
    /// anonymous sessions are not members of Everyone.
    ///
    /// ## Why it matters
    /// Exchange has no "open relay" switch: relay is a permission on the connector. Granting it
    /// to anonymous sessions is how administrators let printers and applications relay, and
    /// when the connector's remote IP ranges are not narrowed to those devices, the server
    /// relays for the whole network, or the Internet. Open relays are found by spammers within
    /// hours and put the organization's IP addresses on block lists.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Relay EX01,CN=SMTP Receive Connectors,CN=Protocols,CN=EX01,CN=Servers,...
    /// objectClass: msExchSmtpReceiveConnector
    /// msExchSmtpReceiveBindings: 0.0.0.0:25
    /// msExchSmtpReceiveRemoteIPRanges: 0.0.0.0-255.255.255.255
    /// nTSecurityDescriptor:: AQAEgBQAAAAAAAAA... (base64; its DACL allows S-1-5-7 the right)
    /// ```
    ///
    /// ## How to fix
    /// Remove the permission (`Get-ReceiveConnector "EX01\Relay EX01" | Remove-ADPermission
    /// -User "NT AUTHORITY\ANONYMOUS LOGON" -ExtendedRights ms-Exch-SMTP-Accept-Any-Recipient`),
    /// or, when devices must relay, narrow the connector's remote IP ranges to their addresses
    /// (`Set-ReceiveConnector -RemoteIPRanges`).
    ///
    /// ## Origin
    /// exlint's own check. Relay is the `ms-Exch-SMTP-Accept-Any-Recipient` permission
    /// ("Receive connector permissions",
    /// <https://learn.microsoft.com/en-us/exchange/receive-connector-permissions-exchange-2013-help>;
    /// "Allow anonymous relay on Exchange servers",
    /// <https://learn.microsoft.com/en-us/exchange/mail-flow/connectors/allow-anonymous-relay>).
    /// The descriptor's layout is [MS-DTYP] 2.4.6 and its object ACEs [MS-DTYP] 2.4.4.3
    /// (<https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-dtyp/c79a383c-2b3f-4655-abe7-dcbb7ce0cfbe>).
    /// exlint knows no published value of the right's GUID, so it reads it from the export.
    pub static ANONYMOUS_RELAY = Rule {
        code: "RECV001",
        name: "anonymous-relay",
        title: "Anonymous sessions may relay through a receive connector",
        severity: Severity::Error,
        origin: Origin::Native,
        precondition: descriptors,
        check: Check::Organization(check),
    };
}

/// The export option that includes security descriptors, for the reasons below.
const EXPORT_DESCRIPTORS: &str = "export `nTSecurityDescriptor` with the receive connectors (ldapsearch: add the attribute and the SD flags control `-E '!1.2.840.113556.1.4.801=::MAMCAQc='`; ldifde: name it in `-l`, with an account that may read it)";

fn descriptors(context: &Context<'_>) -> Result<(), String> {
    needs::receive_connectors(context)?;
    let topology = context.topology;
    if topology.accept_any_recipient.is_none() {
        return Err(format!("the export lacks `CN={ACCEPT_ANY_RECIPIENT},CN=Extended-Rights,CN=Configuration,...` with its `rightsGuid`, the GUID by which a security descriptor names the relay permission; export `CN=Extended-Rights` too"));
    }
    if topology.receive_connectors.iter().all(|connector| connector.security_descriptor.is_none()) {
        return Err(format!("no receive connector in the export carries its security descriptor: {EXPORT_DESCRIPTORS}"));
    }
    Ok(())
}

fn check(context: &Context<'_>) -> Vec<Finding> {
    let topology = context.topology;
    let mut findings = Vec::new();
    for connector in topology.enabled_receive_connectors() {
        let Some(descriptor) = &connector.security_descriptor else { continue };
        let Relay::Granted(grant) = topology.anonymous_relay(connector) else { continue };
        let Some(range) = connector.every_address_range() else { continue };
        let server = topology.servers[connector.server].name();
        let message = format!(
            "receive connector `{}` on `{server}` lets anonymous sessions from every address (`{}`) relay to any domain: an open relay ({})",
            connector.node.name,
            range.text().trim(),
            match grant {
                Grant::Ace(index) => format!(
                    "ACE {} of its DACL grants `ms-Exch-SMTP-Accept-Any-Recipient` to `S-1-5-7`",
                    index + 1
                ),
                Grant::NoDacl => "its security descriptor has no DACL, which grants every right to everyone".to_owned(),
            }
        );
        let finding = ANONYMOUS_RELAY
            .finding_at(descriptor, message, "grants ANONYMOUS LOGON the relay permission")
            .server(server)
            .evidence(range.evidence("accepts connections from every address"))
            .evidence(topology.accept_any_recipient.as_ref().map(|right| right.evidence(format!("the relay permission is `{}`", right.value))))
            .help("narrow the connector's remote IP ranges to the devices that must relay, or remove the permission from ANONYMOUS LOGON");
        findings.push(finding);
    }
    findings
}
