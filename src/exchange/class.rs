//! The object classes the topology reads, by `objectClass` and by `objectCategory`.

use crate::directory::Entry;

use super::Node;

/// An object class as `objectClass` spells it and as `objectCategory` names it.
pub(super) struct Class {
    pub(super) name: &'static str,
    pub(super) category: &'static str,
}

impl Class {
    /// Whether `entry` is of this class, by `objectClass` or `objectCategory`.
    pub(super) fn holds(&self, entry: &Entry<'_>) -> bool {
        entry.has_class(self.name)
            || entry.category().is_some_and(|category| category.eq_ignore_ascii_case(self.category))
    }
}

pub(super) const ORGANIZATION: Class =
    Class { name: "msExchOrganizationContainer", category: "ms-Exch-Organization-Container" };
pub(super) const ADMIN_GROUP: Class = Class { name: "msExchAdminGroup", category: "ms-Exch-Admin-Group" };
pub(super) const ROUTING_GROUP: Class = Class { name: "msExchRoutingGroup", category: "ms-Exch-Routing-Group" };
pub(super) const SERVER: Class = Class { name: "msExchExchangeServer", category: "ms-Exch-Exchange-Server" };
pub(super) const SMTP_VIRTUAL_SERVER: Class =
    Class { name: "protocolCfgSMTPServer", category: "ms-Exch-Protocol-Cfg-SMTP-Server" };
pub(super) const SMTP_CONNECTOR: Class =
    Class { name: "msExchRoutingSMTPConnector", category: "ms-Exch-Routing-SMTP-Connector" };
pub(super) const ROUTING_GROUP_CONNECTOR: Class =
    Class { name: "msExchRoutingGroupConnector", category: "ms-Exch-Routing-Group-Connector" };
pub(super) const X400_CONNECTOR: Class = Class { name: "x400Link", category: "ms-Exch-X400-Link" };
/// The class every connector derives from (SMTP, routing group, X.400, EDK...).
pub(super) const CONNECTOR: Class = Class { name: "msExchConnector", category: "ms-Exch-Connector" };
pub(super) const RECEIVE_CONNECTOR: Class =
    Class { name: "msExchSmtpReceiveConnector", category: "ms-Exch-Smtp-Receive-Connector" };
pub(super) const MESSAGE_DELIVERY: Class =
    Class { name: "msExchMessageDeliveryConfig", category: "ms-Exch-Message-Delivery-Config" };
pub(super) const TRANSPORT_SETTINGS: Class =
    Class { name: "msExchTransportSettings", category: "ms-Exch-Transport-Settings" };
pub(super) const RECIPIENT_POLICY: Class =
    Class { name: "msExchRecipientPolicy", category: "ms-Exch-Recipient-Policy" };
pub(super) const PUBLIC_STORE: Class = Class { name: "msExchPublicMDB", category: "ms-Exch-Public-MDB" };
pub(super) const MAILBOX_STORE: Class = Class { name: "msExchPrivateMDB", category: "ms-Exch-Private-MDB" };
pub(super) const ACCEPTED_DOMAIN: Class = Class { name: "msExchAcceptedDomain", category: "ms-Exch-Accepted-Domain" };
pub(super) const CONTROL_ACCESS_RIGHT: Class = Class { name: "controlAccessRight", category: "Control-Access-Right" };
pub(super) const HYBRID_CONFIGURATION: Class =
    Class { name: "msExchCoexistenceRelationship", category: "ms-Exch-Coexistence-Relationship" };
pub(super) const MTA: Class = Class { name: "mTA", category: "ms-Exch-MTA" };

/// Whether an exported object is an Exchange server (`msExchExchangeServer`).
pub fn is_server(node: &Node<'_>) -> bool {
    node.entry().is_some_and(|entry| SERVER.holds(entry))
}

/// How messages name an exported object: `connector \`Internet Mail\``, `routing group
/// \`First Routing Group\``, or its name alone for classes exlint does not name.
pub(super) fn object_label(entry: &Entry<'_>) -> String {
    let kinds: [(&[Class], &str); 5] = [
        (&[SMTP_CONNECTOR, ROUTING_GROUP_CONNECTOR, X400_CONNECTOR, CONNECTOR], "connector"),
        (&[ROUTING_GROUP], "routing group"),
        (&[SERVER], "server"),
        (&[SMTP_VIRTUAL_SERVER], "virtual server"),
        (&[PUBLIC_STORE, MAILBOX_STORE], "store"),
    ];
    let name = entry.dn.name();
    match kinds.iter().find(|(classes, _)| classes.iter().any(|class| class.holds(entry))) {
        Some((_, kind)) => format!("{kind} `{name}`"),
        None => format!("`{name}`"),
    }
}
