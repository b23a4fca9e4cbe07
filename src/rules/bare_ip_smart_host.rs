use crate::exchange::{Located, SmartHost};
use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// A smart host written as a bare IP address, without brackets (`192.0.2.10` rather than
    /// `[192.0.2.10]`), in `msExchSmtpSmartHost` of an Exchange 2000/2003 SMTP connector or
    /// SMTP virtual server. Send connectors of Exchange 2007 and later read an IP address
    /// with or without brackets and are not judged; neither are the placeholder virtual
    /// servers of Exchange 2007 and later servers. One finding per attribute, naming every
    /// bare address in it.
    ///
    /// ## Why it matters
    /// Exchange 2000/2003 take an unbracketed smart host for a server name first: they look
    /// it up in DNS, and only when that fails use it as an IP address. Every delivery to the
    /// smart host then waits on a lookup that cannot succeed, and stalls when DNS is slow or
    /// unreachable. The brackets mark the value as an address and skip the lookup, which is
    /// why Exchange's documentation requires them.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Fabrikam Partner Relay,CN=Connections,CN=Europe Routing Group,...
    /// objectClass: msExchRoutingSMTPConnector
    /// msExchSmtpSmartHost: 192.0.2.10
    /// ```
    ///
    /// ## How to fix
    /// Put the address in brackets: `[192.0.2.10]`, on the connector's General tab or the
    /// virtual server's Delivery, Advanced dialog in Exchange System Manager.
    ///
    /// ## Origin
    /// exlint's own check, from Exchange's constraints: Exchange 2003 requires IP addresses
    /// of smart hosts in brackets (Exchange 2003 help "Configure a Smart Host",
    /// <http://unifiedpeople.ru/exadmin_sp2.en/smtp_htm/moc04_37.htm>; Microsoft KB 821911,
    /// "How to Configure Exchange Server 2003 to Use a Smart Host IP Address").
    pub static BARE_IP_SMART_HOST = Rule {
        code: "CONN011",
        name: "bare-ip-smart-host",
        title: "Smart host IP address without brackets",
        severity: Severity::Warning,
        origin: Origin::Native,
        precondition,
        check: Check::Organization(check),
    };
}

fn precondition(context: &Context<'_>) -> Result<(), String> {
    let virtual_servers = needs::legacy_virtual_servers(context);
    let connectors = needs::smtp_connectors(context);
    match (virtual_servers, connectors) {
        (Err(virtual_servers), Err(connectors)) => Err(format!("{virtual_servers}; {connectors}")),
        _ => Ok(()),
    }
}

fn check(context: &Context<'_>) -> Vec<Finding> {
    let topology = context.topology;
    let connectors =
        topology.smtp_connectors.iter().filter(|connector| !connector.is_send_connector()).filter_map(|connector| {
            judge(connector.smart_hosts.as_ref()?, format!("connector `{}`", connector.node.name), None)
        });
    let virtual_servers = topology.legacy_virtual_servers().filter_map(|virtual_server| {
        let server = topology.servers[virtual_server.server].name();
        let label = format!("virtual server `{}` on `{server}`", virtual_server.label());
        judge(virtual_server.smart_hosts.as_ref()?, label, Some(server))
    });
    connectors.chain(virtual_servers).collect()
}

fn judge(hosts: &Located<'_, Vec<SmartHost>>, label: String, server: Option<&str>) -> Option<Finding> {
    let bare: Vec<String> = hosts
        .iter()
        .filter(|host| host.is_ip_address() && !host.bracketed)
        .map(|host| format!("`{}`", host.host))
        .collect();
    if bare.is_empty() {
        return None;
    }
    let listed = bare.join(", ");
    let mut finding = BARE_IP_SMART_HOST
        .finding_at(
            hosts,
            format!("{label}: smart host {listed} is an IP address without brackets"),
            format!("{listed} looked up in DNS as a name before it is tried as an address"),
        )
        .help("write IP addresses of smart hosts in brackets, such as `[192.0.2.10]`");
    if let Some(server) = server {
        finding = finding.server(server);
    }
    Some(finding)
}
