//! The topology as the reports draw it: a tree (organization, its accepted domains,
//! administrative groups, routing groups, servers, their virtual servers and receive
//! connectors, and the connectors of each routing group) and the links that routing follows (bridgeheads, routing group connectors'
//! destinations), as owned data that outlives the directory it was read from.
//!
//! Servers hang under their routing group when the export tells it, under their administrative
//! group otherwise; connectors under their routing group. Nodes keep the topology's order, which
//! is input order, so every drawing of the same export is the same.

use std::collections::HashMap;

use serde::Serialize;

use crate::directory::DnKey;
use crate::finding::Finding;

use super::placement::Placement;
use super::{Node, Reference, Relay, Topology};

/// What a node of the outline is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NodeKind {
    Organization,
    AdminGroup,
    RoutingGroup,
    Server,
    VirtualServer,
    ReceiveConnector,
    SmtpConnector,
    SendConnector,
    RoutingGroupConnector,
    X400Connector,
    AcceptedDomain,
    HybridConfiguration,
}

impl NodeKind {
    /// How reports name the kind: `routing group`.
    pub fn label(self) -> &'static str {
        match self {
            NodeKind::Organization => "organization",
            NodeKind::AdminGroup => "administrative group",
            NodeKind::RoutingGroup => "routing group",
            NodeKind::Server => "server",
            NodeKind::VirtualServer => "SMTP virtual server",
            NodeKind::ReceiveConnector => "receive connector",
            NodeKind::SmtpConnector => "SMTP connector",
            NodeKind::SendConnector => "Send connector",
            NodeKind::RoutingGroupConnector => "routing group connector",
            NodeKind::X400Connector => "X.400 connector",
            NodeKind::AcceptedDomain => "accepted domain",
            NodeKind::HybridConfiguration => "hybrid configuration",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OutlineNode {
    pub kind: NodeKind,
    /// As reports name it: `EXBH01`, `1 (Default SMTP Virtual Server)`.
    pub name: String,
    /// As the export writes it.
    pub dn: String,
    /// Whether the export holds the object's entry, or only DNs below it.
    pub exported: bool,
    /// Index of the parent node.
    pub parent: Option<usize>,
    /// Facts worth showing beside the name: version, bindings, address spaces and costs.
    pub details: Vec<String>,
}

/// What a link between two nodes means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkKind {
    /// A connector sends through this virtual server (`msExchSourceBridgeheadServersDN`).
    SourceBridgehead,
    /// A routing group connector delivers to this virtual server (`msExchTargetBridgeheadServersDN`).
    TargetBridgehead,
    /// A routing group connector leads to this routing group (`msExchDestinationRGDN`).
    Destination,
}

impl LinkKind {
    /// How reports name the link: `source bridgehead`.
    pub fn label(self) -> &'static str {
        match self {
            LinkKind::SourceBridgehead => "source bridgehead",
            LinkKind::TargetBridgehead => "target bridgehead",
            LinkKind::Destination => "destination",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Link {
    pub from: usize,
    pub to: usize,
    pub kind: LinkKind,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Outline {
    pub nodes: Vec<OutlineNode>,
    pub links: Vec<Link>,
    #[serde(skip)]
    by_key: HashMap<DnKey, usize>,
}

impl Outline {
    pub fn of(topology: &Topology<'_>) -> Outline {
        let mut outline = Outline::default();
        let organizations: Vec<usize> = topology
            .organizations
            .iter()
            .map(|organization| outline.add(NodeKind::Organization, &organization.node, None, Vec::new()))
            .collect();
        let admin_groups: Vec<usize> = topology
            .admin_groups
            .iter()
            .map(|group| {
                let parent = group.organization.map(|index| organizations[index]);
                outline.add(NodeKind::AdminGroup, &group.node, parent, Vec::new())
            })
            .collect();
        let routing_groups: Vec<usize> = topology
            .routing_groups
            .iter()
            .map(|group| {
                let parent = group.admin_group.map(|index| admin_groups[index]);
                outline.add(NodeKind::RoutingGroup, &group.node, parent, Vec::new())
            })
            .collect();
        let servers: Vec<usize> = topology
            .servers
            .iter()
            .map(|server| {
                let parent = server
                    .routing_group
                    .map(|index| routing_groups[index])
                    .or(server.admin_group.map(|index| admin_groups[index]));
                let details = server.version.iter().map(|version| version.value.to_string()).collect();
                outline.add(NodeKind::Server, &server.node, parent, details)
            })
            .collect();
        for virtual_server in &topology.virtual_servers {
            let details =
                virtual_server.bindings.iter().map(|binding| format!("binding {}", binding.text.trim())).collect();
            let index = outline.add(
                NodeKind::VirtualServer,
                &virtual_server.node,
                Some(servers[virtual_server.server]),
                details,
            );
            outline.nodes[index].name = virtual_server.label();
        }
        for connector in &topology.receive_connectors {
            let details = connector
                .bindings
                .iter()
                .map(|binding| format!("binding {}", binding.text.trim()))
                .chain(connector.remote_ranges.iter().map(|range| format!("remote {}", range.text().trim())))
                .chain(connector.authentication().map(|flags| format!("authentication {}", flags.names())))
                .chain(
                    matches!(topology.anonymous_relay(connector), Relay::Granted(_))
                        .then(|| "anonymous relay allowed".to_owned()),
                )
                .chain((!connector.is_enabled()).then(|| "disabled".to_owned()))
                .collect();
            outline.add(NodeKind::ReceiveConnector, &connector.node, Some(servers[connector.server]), details);
        }
        let group_of = |group: Option<usize>| group.map(|index| routing_groups[index]);
        let mut links = Vec::new();
        for connector in &topology.smtp_connectors {
            let details = connector
                .address_spaces
                .iter()
                .map(|space| format!("address space {}", space.value))
                .chain(connector.smart_host_list().iter().map(|host| format!("smart host {}", host.host)))
                .chain(
                    connector.send_flags().and_then(|flags| flags.tls_auth_level()).map(|level| format!("TLS {level}")),
                )
                .chain(connector.sends_to_exchange_online().then(|| "to Exchange Online".to_owned()))
                .collect();
            let kind = if connector.is_send_connector() { NodeKind::SendConnector } else { NodeKind::SmtpConnector };
            let index = outline.add(kind, &connector.node, group_of(connector.routing_group), details);
            links.extend(
                connector.source_bridgeheads.iter().map(|reference| (index, reference, LinkKind::SourceBridgehead)),
            );
        }
        for connector in &topology.routing_group_connectors {
            let details = vec![format!("cost {}", connector.cost.unwrap_or(1))];
            let index = outline.add(
                NodeKind::RoutingGroupConnector,
                &connector.node,
                group_of(connector.routing_group),
                details,
            );
            links.extend(
                connector.source_bridgeheads.iter().map(|reference| (index, reference, LinkKind::SourceBridgehead)),
            );
            links.extend(
                connector.target_bridgeheads.iter().map(|reference| (index, reference, LinkKind::TargetBridgehead)),
            );
            links.extend(connector.destination.iter().map(|reference| (index, reference, LinkKind::Destination)));
        }
        for connector in &topology.x400_connectors {
            let details =
                connector.address_spaces.iter().map(|space| format!("address space {}", space.value)).collect();
            outline.add(NodeKind::X400Connector, &connector.node, group_of(connector.routing_group), details);
        }
        for domain in &topology.accepted_domains {
            let flags = domain.flag_value();
            let mut details = vec![format!("domain {}", domain.name()), format!("type {}", flags.domain_type())];
            details.extend(flags.is_default().then(|| "default".to_owned()));
            let parent = outline.organization_node(&domain.node);
            outline.add(NodeKind::AcceptedDomain, &domain.node, parent, details);
        }
        for hybrid in &topology.hybrid_configurations {
            let details = hybrid
                .domains
                .iter()
                .map(|domain| format!("domain {}", domain.value))
                .chain(hybrid.named_servers().map(|(server, role)| format!("{role} {}", server.value.name())))
                .collect();
            let parent = outline.organization_node(&hybrid.node);
            outline.add(NodeKind::HybridConfiguration, &hybrid.node, parent, details);
        }
        outline.links = links
            .into_iter()
            .filter_map(|(from, reference, kind): (usize, &Reference<'_>, LinkKind)| {
                Some(Link { from, to: *outline.by_key.get(reference.value.key())?, kind })
            })
            .collect();
        outline
    }

    /// The node of the organization an object's DN belongs to.
    fn organization_node(&self, node: &Node<'_>) -> Option<usize> {
        Placement::of(&node.dn).organization.and_then(|dn| self.by_key.get(dn.key()).copied())
    }

    fn add(&mut self, kind: NodeKind, node: &Node<'_>, parent: Option<usize>, details: Vec<String>) -> usize {
        let index = self.nodes.len();
        self.nodes.push(OutlineNode {
            kind,
            name: node.name.clone(),
            dn: node.dn.text().to_owned(),
            exported: node.is_exported(),
            parent,
            details,
        });
        self.by_key.entry(node.dn.key().clone()).or_insert(index);
        index
    }

    /// The node a finding is about: the object its DN names, or the nearest one above it (the
    /// organization, for its `Message Delivery` settings), or its server's.
    pub fn node_of(&self, finding: &Finding) -> Option<usize> {
        let by_dn = finding.dn.as_deref().and_then(|dn| {
            let mut key = DnKey::of(dn);
            loop {
                if let Some(&index) = self.by_key.get(&key) {
                    return Some(index);
                }
                key = DnKey::of(key.parent()?);
            }
        });
        by_dn.or_else(|| {
            let server = finding.server.as_deref()?;
            self.nodes.iter().position(|node| node.kind == NodeKind::Server && node.name.eq_ignore_ascii_case(server))
        })
    }

    /// Children of a node (of the roots with `None`), in order.
    pub fn children(&self, parent: Option<usize>) -> impl Iterator<Item = usize> + '_ {
        (0..self.nodes.len()).filter(move |&index| self.nodes[index].parent == parent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::Builder;
    use crate::ldif::Records;
    use crate::source::{Source, SourceId};

    fn outline_of(path: &str, test: impl FnOnce(&Outline)) {
        let source = Source::from_bytes(path, std::fs::read(path).unwrap());
        let mut builder = Builder::new();
        for record in Records::new(source.text(), 0..source.text().len()) {
            builder.add(SourceId(0), record.unwrap());
        }
        let directory = builder.finish();
        test(&Outline::of(&Topology::build(&directory)));
    }

    /// The names from the root down to the first node named `name`.
    fn path(outline: &Outline, name: &str) -> String {
        let mut index = outline.nodes.iter().position(|node| node.name == name).unwrap();
        let mut names = vec![outline.nodes[index].name.clone()];
        while let Some(parent) = outline.nodes[index].parent {
            index = parent;
            names.push(outline.nodes[index].name.clone());
        }
        names.reverse();
        names.join(" / ")
    }

    #[test]
    fn the_contoso_sample_outlines_its_organization() {
        outline_of("samples/contoso.ldf", |outline| {
            assert_eq!(path(outline, "EXBH01"), "Contoso / First Administrative Group / First Routing Group / EXBH01");
            assert_eq!(
                path(outline, "Internet Mail"),
                "Contoso / First Administrative Group / First Routing Group / Internet Mail"
            );
            let internet_mail = outline.nodes.iter().position(|node| node.name == "Internet Mail").unwrap();
            let bridgeheads: Vec<&str> = outline
                .links
                .iter()
                .filter(|link| link.from == internet_mail && link.kind == LinkKind::SourceBridgehead)
                .map(|link| outline.nodes[outline.nodes[link.to].parent.unwrap()].name.as_str())
                .collect();
            assert_eq!(bridgeheads, ["EXBH01"]);
        });
    }

    #[test]
    fn the_modern_sample_shows_connectors_under_servers_and_domains_under_the_organization() {
        outline_of("samples/contoso-2019.ldf", |outline| {
            let group =
                "Contoso / Exchange Administrative Group (FYDIBOHF23SPDLT) / Exchange Routing Group (DWBGZMFD01QNBJR)";
            assert_eq!(path(outline, "Anonymous Relay EX01"), format!("{group} / EX01 / Anonymous Relay EX01"));
            assert_eq!(path(outline, "Internet"), format!("{group} / Internet"));
            assert_eq!(path(outline, "All Domains"), "Contoso / All Domains");
            let node = |name: &str| outline.nodes.iter().find(|node| node.name == name).unwrap();
            assert_eq!(node("Internet").kind, NodeKind::SendConnector);
            assert!(node("Anonymous Relay EX01").details.contains(&"anonymous relay allowed".to_owned()));
            let authentication = "authentication Tls, Integrated, BasicAuth, BasicAuthRequireTLS";
            assert!(node("Client Frontend EX01").details.contains(&authentication.to_owned()));
            assert_eq!(node("contoso.com").details, ["domain contoso.com", "type Authoritative", "default"]);
            let cloud = outline.nodes.iter().find(|node| node.name.starts_with("Outbound to Office 365")).unwrap();
            assert!(cloud.details.contains(&"TLS DomainValidation".to_owned()), "{:?}", cloud.details);
            assert!(cloud.details.contains(&"to Exchange Online".to_owned()));
        });
    }
}
