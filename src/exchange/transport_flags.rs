//! Bit masks that Exchange 2007 and later store as Integer attributes on receive connectors,
//! Send connectors and accepted domains. Each bit is named as Exchange's own directory schema
//! classes name it (decompiled Exchange 2013 code: `ReceiveConnectorSchema`, `AuthMechanisms`,
//! `SmtpSendConnectorConfigSchema`, `TlsAuthLevel`, `AcceptedDomain.InitializeDomainType`,
//! mirrored in the public repository PiratesRE/exchange_diff under
//! `Microsoft.Exchange.Data.Directory/Data/Directory/SystemConfiguration/`).

use super::flags::bit_names;

/// `msExchSMTPReceiveInboundSecurityFlag`: the receive connector's `AuthMechanism`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReceiveAuthentication(pub i64);

impl ReceiveAuthentication {
    pub const TLS: i64 = 1;
    pub const INTEGRATED: i64 = 2;
    pub const BASIC: i64 = 4;
    pub const BASIC_REQUIRE_TLS: i64 = 8;
    pub const EXCHANGE_SERVER: i64 = 16;
    pub const EXTERNAL_AUTHORITATIVE: i64 = 32;
    /// The schema's default, what a connector without the attribute has: `Tls, BasicAuth,
    /// BasicAuthRequireTLS, ExchangeServer`.
    pub const DEFAULT: i64 = 29;

    /// Whether the connector offers STARTTLS.
    pub fn offers_tls(self) -> bool {
        self.0 & Self::TLS != 0
    }

    /// Whether basic authentication is offered before TLS, so that passwords may cross the
    /// network in clear text.
    pub fn basic_without_tls(self) -> bool {
        self.0 & Self::BASIC != 0 && self.0 & Self::BASIC_REQUIRE_TLS == 0
    }

    /// The mechanisms, as `Get-ReceiveConnector` names them: `Tls, BasicAuth`.
    pub fn names(self) -> String {
        bit_names(
            self.0,
            &[
                (Self::TLS, "Tls"),
                (Self::INTEGRATED, "Integrated"),
                (Self::BASIC, "BasicAuth"),
                (Self::BASIC_REQUIRE_TLS, "BasicAuthRequireTLS"),
                (Self::EXCHANGE_SERVER, "ExchangeServer"),
                (Self::EXTERNAL_AUTHORITATIVE, "ExternalAuthoritative"),
            ],
        )
    }
}

/// `msExchSmtpReceiveProtocolRestrictions` bit 8: `RequireTLS`.
pub(super) const RECEIVE_REQUIRE_TLS: i64 = 8;

/// `msExchSmtpOutboundSecurityFlag` of a Send connector.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutboundSecurity(pub i64);

impl OutboundSecurity {
    const REQUIRE_TLS: i64 = 4;
    const IGNORE_STARTTLS: i64 = 0x0080_0000;

    /// `RequireTLS`: the connector sends only over TLS.
    pub fn requires_tls(self) -> bool {
        self.0 & Self::REQUIRE_TLS != 0
    }

    /// `IgnoreSTARTTLS`: the connector never uses TLS, even when the remote server offers it.
    pub fn ignores_starttls(self) -> bool {
        self.0 & Self::IGNORE_STARTTLS != 0
    }
}

/// `msExchSmtpSendFlags` of a Send connector.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SendFlags(pub u32);

impl SendFlags {
    /// `DomainSecureEnabled`.
    const DOMAIN_SECURE: u32 = 4;
    /// `CloudServicesMailEnabled`: the connector keeps the headers Exchange Online needs to
    /// treat mail from on-premises as internal.
    const CLOUD_SERVICES_MAIL: u32 = 131_072;
    /// `TlsAuthLevel`: bits 4 to 11.
    const TLS_AUTH_SHIFT: u32 = 4;
    const TLS_AUTH_MASK: u32 = 0xFF;
    /// `SmartHostAuthMechanism`: bits 20 to 31.
    const AUTH_SHIFT: u32 = 20;
    const AUTH_MASK: u32 = 0xFFF;
    /// Values of `SmartHostAuthMechanism` that send a user name and password.
    pub const BASIC_AUTH: u32 = 2;
    pub const BASIC_AUTH_REQUIRE_TLS: u32 = 4;

    /// Whether domain security (mutual TLS with the domains of the TLS send list) is on.
    pub fn domain_secure(self) -> bool {
        self.0 & Self::DOMAIN_SECURE != 0
    }

    pub fn cloud_services_mail(self) -> bool {
        self.0 & Self::CLOUD_SERVICES_MAIL != 0
    }

    /// How the connector authenticates to its smart host: `SmartHostAuthMechanism`.
    pub fn smart_host_authentication(self) -> u32 {
        (self.0 >> Self::AUTH_SHIFT) & Self::AUTH_MASK
    }

    /// `TlsAuthLevel`; `None` when not set.
    pub fn tls_auth_level(self) -> Option<TlsAuthLevel> {
        match (self.0 >> Self::TLS_AUTH_SHIFT) & Self::TLS_AUTH_MASK {
            0 => None,
            1 => Some(TlsAuthLevel::EncryptionOnly),
            2 => Some(TlsAuthLevel::CertificateValidation),
            4 => Some(TlsAuthLevel::DomainValidation),
            other => Some(TlsAuthLevel::Unknown(other)),
        }
    }
}

/// How a Send connector checks the certificate of the server it sends to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlsAuthLevel {
    EncryptionOnly,
    CertificateValidation,
    DomainValidation,
    /// A value no Exchange version writes.
    Unknown(u32),
}

impl std::fmt::Display for TlsAuthLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TlsAuthLevel::EncryptionOnly => f.write_str("EncryptionOnly"),
            TlsAuthLevel::CertificateValidation => f.write_str("CertificateValidation"),
            TlsAuthLevel::DomainValidation => f.write_str("DomainValidation"),
            TlsAuthLevel::Unknown(value) => write!(f, "unknown level {value}"),
        }
    }
}

/// The type of an accepted domain: `msExchAcceptedDomainFlags & 3`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AcceptedDomainType {
    Authoritative,
    ExternalRelay,
    InternalRelay,
    /// 3, which no Exchange version writes.
    Unknown,
}

/// `msExchAcceptedDomainFlags`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AcceptedDomainFlags(pub i64);

impl AcceptedDomainFlags {
    const TYPE_MASK: i64 = 3;
    /// The organization's default domain (the one `GetDefaultAcceptedDomain` looks for).
    const DEFAULT: i64 = 4;
    const OUTBOUND_ONLY: i64 = 256;

    pub fn domain_type(self) -> AcceptedDomainType {
        match self.0 & Self::TYPE_MASK {
            0 => AcceptedDomainType::Authoritative,
            1 => AcceptedDomainType::ExternalRelay,
            2 => AcceptedDomainType::InternalRelay,
            _ => AcceptedDomainType::Unknown,
        }
    }

    pub fn is_default(self) -> bool {
        self.0 & Self::DEFAULT != 0
    }

    pub fn outbound_only(self) -> bool {
        self.0 & Self::OUTBOUND_ONLY != 0
    }
}

impl std::fmt::Display for AcceptedDomainType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            AcceptedDomainType::Authoritative => "Authoritative",
            AcceptedDomainType::ExternalRelay => "ExternalRelay",
            AcceptedDomainType::InternalRelay => "InternalRelay",
            AcceptedDomainType::Unknown => "an unknown type (3)",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_receive_default_offers_tls_and_basic_only_after_it() {
        let default = ReceiveAuthentication(ReceiveAuthentication::DEFAULT);
        assert!(default.offers_tls() && !default.basic_without_tls());
        assert_eq!(default.names(), "Tls, BasicAuth, BasicAuthRequireTLS, ExchangeServer");
        let plain = ReceiveAuthentication(ReceiveAuthentication::BASIC | ReceiveAuthentication::INTEGRATED);
        assert!(!plain.offers_tls() && plain.basic_without_tls());
        assert_eq!(ReceiveAuthentication(0).names(), "none");
    }

    #[test]
    fn reads_the_send_connector_tls_settings() {
        assert_eq!(SendFlags(0).tls_auth_level(), None);
        assert_eq!(SendFlags(0x40).tls_auth_level(), Some(TlsAuthLevel::DomainValidation));
        assert_eq!(SendFlags(0x20 | 131_072).tls_auth_level(), Some(TlsAuthLevel::CertificateValidation));
        assert!(SendFlags(0x40 | 131_072).cloud_services_mail());
        assert_eq!(SendFlags(0x30).tls_auth_level(), Some(TlsAuthLevel::Unknown(3)));
        assert!(OutboundSecurity(0x0080_0000).ignores_starttls());
        assert!(OutboundSecurity(4).requires_tls() && !OutboundSecurity(4).ignores_starttls());
        assert_eq!(SendFlags(2 << 20).smart_host_authentication(), SendFlags::BASIC_AUTH);
    }

    #[test]
    fn reads_the_accepted_domain_type() {
        let flags = AcceptedDomainFlags(2 | 4);
        assert_eq!((flags.domain_type(), flags.is_default()), (AcceptedDomainType::InternalRelay, true));
        assert_eq!(AcceptedDomainFlags(0).domain_type(), AcceptedDomainType::Authoritative);
        assert_eq!(AcceptedDomainFlags(257).domain_type(), AcceptedDomainType::ExternalRelay);
        assert!(AcceptedDomainFlags(257).outbound_only());
    }
}
