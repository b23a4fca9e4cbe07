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
mod routing;
mod server;
mod smtp;

use std::collections::HashMap;

use crate::directory::{Directory, Dn, DnKey, Entry};
use crate::source::Location;

pub use connector::{AddressSpace, Reference, RoutingGroupConnector, SmartHost, SmtpConnector};
use routing::Placement;
pub use routing::{AdminGroup, Organization, RoutingGroup};
pub use server::{Server, ServerVersion};
pub use smtp::{Binding, SmtpVirtualServer};

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
        self.assign_routing_groups_from_members();
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
            builder.topology.admin_groups.push(AdminGroup { node, organization });
            builder.topology.admin_groups.len() - 1
        })
    }

    fn routing_group(&mut self, dn: Dn<'a>) -> usize {
        self.intern(Kind::RoutingGroup, &dn, |builder, node| {
            let admin_group = Placement::of(&dn).admin_group.map(|group| builder.admin_group(group));
            let master = node.entry.and_then(|entry| references(entry, "msExchRoutingMasterDN").into_iter().next());
            builder.topology.routing_groups.push(RoutingGroup { node, admin_group, master });
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
            });
            builder.topology.servers.len() - 1
        })
    }

    fn virtual_server(&mut self, entry: &'a Entry<'a>) {
        let dn = entry.dn.clone();
        // `CN=<instance>,CN=SMTP,CN=Protocols,CN=<server>,...`: the server is above `Protocols`.
        let server_dn = dn
            .rdns()
            .iter()
            .position(|rdn| rdn.is("cn", "Protocols"))
            .and_then(|protocols| dn.ancestor(protocols + 1))
            .or_else(|| Placement::of(&dn).server)
            .or_else(|| dn.ancestor(1))
            .unwrap_or_else(|| dn.clone());
        let server = self.server(server_dn);
        let bindings = entry
            .attribute("msExchServerBindings")
            .map(|attribute| crate::exchange::Binding::parse(&attribute.value.text(), entry.location_of(attribute)))
            .collect();
        let display_name = entry.text("adminDisplayName");
        let index = self.topology.virtual_servers.len();
        self.topology.virtual_servers.push(SmtpVirtualServer {
            node: Node::new(dn, Some(entry)),
            server,
            display_name,
            bindings,
        });
        self.topology.servers[server].virtual_servers.push(index);
    }

    fn connector_routing_group(&mut self, dn: &Dn<'a>) -> Option<usize> {
        Placement::of(dn).routing_group.map(|group| self.routing_group(group))
    }

    fn smtp_connector(&mut self, entry: &'a Entry<'a>) {
        let routing_group = self.connector_routing_group(&entry.dn);
        let address_spaces = entry
            .attribute("routingList")
            .map(|attribute| AddressSpace::parse(&attribute.value.text(), entry.location_of(attribute)))
            .collect();
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

/// The DN values of an attribute, with their lines.
fn references<'a>(entry: &'a Entry<'a>, name: &'a str) -> Vec<Reference<'a>> {
    entry.attribute(name).map(|attribute| Reference { dn: Dn::new(attribute.value.text()), entry, attribute }).collect()
}
