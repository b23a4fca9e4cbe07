//! Where a DN sits in the Exchange tree, read from its RDNs alone.

use crate::directory::Dn;

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

/// The server an object below `CN=Protocols,CN=<server>,...` belongs to (a virtual server, a
/// receive connector, or a bridgehead value naming one): the DN above `CN=Protocols`, else the
/// server its placement names.
pub(super) fn server_above_protocols<'a>(dn: &Dn<'a>) -> Option<Dn<'a>> {
    dn.rdns()
        .iter()
        .position(|rdn| rdn.is("cn", "Protocols"))
        .and_then(|protocols| dn.ancestor(protocols + 1))
        .or_else(|| Placement::of(dn).server)
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
