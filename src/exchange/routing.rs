//! The organization, its administrative groups and routing groups.

use super::{Located, Node, Reference};

/// The administrative group Exchange 2007 and later put all their servers in; its name is fixed.
pub const EXCHANGE_2007_ADMIN_GROUP: &str = "Exchange Administrative Group (FYDIBOHF23SPDLT)";
/// The routing group Exchange 2007 and later put all their servers in, inside
/// [`EXCHANGE_2007_ADMIN_GROUP`]; its name is fixed.
pub const EXCHANGE_2007_ROUTING_GROUP: &str = "Exchange Routing Group (DWBGZMFD01QNBJR)";

#[derive(Clone, Debug)]
pub struct Organization<'a> {
    pub node: Node<'a>,
}

#[derive(Clone, Debug)]
pub struct AdminGroup<'a> {
    pub node: Node<'a>,
    /// Index into [`Topology::organizations`](super::Topology::organizations).
    pub organization: Option<usize>,
    /// Its `CN=Servers` container, when the export has it.
    pub servers_container: Option<Node<'a>>,
    /// Its `CN=Routing Groups` container, when the export has it.
    pub routing_groups_container: Option<Node<'a>>,
}

impl AdminGroup<'_> {
    /// Whether this is the administrative group of Exchange 2007 and later servers.
    pub fn is_exchange_2007(&self) -> bool {
        self.node.name.eq_ignore_ascii_case(EXCHANGE_2007_ADMIN_GROUP)
    }
}

#[derive(Clone, Debug)]
pub struct RoutingGroup<'a> {
    pub node: Node<'a>,
    /// Index into [`Topology::admin_groups`](super::Topology::admin_groups).
    pub admin_group: Option<usize>,
    /// `msExchRoutingMasterDN`: the routing group master server.
    pub master: Option<Reference<'a>>,
    /// Its `CN=Connections` container, when the export has it.
    pub connections: Option<Node<'a>>,
    /// The connectors of every class (SMTP, routing group, X.400, EDK...) in its
    /// `CN=Connections`, in file order, but for the hidden per-server objects
    /// ([`is_hidden_server_connector`](super::is_hidden_server_connector)).
    pub connectors: Vec<Node<'a>>,
}

impl RoutingGroup<'_> {
    /// Whether this is the routing group of Exchange 2007 and later servers.
    pub fn is_exchange_2007(&self) -> bool {
        self.node.name.eq_ignore_ascii_case(EXCHANGE_2007_ROUTING_GROUP)
    }
}

/// A recipient policy (`msExchRecipientPolicy`).
#[derive(Clone, Debug)]
pub struct RecipientPolicy<'a> {
    pub node: Node<'a>,
    /// `msExchNonAuthoritativeDomains`: domains the organization receives mail for without
    /// holding all their recipients, in file order, blank values left out.
    pub non_authoritative_domains: Vec<Located<'a, String>>,
}
