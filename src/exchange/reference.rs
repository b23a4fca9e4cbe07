//! DN-valued attribute values: references from one object to another.

use crate::directory::Dn;

use super::Located;
use super::class::{Class, MTA, ROUTING_GROUP, SERVER, SMTP_VIRTUAL_SERVER};
use super::placement::server_above_protocols;

/// A DN another object's attribute names, with the line that names it.
pub type Reference<'a> = Located<'a, Dn<'a>>;

impl<'a> Reference<'a> {
    /// The server of a virtual server's DN (a bridgehead): the DN above `CN=Protocols`, as
    /// Exchange derives a bridgehead's server, whether or not the export has the virtual server.
    pub fn server_dn(&self) -> Option<Dn<'a>> {
        server_above_protocols(&self.value)
    }

    /// Which kind of reference the line is, when exlint knows its attribute.
    pub fn kind(&self) -> Option<ReferenceKind> {
        ReferenceKind::ALL.into_iter().find(|kind| self.attribute().eq_ignore_ascii_case(kind.attribute()))
    }
}

/// The DN-valued attributes of mail routing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReferenceKind {
    /// The virtual servers a connector sends through.
    SourceBridgehead,
    /// The virtual servers a routing group connector delivers to.
    TargetBridgehead,
    /// A server's MTA.
    HomeMta,
    /// The MTA responsible for a routing group or the organization.
    ResponsibleMta,
    /// The routing group a routing group connector leads to.
    DestinationRoutingGroup,
    /// A server's routing group.
    HomeRoutingGroup,
    /// A routing group's master server.
    RoutingMaster,
    /// A routing group's servers, as the back-link Exchange 2003 keeps.
    RoutingGroupMembersBacklink,
    /// A routing group's servers, as Exchange 2000 keeps them.
    RoutingGroupMembers,
}

impl ReferenceKind {
    pub const ALL: [ReferenceKind; 9] = [
        ReferenceKind::SourceBridgehead,
        ReferenceKind::TargetBridgehead,
        ReferenceKind::HomeMta,
        ReferenceKind::ResponsibleMta,
        ReferenceKind::DestinationRoutingGroup,
        ReferenceKind::HomeRoutingGroup,
        ReferenceKind::RoutingMaster,
        ReferenceKind::RoutingGroupMembersBacklink,
        ReferenceKind::RoutingGroupMembers,
    ];

    /// The attribute that holds it.
    pub fn attribute(self) -> &'static str {
        match self {
            ReferenceKind::SourceBridgehead => "msExchSourceBridgeheadServersDN",
            ReferenceKind::TargetBridgehead => "msExchTargetBridgeheadServersDN",
            ReferenceKind::HomeMta => "homeMTA",
            ReferenceKind::ResponsibleMta => "msExchResponsibleMTAServer",
            ReferenceKind::DestinationRoutingGroup => "msExchDestinationRGDN",
            ReferenceKind::HomeRoutingGroup => "msExchHomeRoutingGroup",
            ReferenceKind::RoutingMaster => "msExchRoutingMasterDN",
            ReferenceKind::RoutingGroupMembersBacklink => "msExchRoutingGroupMembersBL",
            ReferenceKind::RoutingGroupMembers => "msExchRoutingGroupMembersDN",
        }
    }

    /// The class of the objects it points at, when that class is of one kind.
    pub(super) fn target_class(self) -> Option<&'static Class> {
        match self {
            ReferenceKind::SourceBridgehead | ReferenceKind::TargetBridgehead => Some(&SMTP_VIRTUAL_SERVER),
            ReferenceKind::HomeMta | ReferenceKind::ResponsibleMta => Some(&MTA),
            ReferenceKind::DestinationRoutingGroup | ReferenceKind::HomeRoutingGroup => Some(&ROUTING_GROUP),
            ReferenceKind::RoutingMaster => Some(&SERVER),
            ReferenceKind::RoutingGroupMembersBacklink | ReferenceKind::RoutingGroupMembers => None,
        }
    }
}
