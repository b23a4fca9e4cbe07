//! The hybrid configuration object (`msExchCoexistenceRelationship`,
//! `CN=Hybrid Configuration,CN=Hybrid Configuration,CN=<org>,...`) that the Hybrid Configuration
//! Wizard writes: which servers carry mail to and from Exchange Online, for which domains, with
//! which certificate. Attributes as Exchange's `HybridConfigurationSchema` maps them (decompiled
//! Exchange 2013 code, PiratesRE/exchange_diff).

use super::{Located, Node, Reference};

#[derive(Clone, Debug)]
pub struct HybridConfiguration<'a> {
    pub node: Node<'a>,
    /// `msExchCoexistenceTransportServers`: `SendingTransportServers`.
    pub sending_servers: Vec<Reference<'a>>,
    /// `msExchCoexistenceFrontendTransportServers`: `ReceivingTransportServers`.
    pub receiving_servers: Vec<Reference<'a>>,
    /// `msExchCoexistenceEdgeTransportServers`: `EdgeTransportServers`.
    pub edge_servers: Vec<Reference<'a>>,
    /// `msExchCoexistenceDomains`: `Domains`.
    pub domains: Vec<Located<'a, String>>,
    /// `msExchCoexistenceSecureMailCertificateThumbprint`, which holds `TlsCertificateName`
    /// (`<I>issuer<S>subject`) despite its name.
    pub certificate_name: Option<Located<'a, String>>,
    /// `msExchCoexistenceOnPremisesSmartHost`: `OnPremisesSmartHost`.
    pub on_premises_smart_host: Option<Located<'a, String>>,
}

impl<'a> HybridConfiguration<'a> {
    pub(super) fn read(node: Node<'a>) -> HybridConfiguration<'a> {
        let servers = |name: &str| node.lines(name, |dn| crate::directory::Dn::new(dn.to_owned()));
        let texts = |name: &str| node.lines(name, |text| text.trim().to_owned());
        HybridConfiguration {
            sending_servers: servers("msExchCoexistenceTransportServers"),
            receiving_servers: servers("msExchCoexistenceFrontendTransportServers"),
            edge_servers: servers("msExchCoexistenceEdgeTransportServers"),
            domains: texts("msExchCoexistenceDomains").into_iter().filter(|domain| !domain.is_empty()).collect(),
            certificate_name: node.text("msExchCoexistenceSecureMailCertificateThumbprint"),
            on_premises_smart_host: node.text("msExchCoexistenceOnPremisesSmartHost"),
            node,
        }
    }

    /// Every server the object names, with what it names it as.
    pub fn named_servers(&self) -> impl Iterator<Item = (&Reference<'a>, &'static str)> {
        let sending = self.sending_servers.iter().map(|server| (server, "sending transport server"));
        let receiving = self.receiving_servers.iter().map(|server| (server, "receiving transport server"));
        let edge = self.edge_servers.iter().map(|server| (server, "Edge Transport server"));
        sending.chain(receiving).chain(edge)
    }
}
