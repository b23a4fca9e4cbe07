//! The organization, its administrative groups and routing groups, and where a DN sits among
//! them.

use crate::directory::{Dn, Entry};

use super::Node;
use super::connector::Reference;

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
    pub servers_container: Option<&'a Entry<'a>>,
    /// Its `CN=Routing Groups` container, when the export has it.
    pub routing_groups_container: Option<&'a Entry<'a>>,
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
    pub connections: Option<&'a Entry<'a>>,
    /// The connectors of every class (SMTP, routing group, X.400, EDK...) in its
    /// `CN=Connections`, in file order, but for the hidden per-server objects
    /// ([`is_hidden_server_connector`](super::is_hidden_server_connector)).
    pub connectors: Vec<&'a Entry<'a>>,
}

impl RoutingGroup<'_> {
    /// Whether this is the routing group of Exchange 2007 and later servers.
    pub fn is_exchange_2007(&self) -> bool {
        self.node.name.eq_ignore_ascii_case(EXCHANGE_2007_ROUTING_GROUP)
    }
}

/// Where a DN sits in the Exchange tree, read from its RDNs alone, so that objects whose
/// parents are missing from the export still find their organization, administrative group,
/// server and routing group:
///
/// ```text
/// ...,CN=<server>,CN=Servers,CN=<admin group>,CN=Administrative Groups,CN=<org>,CN=Microsoft Exchange,...
/// ...,CN=<routing group>,CN=Routing Groups,CN=<admin group>,CN=Administrative Groups,CN=<org>,...
/// ```
#[derive(Clone, Debug, Default)]
pub(super) struct Placement<'a> {
    pub(super) organization: Option<Dn<'a>>,
    pub(super) admin_group: Option<Dn<'a>>,
    pub(super) server: Option<Dn<'a>>,
    pub(super) routing_group: Option<Dn<'a>>,
}

impl<'a> Placement<'a> {
    pub(super) fn of(dn: &Dn<'a>) -> Placement<'a> {
        let rdns = dn.rdns();
        // The last (rootmost) occurrence: a name inside the tree could be spelled the same.
        let Some(groups) = rdns.iter().rposition(|rdn| rdn.is("cn", "Administrative Groups")) else {
            // Outside the administrative groups (`CN=Message Delivery,CN=Global Settings,...`),
            // the organization is the RDN below `CN=Microsoft Exchange`.
            let exchange = rdns.iter().rposition(|rdn| rdn.is("cn", "Microsoft Exchange"));
            let organization = exchange.filter(|&exchange| exchange > 0).and_then(|exchange| dn.ancestor(exchange - 1));
            return Placement { organization, ..Placement::default() };
        };
        let mut placement = Placement { organization: dn.ancestor(groups + 1), ..Placement::default() };
        if groups == 0 {
            return placement;
        }
        placement.admin_group = dn.ancestor(groups - 1);
        if groups >= 3 {
            let container = &rdns[groups - 2];
            if container.is("cn", "Servers") {
                placement.server = dn.ancestor(groups - 3);
            } else if container.is("cn", "Routing Groups") {
                placement.routing_group = dn.ancestor(groups - 3);
            }
        }
        placement
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORG: &str = "CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com";

    #[test]
    fn places_objects_below_servers() {
        let vsi = Dn::new(format!(
            "CN=1,CN=SMTP,CN=Protocols,CN=EXBH01,CN=Servers,CN=First Administrative Group,CN=Administrative Groups,{ORG}"
        ));
        let placement = Placement::of(&vsi);
        assert_eq!(placement.organization.unwrap().text(), ORG);
        assert_eq!(placement.admin_group.unwrap().name(), "First Administrative Group");
        assert_eq!(placement.server.unwrap().name(), "EXBH01");
        assert!(placement.routing_group.is_none());
    }

    #[test]
    fn places_connectors_in_their_routing_group() {
        let connector = Dn::new(format!(
            "cn=Internet Mail, cn=Connections, cn=First Routing Group, cn=Routing Groups, cn=First Administrative Group, cn=administrative groups,{ORG}"
        ));
        let placement = Placement::of(&connector);
        assert_eq!(placement.routing_group.unwrap().name(), "First Routing Group");
        assert!(placement.server.is_none());
    }

    #[test]
    fn places_groups_themselves() {
        let group = Placement::of(&Dn::new(format!("CN=First Administrative Group,CN=Administrative Groups,{ORG}")));
        assert_eq!(group.admin_group.unwrap().name(), "First Administrative Group");
        let org = Placement::of(&Dn::new(format!("CN=Administrative Groups,{ORG}")));
        assert_eq!(org.organization.unwrap().name(), "Contoso");
        assert!(org.admin_group.is_none());
        assert!(Placement::of(&Dn::new("CN=x,DC=y")).organization.is_none());
        let settings = Placement::of(&Dn::new(format!("CN=Message Delivery,CN=Global Settings,{ORG}")));
        assert_eq!(settings.organization.unwrap().name(), "Contoso");
    }
}
