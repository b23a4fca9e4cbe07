//! Building the [`Topology`] from the directory: each object from its entry, parents before
//! children, and the groups and servers that have no entry from the DNs below them.

use std::collections::HashMap;

use crate::directory::{Directory, Dn, DnKey, Entry};
use crate::security::{Guid, SecurityDescriptor};

use super::class::*;
use super::placement::{Placement, server_above_protocols};
use super::transport_flags::AcceptedDomainFlags;
use super::{
    ACCEPT_ANY_RECIPIENT, AcceptedDomain, AddressSpace, AdminGroup, Binding, HybridConfiguration, IpRange, Located,
    MessageLimits, Node, Organization, ReceiveConnector, RecipientPolicy, Reference, ReferenceKind, RoutingGroup,
    RoutingGroupConnector, Server, ServerVersion, SmartHost, SmtpConnector, SmtpVirtualServer, Topology, X400Connector,
    is_hidden_server_connector, target,
};

pub(super) fn build<'a>(directory: &'a Directory<'a>) -> Topology<'a> {
    let mut builder = Builder { directory, topology: Topology::default(), index: HashMap::new() };
    builder.read_entries();
    builder.topology.directory = Some(directory);
    builder.topology.target_classes = target::TARGET_CLASSES
        .iter()
        .filter(|class| !directory.of_class(class.name, class.category).is_empty())
        .map(|class| class.name)
        .collect();
    builder.topology
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
        self.collect_connectors();
        let nodes = |class: Class| -> Vec<Node<'a>> {
            directory.of_class(class.name, class.category).into_iter().map(node).collect()
        };
        let limits = |class: Class| nodes(class).into_iter().map(|node| MessageLimits { node }).collect();
        self.topology.message_delivery = limits(MESSAGE_DELIVERY);
        self.topology.transport_settings = limits(TRANSPORT_SETTINGS);
        self.topology.recipient_policies = nodes(RECIPIENT_POLICY)
            .into_iter()
            .map(|node| {
                let domains = node.lines("msExchNonAuthoritativeDomains", |domain| domain.trim().to_owned());
                let non_authoritative_domains = domains.into_iter().filter(|domain| !domain.is_empty()).collect();
                RecipientPolicy { node, non_authoritative_domains }
            })
            .collect();
        self.topology.public_stores = nodes(PUBLIC_STORE);
        self.topology.accepted_domains = nodes(ACCEPTED_DOMAIN)
            .into_iter()
            .map(|node| AcceptedDomain {
                domain: node.text("msExchAcceptedDomainName"),
                flags: node.integer("msExchAcceptedDomainFlags").map(|flags| flags.map(AcceptedDomainFlags)),
                node,
            })
            .collect();
        self.topology.hybrid_configurations =
            nodes(HYBRID_CONFIGURATION).into_iter().map(HybridConfiguration::read).collect();
        self.topology.accept_any_recipient = nodes(CONTROL_ACCESS_RIGHT)
            .into_iter()
            .filter(|node| node.name.eq_ignore_ascii_case(ACCEPT_ANY_RECIPIENT))
            .find_map(|node| node.text("rightsGuid")?.map(|text| Guid::parse(&text)).transpose());
        self.assign_routing_groups_from_members();
    }

    /// The connectors in each routing group's `CN=Connections`, of every class, in file order;
    /// the hidden per-server objects are left out.
    fn collect_connectors(&mut self) {
        let directory = self.directory;
        let mut connectors: Vec<&'a Entry<'a>> = [CONNECTOR, SMTP_CONNECTOR, ROUTING_GROUP_CONNECTOR, X400_CONNECTOR]
            .iter()
            .flat_map(|class| directory.of_class(class.name, class.category))
            .collect();
        connectors.sort_unstable_by(|a, b| a.dn.key().cmp(b.dn.key()));
        connectors.dedup_by(|a, b| a.dn.key() == b.dn.key());
        connectors.sort_unstable_by_key(|connector| (connector.source, connector.span.start));
        for connector in connectors.into_iter().map(node) {
            if is_hidden_server_connector(&connector) {
                continue;
            }
            if let Some(group) = self.connector_routing_group(&connector.dn) {
                self.topology.routing_groups[group].connectors.push(connector);
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

    /// The entry below `dn` with this RDN, when the export has it.
    fn child(&self, dn: &Dn<'a>, rdn: &str) -> Option<Node<'a>> {
        self.directory.get_key(&format!("{rdn},{}", dn.key())).map(node)
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
            let servers_container = builder.child(&dn, "cn=servers");
            let routing_groups_container = builder.child(&dn, "cn=routing groups");
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
            let master = references(&node, ReferenceKind::RoutingMaster).into_iter().next();
            let connections = builder.child(&dn, "cn=connections");
            builder.topology.routing_groups.push(RoutingGroup {
                node,
                admin_group,
                master,
                connections,
                connectors: Vec::new(),
            });
            builder.topology.routing_groups.len() - 1
        })
    }

    fn server(&mut self, dn: Dn<'a>) -> usize {
        self.intern(Kind::Server, &dn, |builder, node| {
            let admin_group = Placement::of(&dn).admin_group.map(|group| builder.admin_group(group));
            let version = node.text("serialNumber").and_then(|serial| {
                let version = ServerVersion::parse(&serial)?;
                Some(serial.with(version))
            });
            let membership = references(&node, ReferenceKind::HomeRoutingGroup).into_iter().next();
            let routing_group = membership.as_ref().map(|home| builder.routing_group(home.value.clone()));
            builder.topology.servers.push(Server {
                node,
                admin_group,
                routing_group,
                membership,
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
        let server_dn = server_above_protocols(dn).or_else(|| dn.ancestor(1)).unwrap_or_else(|| dn.clone());
        self.server(server_dn)
    }

    fn virtual_server(&mut self, entry: &'a Entry<'a>) {
        let server = self.protocol_server(&entry.dn);
        let node = node(entry);
        let bindings = node.lines("msExchServerBindings", Binding::parse);
        let display_name = node.text("adminDisplayName").map(|name| name.value);
        let smart_hosts = smart_hosts(&node);
        let index = self.topology.virtual_servers.len();
        self.topology.virtual_servers.push(SmtpVirtualServer { node, server, display_name, bindings, smart_hosts });
        self.topology.servers[server].virtual_servers.push(index);
    }

    fn receive_connector(&mut self, entry: &'a Entry<'a>) {
        let server = self.protocol_server(&entry.dn);
        let node = node(entry);
        self.topology.receive_connectors.push(ReceiveConnector {
            server,
            bindings: node.lines("msExchSmtpReceiveBindings", Binding::parse_endpoint),
            remote_ranges: node.lines("msExchSmtpReceiveRemoteIPRanges", IpRange::parse),
            security_descriptor: node.binary("nTSecurityDescriptor", SecurityDescriptor::parse),
            node,
        });
    }

    fn x400_connector(&mut self, entry: &'a Entry<'a>) {
        let routing_group = self.connector_routing_group(&entry.dn);
        let node = node(entry);
        let address_spaces = address_spaces(&node);
        self.topology.x400_connectors.push(X400Connector { node, routing_group, address_spaces });
    }

    fn connector_routing_group(&mut self, dn: &Dn<'a>) -> Option<usize> {
        Placement::of(dn).routing_group.map(|group| self.routing_group(group))
    }

    fn smtp_connector(&mut self, entry: &'a Entry<'a>) {
        let routing_group = self.connector_routing_group(&entry.dn);
        let node = node(entry);
        self.topology.smtp_connectors.push(SmtpConnector {
            routing_group,
            address_spaces: address_spaces(&node),
            source_bridgeheads: references(&node, ReferenceKind::SourceBridgehead),
            smart_hosts: smart_hosts(&node),
            node,
        });
    }

    fn routing_group_connector(&mut self, entry: &'a Entry<'a>) {
        let routing_group = self.connector_routing_group(&entry.dn);
        let node = node(entry);
        self.topology.routing_group_connectors.push(RoutingGroupConnector {
            routing_group,
            destination: references(&node, ReferenceKind::DestinationRoutingGroup).into_iter().next(),
            source_bridgeheads: references(&node, ReferenceKind::SourceBridgehead),
            target_bridgeheads: references(&node, ReferenceKind::TargetBridgehead),
            cost: node.text("cost").and_then(|cost| cost.parse().ok()),
            node,
        });
    }

    /// Servers whose entry has no `msExchHomeRoutingGroup` (or that have no entry) belong to
    /// the routing group whose membership back-link lists them.
    fn assign_routing_groups_from_members(&mut self) {
        let members: Vec<(usize, Reference<'a>)> = self
            .topology
            .routing_groups
            .iter()
            .enumerate()
            .flat_map(|(index, group)| {
                [ReferenceKind::RoutingGroupMembersBacklink, ReferenceKind::RoutingGroupMembers]
                    .into_iter()
                    .flat_map(|kind| references(&group.node, kind))
                    .map(move |member| (index, member))
            })
            .collect();
        for (group, member) in members {
            if let Some(&server) = self.index.get(&(Kind::Server, member.value.key().clone())) {
                let server = &mut self.topology.servers[server];
                if server.routing_group.is_none() {
                    server.routing_group = Some(group);
                    server.membership = Some(member);
                }
            }
        }
    }
}

/// An exported entry as a node of the topology.
fn node<'a>(entry: &'a Entry<'a>) -> Node<'a> {
    Node::new(entry.dn.clone(), Some(entry))
}

/// `routingList`, parsed.
fn address_spaces<'a>(node: &Node<'a>) -> Vec<Located<'a, AddressSpace>> {
    node.lines("routingList", AddressSpace::parse)
}

/// `msExchSmtpSmartHost`, split into hosts.
fn smart_hosts<'a>(node: &Node<'a>) -> Option<Located<'a, Vec<SmartHost>>> {
    let line = node.line("msExchSmtpSmartHost")?;
    let hosts = SmartHost::parse_list(&line.text());
    Some(line.with(hosts))
}

/// The DNs a node's references of one kind name, with their lines.
pub(super) fn references<'a>(node: &Node<'a>, kind: ReferenceKind) -> Vec<Reference<'a>> {
    node.lines(kind.attribute(), |dn| Dn::new(dn.to_owned()))
}

/// A directory read from LDIF text, for tests.
#[cfg(test)]
pub(super) fn test_directory(text: &str) -> Directory<'_> {
    let mut builder = crate::directory::Builder::new();
    for record in crate::ldif::records(text.as_bytes()) {
        builder.add(crate::source::SourceId(0), record.expect("valid test LDIF"));
    }
    builder.finish()
}

#[cfg(test)]
mod tests {
    mod connections {
        use super::super::*;
        use crate::exchange::EXCHANGE_2007_ROUTING_GROUP;
        use crate::exchange::builder::test_directory;

        const RG: &str = "CN=First Routing Group,CN=Routing Groups,CN=First Administrative Group,CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com";
        const SERVERS: &str = "CN=Servers,CN=First Administrative Group,CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com";

        fn export() -> String {
            format!(
                "dn: CN=Connections,{RG}\nobjectClass: msExchConnectors\n\n\
                 dn: CN=Zeta,CN=Connections,{RG}\nobjectClass: msExchConnector\nobjectClass: msExchRoutingSMTPConnector\n\
                 routingList: SMTP:*;1\nmsExchSourceBridgeheadServersDN: cn=1, cn=smtp, cn=protocols, cn=exbh01, {}\n\n\
                 dn: CN=SMTP (EXBH01-{{8C2E5F04-1D3B-4A7E-9B61-2F0C7D5A9E13}}),CN=Connections,{RG}\nobjectClass: msExchConnector\nobjectClass: msExchRoutingSMTPConnector\n\n\
                 dn: CN=Alpha,CN=Connections,{RG}\nobjectClass: msExchConnector\nobjectClass: msExchRoutingSMTPConnector\n\
                 msExchSmtpSendPort: 25\n\n\
                 dn: CN=Notes,CN=Connections,{RG}\nobjectClass: top\nobjectClass: msExchConnector\n\n\
                 dn: CN=EXBH01,{SERVERS}\nobjectClass: msExchExchangeServer\nmsExchHomeRoutingGroup: {RG}\n",
                SERVERS.to_lowercase()
            )
        }

        #[test]
        fn routing_groups_hold_their_connectors_in_file_order() {
            let text = export();
            let directory = test_directory(&text);
            let topology = Topology::build(&directory);
            let group = &topology.routing_groups[0];
            assert!(group.connections.is_some());
            let names: Vec<String> = group.connectors.iter().map(|node| node.name.clone()).collect();
            assert_eq!(names, ["Zeta", "Alpha", "Notes"], "the hidden per-server object is left out");
            assert_eq!(topology.smtp_connectors.len(), 3, "the hidden object is still an SMTP connector");
            assert_eq!(topology.routing_group_index(&Dn::new(RG.to_uppercase())), Some(0));
        }

        #[test]
        fn bridgeheads_name_their_server_without_the_virtual_server_entry() {
            let text = export();
            let directory = test_directory(&text);
            let topology = Topology::build(&directory);
            let server = topology.server_named("EXBH01").unwrap();
            assert!(topology.virtual_servers_of(server).next().is_none());
            let zeta = &topology.smtp_connectors[0];
            assert_eq!(topology.server_of(&zeta.source_bridgeheads[0]).map(Server::name), Some("EXBH01"));
            let connectors: Vec<&str> = topology
                .smtp_connectors_bridgeheaded_by(server)
                .map(|(connector, _)| connector.node.name.as_str())
                .collect();
            assert_eq!(connectors, ["Zeta"]);
        }

        #[test]
        fn send_connectors_are_told_from_smtp_connectors() {
            let text = export();
            let directory = test_directory(&text);
            let topology = Topology::build(&directory);
            let send: Vec<bool> = topology.smtp_connectors.iter().map(SmtpConnector::is_send_connector).collect();
            assert_eq!(send, [false, false, true], "Zeta, the hidden object, Alpha (msExchSmtpSendPort)");
            let in_2007_group = format!(
                "dn: CN=Internet,CN=Connections,CN={EXCHANGE_2007_ROUTING_GROUP},CN=Routing Groups,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com\nobjectClass: msExchRoutingSMTPConnector\n"
            );
            let directory = test_directory(&in_2007_group);
            assert!(Topology::build(&directory).smtp_connectors[0].is_send_connector());
        }
    }

    mod membership {
        use super::super::*;
        use crate::exchange::builder::test_directory;

        const AG: &str = "CN=First Administrative Group,CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com";

        fn export() -> String {
            format!(
                "dn: {AG}\nobjectClass: msExchAdminGroup\n\n\
                 dn: CN=First Routing Group,CN=Routing Groups,{AG}\nobjectClass: msExchRoutingGroup\n\
                 msExchRoutingGroupMembersBL: cn=exmb01,cn=servers,{AG}\n\
                 msExchRoutingGroupMembersBL: CN=EXBH01,CN=Servers,{AG}\n\n\
                 dn: CN=Second Routing Group,CN=Routing Groups,{AG}\nobjectClass: msExchRoutingGroup\n\n\
                 dn: CN=EXBH01,CN=Servers,{AG}\nobjectClass: msExchExchangeServer\n\
                 msExchHomeRoutingGroup: CN=Second Routing Group,CN=Routing Groups,{AG}\n\n\
                 dn: CN=EXMB01,CN=Servers,{AG}\nobjectClass: msExchExchangeServer\n\n"
            )
        }

        #[test]
        fn membership_comes_from_the_home_routing_group_first() {
            let text = export();
            let directory = test_directory(&text);
            let topology = Topology::build(&directory);
            let group_name = |server: &Server<'_>| {
                server.routing_group.map(|group| topology.routing_groups[group].node.name.clone())
            };
            let bridgehead =
                &topology.servers[topology.server_with_dn(&Dn::new(format!("cn=exbh01, cn=servers, {AG}"))).unwrap()];
            assert_eq!(group_name(bridgehead).as_deref(), Some("Second Routing Group"));
            assert_eq!(bridgehead.membership.as_ref().unwrap().attribute(), "msExchHomeRoutingGroup");
            let mailbox = topology.server_named("EXMB01").unwrap();
            assert_eq!(group_name(mailbox).as_deref(), Some("First Routing Group"));
            let membership = mailbox.membership.as_ref().unwrap();
            assert_eq!(
                (membership.attribute(), membership.dn().name().as_str()),
                ("msExchRoutingGroupMembersBL", "First Routing Group")
            );
        }

        #[test]
        fn lists_references_and_routing_groups_of_an_admin_group() {
            let text = export();
            let directory = test_directory(&text);
            let topology = Topology::build(&directory);
            let members: Vec<String> =
                topology.references(ReferenceKind::RoutingGroupMembersBacklink).map(|member| member.name()).collect();
            assert_eq!(members, ["exmb01", "EXBH01"]);
            let groups: Vec<&str> = topology.routing_groups_of(0).map(|group| group.node.name.as_str()).collect();
            assert_eq!(groups, ["First Routing Group", "Second Routing Group"]);
            assert!(!topology.routing_groups[0].is_exchange_2007());
            assert!(is_server(&topology.servers[0].node));
            assert!(!is_server(&topology.routing_groups[0].node));
            assert_eq!(topology.routing_groups[0].node.label(), "routing group `First Routing Group`");
            assert_eq!(topology.admin_groups[0].node.label(), "`First Administrative Group`");
        }
    }
}
