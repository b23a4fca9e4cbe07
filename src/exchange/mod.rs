//! The Exchange topology read from the directory: organization, administrative groups,
//! routing groups, servers, SMTP virtual servers and connectors.
//!
//! Objects are recognised by `objectClass` or, when an export left it out, by the class that
//! `objectCategory` names. An export is often filtered (only virtual servers and connectors,
//! say), so nothing here requires a parent entry: a server, administrative group or routing
//! group that has no entry is still known from the DNs of the objects below it, as a node
//! without an entry. Objects refer to each other by index into the [`Topology`]'s lists, which
//! keep input order, so every walk over them is deterministic.

mod builder;
mod certificate;
mod class;
mod connector;
mod domains;
mod flags;
mod hybrid;
mod ip;
pub mod lifecycle;
mod limits;
mod located;
mod node;
mod outline;
mod placement;
mod reference;
mod routing;
mod server;
mod smtp;
mod target;
mod transport_flags;

use crate::directory::{Directory, Dn};
use crate::security::{Grant, Guid, Sid};

use builder::references;
pub use certificate::Certificate;
pub use class::is_server;
pub use connector::{
    AddressSpace, AddressSpaceConnector, AddressSpaceProblem, CertificateName, DeliveryRestriction,
    RoutingGroupConnector, SmartHost, SmtpConnector, X400Connector, is_hidden_server_connector,
};
pub use domains::AcceptedDomain;
pub use flags::{
    AuthenticationMethods, DEFAULT_INBOUND_COMMANDS, ESMTP_VERBS, EsmtpVerb, MissingVerb, missing_default_verbs,
};
pub use hybrid::HybridConfiguration;
pub use ip::{Address, IpRange};
pub use limits::{Limit, MessageLimits};
pub use located::Located;
pub use node::Node;
pub use outline::{Link, LinkKind, NodeKind, Outline, OutlineNode};
use placement::Placement;
pub use reference::{Reference, ReferenceKind};
pub use routing::{
    AdminGroup, EXCHANGE_2007_ADMIN_GROUP, EXCHANGE_2007_ROUTING_GROUP, Organization, RecipientPolicy, RoutingGroup,
};
pub use server::{Server, ServerVersion};
pub use smtp::{Binding, ReceiveConnector, SmtpVirtualServer};
pub use target::Target;
pub use transport_flags::{
    AcceptedDomainFlags, AcceptedDomainType, OutboundSecurity, ReceiveAuthentication, SendFlags, TlsAuthLevel,
};

/// The name of the extended right that lets a receive connector's session relay.
pub const ACCEPT_ANY_RECIPIENT: &str = "ms-Exch-SMTP-Accept-Any-Recipient";

/// What a receive connector's security descriptor says about anonymous relay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Relay {
    /// The export lacks the `ms-Exch-SMTP-Accept-Any-Recipient` extended right, so the right's
    /// GUID is unknown.
    RightUnknown,
    /// The connector's entry has no `nTSecurityDescriptor`.
    NotExported,
    /// The descriptor is damaged: why.
    Unreadable(String),
    /// Anonymous sessions may relay, and what grants it.
    Granted(Grant),
    Refused,
}

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
    pub message_delivery: Vec<MessageLimits<'a>>,
    /// `CN=Transport Settings,...`: Exchange 2007 SP1+ organization limits.
    pub transport_settings: Vec<MessageLimits<'a>>,
    pub recipient_policies: Vec<RecipientPolicy<'a>>,
    pub public_stores: Vec<Node<'a>>,
    /// Exchange 2007+ accepted domains.
    pub accepted_domains: Vec<AcceptedDomain<'a>>,
    /// The hybrid configuration objects (one per organization that is hybrid).
    pub hybrid_configurations: Vec<HybridConfiguration<'a>>,
    /// The `rightsGuid` of `CN=ms-Exch-SMTP-Accept-Any-Recipient,CN=Extended-Rights,...`, the
    /// right that lets a receive connector's session relay.
    pub accept_any_recipient: Option<Located<'a, Guid>>,
    /// The index the topology was built from, for resolving references ([`Topology::resolve`]).
    pub(super) directory: Option<&'a Directory<'a>>,
    /// Which of the classes references point at ([`target::TARGET_CLASSES`]) the export holds
    /// entries of, by `objectClass` name.
    pub(super) target_classes: Vec<&'static str>,
}

impl<'a> Topology<'a> {
    pub fn build(directory: &'a Directory<'a>) -> Topology<'a> {
        builder::build(directory)
    }

    /// Every reference of one kind on any entry of the export, in file order.
    pub fn references(&self, kind: ReferenceKind) -> impl Iterator<Item = Reference<'a>> + use<'a> {
        self.directory
            .into_iter()
            .flat_map(|directory| directory.entries())
            .flat_map(move |entry| references(&Node::new(entry.dn.clone(), Some(entry)), kind))
    }

    /// The server whose DN this is, however it is spelled.
    pub fn server_with_dn(&self, dn: &Dn<'_>) -> Option<usize> {
        self.servers.iter().position(|server| server.node.dn.key() == dn.key())
    }

    /// The routing groups of an administrative group (an index into `admin_groups`).
    pub fn routing_groups_of(&self, admin_group: usize) -> impl Iterator<Item = &RoutingGroup<'a>> {
        self.routing_groups.iter().filter(move |group| group.admin_group == Some(admin_group))
    }

    /// Server names, sorted, for messages that tell the user what the export holds.
    pub fn server_names(&self) -> String {
        let mut names: Vec<&str> = self.servers.iter().map(Server::name).collect();
        names.sort_unstable_by_key(|name| name.to_lowercase());
        if names.is_empty() { "none".to_owned() } else { names.join(", ") }
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

    /// The virtual servers of `server` that route mail: none when it is Exchange 2007 or later,
    /// whose virtual server is a placeholder that the rules written for Exchange 2000/2003 must
    /// not judge (DOMAIN.md A.4).
    pub fn legacy_virtual_servers_of<'t>(
        &'t self,
        server: &'t Server<'a>,
    ) -> impl Iterator<Item = &'t SmtpVirtualServer<'a>> {
        let routes = server.routes_with_virtual_servers();
        self.virtual_servers_of(server).filter(move |_| routes)
    }

    /// Every virtual server that routes mail: those of Exchange 2000/2003 servers, and of
    /// servers whose version the export does not tell.
    pub fn legacy_virtual_servers(&self) -> impl Iterator<Item = &SmtpVirtualServer<'a>> {
        self.virtual_servers
            .iter()
            .filter(|virtual_server| self.servers[virtual_server.server].routes_with_virtual_servers())
    }

    /// The server a bridgehead value (a virtual server's DN) belongs to, when the topology
    /// knows that server: from its entry, or from objects below it.
    pub fn server_of(&self, bridgehead: &Reference<'_>) -> Option<&Server<'a>> {
        let server = bridgehead.server_dn()?;
        self.servers.iter().find(|known| known.node.dn.key() == server.key())
    }

    /// The SMTP connectors that list a virtual server of `server` among their source
    /// bridgeheads, each with the first value that does. Bridgeheads are matched by the server
    /// their DN names, as Exchange does, so a connector is found even when the export lacks
    /// the virtual server's entry.
    pub fn smtp_connectors_bridgeheaded_by<'t>(
        &'t self,
        server: &'t Server<'a>,
    ) -> impl Iterator<Item = (&'t SmtpConnector<'a>, &'t Reference<'a>)> {
        let key = server.node.dn.key();
        self.smtp_connectors.iter().filter_map(move |connector| {
            let bridgehead = connector
                .source_bridgeheads
                .iter()
                .find(|bridgehead| bridgehead.server_dn().is_some_and(|dn| dn.key() == key))?;
            Some((connector, bridgehead))
        })
    }

    /// The connectors that carry address spaces (`routingList`): SMTP and Send connectors,
    /// then X.400 connectors, each with the words reports name its kind with.
    pub fn address_space_connectors(&self) -> impl Iterator<Item = AddressSpaceConnector<'_, 'a>> {
        let connector = |node, address_spaces, kind| AddressSpaceConnector { node, address_spaces, kind };
        let smtp = self.smtp_connectors.iter().map(move |c| connector(&c.node, &c.address_spaces, "connector"));
        let x400 = self.x400_connectors.iter().map(move |c| connector(&c.node, &c.address_spaces, "X.400 connector"));
        smtp.chain(x400)
    }

    /// The receive connectors that listen: `msExchSmtpReceiveEnabled` is not `FALSE`.
    pub fn enabled_receive_connectors(&self) -> impl Iterator<Item = &ReceiveConnector<'a>> {
        self.receive_connectors.iter().filter(|connector| connector.is_enabled())
    }

    /// The enabled receive connectors that set their authentication mechanisms
    /// (`msExchSMTPReceiveInboundSecurityFlag`), each with them: those without have the
    /// default, which the rules about mechanisms do not judge.
    pub fn receive_connectors_with_authentication(
        &self,
    ) -> impl Iterator<Item = (&ReceiveConnector<'a>, Located<'a, ReceiveAuthentication>)> {
        self.enabled_receive_connectors().filter_map(|connector| Some((connector, connector.authentication()?)))
    }

    /// The Send connectors (Exchange 2007 and later) that are enabled.
    pub fn enabled_send_connectors(&self) -> impl Iterator<Item = &SmtpConnector<'a>> {
        self.smtp_connectors.iter().filter(|connector| connector.is_send_connector() && connector.is_enabled())
    }

    /// The enabled Send connectors to Exchange Online ([`SmtpConnector::sends_to_exchange_online`]).
    pub fn exchange_online_connectors(&self) -> impl Iterator<Item = &SmtpConnector<'a>> {
        self.enabled_send_connectors().filter(|connector| connector.sends_to_exchange_online())
    }

    /// Whether anonymous sessions may relay through a receive connector: what its security
    /// descriptor grants `S-1-5-7` for [`Topology::accept_any_recipient`].
    pub fn anonymous_relay(&self, connector: &ReceiveConnector<'a>) -> Relay {
        let Some(right) = &self.accept_any_recipient else { return Relay::RightUnknown };
        match &connector.security_descriptor {
            None => Relay::NotExported,
            Some(descriptor) => match &descriptor.value {
                Err(error) => Relay::Unreadable(error.to_string()),
                Ok(parsed) => match parsed.grants_extended_right(&Sid::anonymous(), right.value) {
                    Some(grant) => Relay::Granted(grant),
                    None => Relay::Refused,
                },
            },
        }
    }

    /// The index of the routing group with this DN, when the topology knows it.
    pub fn routing_group_index(&self, dn: &Dn<'_>) -> Option<usize> {
        self.routing_groups.iter().position(|group| group.node.dn.key() == dn.key())
    }
}
