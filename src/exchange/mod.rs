//! The Exchange topology read from the directory: organization, administrative groups,
//! routing groups, servers, SMTP virtual servers and connectors.
//!
//! Objects are recognised by `objectClass` or, when an export left it out, by the class that
//! `objectCategory` names. An export is often filtered (only virtual servers and connectors,
//! say), so nothing here requires a parent entry: a server, administrative group or routing
//! group that has no entry is still known from the DNs of the objects below it, as a node
//! without an entry. Objects refer to each other by index into the [`Topology`]'s lists, which
//! keep input order, so every walk over them is deterministic.

mod connector;
mod flags;
mod ip;
mod outline;
mod routing;
mod server;
mod smtp;

use std::collections::HashMap;

use crate::directory::{Directory, Dn, DnKey, Entry};
use crate::ldif::Attribute;
use crate::source::Location;

pub use connector::{AddressSpace, Reference, RoutingGroupConnector, SmartHost, SmtpConnector, X400Connector};
pub use flags::{
    AuthenticationMethods, DEFAULT_INBOUND_COMMANDS, ESMTP_VERBS, EsmtpVerb, MissingVerb, missing_default_verbs,
};
pub use ip::{Address, IpRange};
pub use outline::{Link, LinkKind, NodeKind, Outline, OutlineNode};
use routing::Placement;
pub use routing::{AdminGroup, Organization, RoutingGroup};
pub use server::{Server, ServerVersion};
pub use smtp::{Binding, ReceiveConnector, SmtpVirtualServer};

/// What every object of the topology has: a name, a DN, and its entry when the export has it.
#[derive(Clone, Debug)]
pub struct Node<'a> {
    /// The leaf RDN's value (`EXBH01`, `First Routing Group`, `1`).
    pub name: String,
    pub dn: Dn<'a>,
    pub entry: Option<&'a Entry<'a>>,
}

impl<'a> Node<'a> {
    fn new(dn: Dn<'a>, entry: Option<&'a Entry<'a>>) -> Node<'a> {
        Node { name: dn.name(), dn, entry }
    }

    /// The entry's `dn:` line, when the export has the entry.
    pub fn location(&self) -> Option<Location> {
        self.entry.map(Entry::location)
    }

    /// The first line of an attribute, when the export has the entry and the entry the
    /// attribute.
    pub fn attribute(&self, name: &str) -> Option<&'a Attribute<'a>> {
        self.entry?.attribute(name).next()
    }

    /// Every line of an attribute, in file order.
    pub fn attributes(&self, name: &str) -> impl Iterator<Item = &'a Attribute<'a>> {
        self.entry.into_iter().flat_map(move |entry| entry.attribute(name))
    }

    /// An Integer attribute's value and line; `None` when absent (the default applies) or not a
    /// number.
    pub fn integer(&self, name: &str) -> Option<(i64, &'a Attribute<'a>)> {
        let attribute = self.attribute(name)?;
        Some((attribute.value.text().trim().parse().ok()?, attribute))
    }

    /// A Boolean attribute's value (`TRUE` or `FALSE`, any case) and line.
    pub fn boolean(&self, name: &str) -> Option<(bool, &'a Attribute<'a>)> {
        let attribute = self.attribute(name)?;
        let value = attribute.value.text();
        let value = value.trim();
        if value.eq_ignore_ascii_case("TRUE") {
            Some((true, attribute))
        } else if value.eq_ignore_ascii_case("FALSE") {
            Some((false, attribute))
        } else {
            None
        }
    }

    /// A string attribute's value (trimmed) and line; `None` when absent or empty.
    pub fn text(&self, name: &str) -> Option<(String, &'a Attribute<'a>)> {
        let attribute = self.attribute(name)?;
        let value = attribute.value.text().trim().to_owned();
        (!value.is_empty()).then_some((value, attribute))
    }
}

/// An object class as `objectClass` spells it and as `objectCategory` names it.
struct Class {
    name: &'static str,
    category: &'static str,
}

const ORGANIZATION: Class = Class { name: "msExchOrganizationContainer", category: "ms-Exch-Organization-Container" };
const ADMIN_GROUP: Class = Class { name: "msExchAdminGroup", category: "ms-Exch-Admin-Group" };
const ROUTING_GROUP: Class = Class { name: "msExchRoutingGroup", category: "ms-Exch-Routing-Group" };
const SERVER: Class = Class { name: "msExchExchangeServer", category: "ms-Exch-Exchange-Server" };
const SMTP_VIRTUAL_SERVER: Class =
    Class { name: "protocolCfgSMTPServer", category: "ms-Exch-Protocol-Cfg-SMTP-Server" };
const SMTP_CONNECTOR: Class = Class { name: "msExchRoutingSMTPConnector", category: "ms-Exch-Routing-SMTP-Connector" };
const ROUTING_GROUP_CONNECTOR: Class =
    Class { name: "msExchRoutingGroupConnector", category: "ms-Exch-Routing-Group-Connector" };
const X400_CONNECTOR: Class = Class { name: "x400Link", category: "ms-Exch-X400-Link" };
/// The class every connector derives from (SMTP, routing group, X.400, EDK...).
const CONNECTOR: Class = Class { name: "msExchConnector", category: "ms-Exch-Connector" };
const RECEIVE_CONNECTOR: Class =
    Class { name: "msExchSmtpReceiveConnector", category: "ms-Exch-Smtp-Receive-Connector" };
const MESSAGE_DELIVERY: Class =
    Class { name: "msExchMessageDeliveryConfig", category: "ms-Exch-Message-Delivery-Config" };
const TRANSPORT_SETTINGS: Class = Class { name: "msExchTransportSettings", category: "ms-Exch-Transport-Settings" };
const RECIPIENT_POLICY: Class = Class { name: "msExchRecipientPolicy", category: "ms-Exch-Recipient-Policy" };
const PUBLIC_STORE: Class = Class { name: "msExchPublicMDB", category: "ms-Exch-Public-MDB" };
const MAILBOX_STORE: Class = Class { name: "msExchPrivateMDB", category: "ms-Exch-Private-MDB" };

/// The mail-routing objects of one or more Exchange organizations.
#[derive(Debug, Default)]
pub struct Topology<'a> {
    pub organizations: Vec<Organization<'a>>,
    pub admin_groups: Vec<AdminGroup<'a>>,
    pub routing_groups: Vec<RoutingGroup<'a>>,
    pub servers: Vec<Server<'a>>,
    pub virtual_servers: Vec<SmtpVirtualServer<'a>>,
    pub smtp_connectors: Vec<SmtpConnector<'a>>,
    pub routing_group_connectors: Vec<RoutingGroupConnector<'a>>,
    pub x400_connectors: Vec<X400Connector<'a>>,
    /// Exchange 2007+ receive connectors.
    pub receive_connectors: Vec<ReceiveConnector<'a>>,
    /// `CN=Message Delivery,CN=Global Settings,...`: Exchange 2000/2003 organization limits.
    pub message_delivery: Vec<Node<'a>>,
    /// `CN=Transport Settings,...`: Exchange 2007 SP1+ organization limits.
    pub transport_settings: Vec<Node<'a>>,
    pub recipient_policies: Vec<Node<'a>>,
    pub public_stores: Vec<Node<'a>>,
}

impl<'a> Topology<'a> {
    pub fn build(directory: &'a Directory<'a>) -> Topology<'a> {
        let mut builder = Builder { directory, topology: Topology::default(), index: HashMap::new() };
        builder.read_entries();
        builder.topology
    }

    /// The server with this name, ignoring case.
    pub fn server_named(&self, name: &str) -> Option<&Server<'a>> {
        self.servers.iter().find(|server| server.name().eq_ignore_ascii_case(name))
    }

    /// The name of the organization a DN belongs to, read from the DN.
    pub fn organization_of(&self, dn: &Dn<'_>) -> Option<String> {
        Placement::of(dn).organization.map(|organization| organization.name())
    }

    pub fn virtual_servers_of<'t>(&'t self, server: &'t Server<'a>) -> impl Iterator<Item = &'t SmtpVirtualServer<'a>> {
        server.virtual_servers.iter().map(|&index| &self.virtual_servers[index])
    }
}

/// Which list a DN was interned in.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Organization,
    AdminGroup,
    RoutingGroup,
    Server,
}

struct Builder<'a> {
    directory: &'a Directory<'a>,
    topology: Topology<'a>,
    /// Objects already in the topology, by kind and DN.
    index: HashMap<(Kind, DnKey), usize>,
}

impl<'a> Builder<'a> {
    /// Parents before children, so that an object with an entry is interned from its entry
    /// before anything below it can intern it from a DN.
    fn read_entries(&mut self) {
        let directory = self.directory;
        for entry in directory.of_class(ORGANIZATION.name, ORGANIZATION.category) {
            self.organization(entry.dn.clone());
        }
        for entry in directory.of_class(ADMIN_GROUP.name, ADMIN_GROUP.category) {
            self.admin_group(entry.dn.clone());
        }
        for entry in directory.of_class(ROUTING_GROUP.name, ROUTING_GROUP.category) {
            self.routing_group(entry.dn.clone());
        }
        for entry in directory.of_class(SERVER.name, SERVER.category) {
            self.server(entry.dn.clone());
        }
        for entry in directory.of_class(SMTP_VIRTUAL_SERVER.name, SMTP_VIRTUAL_SERVER.category) {
            self.virtual_server(entry);
        }
        for entry in directory.of_class(SMTP_CONNECTOR.name, SMTP_CONNECTOR.category) {
            self.smtp_connector(entry);
        }
        for entry in directory.of_class(ROUTING_GROUP_CONNECTOR.name, ROUTING_GROUP_CONNECTOR.category) {
            self.routing_group_connector(entry);
        }
        for entry in directory.of_class(X400_CONNECTOR.name, X400_CONNECTOR.category) {
            self.x400_connector(entry);
        }
        for entry in directory.of_class(RECEIVE_CONNECTOR.name, RECEIVE_CONNECTOR.category) {
            self.receive_connector(entry);
        }
        for entry in directory.of_class(MAILBOX_STORE.name, MAILBOX_STORE.category) {
            if let Some(server) = Placement::of(&entry.dn).server {
                let server = self.server(server);
                self.topology.servers[server].mailbox_stores += 1;
            }
        }
        self.count_connectors();
        let nodes = |class: Class| -> Vec<Node<'a>> {
            directory
                .of_class(class.name, class.category)
                .into_iter()
                .map(|entry| Node::new(entry.dn.clone(), Some(entry)))
                .collect()
        };
        self.topology.message_delivery = nodes(MESSAGE_DELIVERY);
        self.topology.transport_settings = nodes(TRANSPORT_SETTINGS);
        self.topology.recipient_policies = nodes(RECIPIENT_POLICY);
        self.topology.public_stores = nodes(PUBLIC_STORE);
        self.assign_routing_groups_from_members();
    }

    /// How many connectors each routing group's `CN=Connections` holds, of every class.
    fn count_connectors(&mut self) {
        let directory = self.directory;
        let mut connectors: Vec<&Entry<'_>> = [CONNECTOR, SMTP_CONNECTOR, ROUTING_GROUP_CONNECTOR, X400_CONNECTOR]
            .iter()
            .flat_map(|class| directory.of_class(class.name, class.category))
            .collect();
        connectors.sort_unstable_by(|a, b| a.dn.key().cmp(b.dn.key()));
        connectors.dedup_by(|a, b| a.dn.key() == b.dn.key());
        for connector in connectors {
            if let Some(group) = self.connector_routing_group(&connector.dn) {
                self.topology.routing_groups[group].connectors += 1;
            }
        }
    }

    /// The index of the object with this DN, adding it first when it is new.
    fn intern(&mut self, kind: Kind, dn: &Dn<'a>, add: impl FnOnce(&mut Self, Node<'a>) -> usize) -> usize {
        if let Some(&index) = self.index.get(&(kind, dn.key().clone())) {
            return index;
        }
        let node = Node::new(dn.clone(), self.directory.get_key(dn.key().as_str()));
        let index = add(self, node);
        self.index.insert((kind, dn.key().clone()), index);
        index
    }

    fn organization(&mut self, dn: Dn<'a>) -> usize {
        self.intern(Kind::Organization, &dn, |builder, node| {
            builder.topology.organizations.push(Organization { node });
            builder.topology.organizations.len() - 1
        })
    }

    fn admin_group(&mut self, dn: Dn<'a>) -> usize {
        self.intern(Kind::AdminGroup, &dn, |builder, node| {
            let organization = Placement::of(&dn).organization.map(|org| builder.organization(org));
            let container = |name: &str| builder.directory.get_key(&format!("cn={name},{}", dn.key()));
            let (servers_container, routing_groups_container) = (container("servers"), container("routing groups"));
            builder.topology.admin_groups.push(AdminGroup {
                node,
                organization,
                servers_container,
                routing_groups_container,
            });
            builder.topology.admin_groups.len() - 1
        })
    }

    fn routing_group(&mut self, dn: Dn<'a>) -> usize {
        self.intern(Kind::RoutingGroup, &dn, |builder, node| {
            let admin_group = Placement::of(&dn).admin_group.map(|group| builder.admin_group(group));
            let master = node.entry.and_then(|entry| references(entry, "msExchRoutingMasterDN").into_iter().next());
            builder.topology.routing_groups.push(RoutingGroup { node, admin_group, master, connectors: 0 });
            builder.topology.routing_groups.len() - 1
        })
    }

    fn server(&mut self, dn: Dn<'a>) -> usize {
        self.intern(Kind::Server, &dn, |builder, node| {
            let admin_group = Placement::of(&dn).admin_group.map(|group| builder.admin_group(group));
            let version = node
                .entry
                .and_then(|entry| entry.text("serialNumber"))
                .and_then(|serial| ServerVersion::parse(&serial));
            let routing_group = node
                .entry
                .and_then(|entry| references(entry, "msExchHomeRoutingGroup").into_iter().next())
                .map(|home| builder.routing_group(home.dn));
            builder.topology.servers.push(Server {
                node,
                admin_group,
                routing_group,
                version,
                virtual_servers: Vec::new(),
                mailbox_stores: 0,
            });
            builder.topology.servers.len() - 1
        })
    }

    /// The server of an object below `CN=Protocols,CN=<server>,...`: a virtual server or a
    /// receive connector.
    fn protocol_server(&mut self, dn: &Dn<'a>) -> usize {
        let server_dn = dn
            .rdns()
            .iter()
            .position(|rdn| rdn.is("cn", "Protocols"))
            .and_then(|protocols| dn.ancestor(protocols + 1))
            .or_else(|| Placement::of(dn).server)
            .or_else(|| dn.ancestor(1))
            .unwrap_or_else(|| dn.clone());
        self.server(server_dn)
    }

    fn virtual_server(&mut self, entry: &'a Entry<'a>) {
        let server = self.protocol_server(&entry.dn);
        let bindings = bindings(entry, "msExchServerBindings");
        let display_name = entry.text("adminDisplayName");
        let index = self.topology.virtual_servers.len();
        let node = Node::new(entry.dn.clone(), Some(entry));
        self.topology.virtual_servers.push(SmtpVirtualServer { node, server, display_name, bindings });
        self.topology.servers[server].virtual_servers.push(index);
    }

    fn receive_connector(&mut self, entry: &'a Entry<'a>) {
        let server = self.protocol_server(&entry.dn);
        let remote_ranges =
            entry.values("msExchSmtpReceiveRemoteIPRanges").map(|value| value.text().trim().to_owned()).collect();
        self.topology.receive_connectors.push(ReceiveConnector {
            node: Node::new(entry.dn.clone(), Some(entry)),
            server,
            bindings: entry
                .attribute("msExchSmtpReceiveBindings")
                .map(|attribute| Binding::parse_endpoint(&attribute.value.text(), entry.location_of(attribute)))
                .collect(),
            remote_ranges,
        });
    }

    fn x400_connector(&mut self, entry: &'a Entry<'a>) {
        let routing_group = self.connector_routing_group(&entry.dn);
        self.topology.x400_connectors.push(X400Connector {
            node: Node::new(entry.dn.clone(), Some(entry)),
            routing_group,
            address_spaces: address_spaces(entry),
        });
    }

    fn connector_routing_group(&mut self, dn: &Dn<'a>) -> Option<usize> {
        Placement::of(dn).routing_group.map(|group| self.routing_group(group))
    }

    fn smtp_connector(&mut self, entry: &'a Entry<'a>) {
        let routing_group = self.connector_routing_group(&entry.dn);
        let address_spaces = address_spaces(entry);
        let smart_hosts =
            entry.text("msExchSmtpSmartHost").map(|hosts| SmartHost::parse_list(&hosts)).unwrap_or_default();
        self.topology.smtp_connectors.push(SmtpConnector {
            node: Node::new(entry.dn.clone(), Some(entry)),
            routing_group,
            address_spaces,
            source_bridgeheads: references(entry, "msExchSourceBridgeheadServersDN"),
            smart_hosts,
        });
    }

    fn routing_group_connector(&mut self, entry: &'a Entry<'a>) {
        let routing_group = self.connector_routing_group(&entry.dn);
        self.topology.routing_group_connectors.push(RoutingGroupConnector {
            node: Node::new(entry.dn.clone(), Some(entry)),
            routing_group,
            destination: references(entry, "msExchDestinationRGDN").into_iter().next(),
            source_bridgeheads: references(entry, "msExchSourceBridgeheadServersDN"),
            target_bridgeheads: references(entry, "msExchTargetBridgeheadServersDN"),
            cost: entry.text("cost").and_then(|cost| cost.trim().parse().ok()),
        });
    }

    /// Servers whose entry has no `msExchHomeRoutingGroup` (or that have no entry) belong to
    /// the routing group whose membership back-link lists them.
    fn assign_routing_groups_from_members(&mut self) {
        let members: Vec<(usize, DnKey)> = self
            .topology
            .routing_groups
            .iter()
            .enumerate()
            .filter_map(|(index, group)| group.node.entry.map(|entry| (index, entry)))
            .flat_map(|(index, entry)| {
                ["msExchRoutingGroupMembersBL", "msExchRoutingGroupMembersDN"]
                    .into_iter()
                    .flat_map(move |name| references(entry, name))
                    .map(move |member| (index, member.dn.key().clone()))
            })
            .collect();
        for (group, member) in members {
            if let Some(&server) = self.index.get(&(Kind::Server, member)) {
                self.topology.servers[server].routing_group.get_or_insert(group);
            }
        }
    }
}

/// The values of a bindings attribute, parsed.
fn bindings(entry: &Entry<'_>, name: &str) -> Vec<Binding> {
    entry
        .attribute(name)
        .map(|attribute| Binding::parse(&attribute.value.text(), entry.location_of(attribute)))
        .collect()
}

/// `routingList`, parsed.
fn address_spaces(entry: &Entry<'_>) -> Vec<AddressSpace> {
    entry
        .attribute("routingList")
        .map(|attribute| AddressSpace::parse(&attribute.value.text(), entry.location_of(attribute)))
        .collect()
}

/// The DN values of an attribute, with their lines.
fn references<'a>(entry: &'a Entry<'a>, name: &'a str) -> Vec<Reference<'a>> {
    entry.attribute(name).map(|attribute| Reference { dn: Dn::new(attribute.value.text()), entry, attribute }).collect()
}
