//! The rule catalogue: one file per rule, declared with `declare_rule!` (its doc comment is its
//! reference page), and one line in the registry below, which makes [`RULES`].
//!
//! A rule is data plus one function, evaluated per Exchange server. Rules never fail: what a
//! rule cannot look at is either a finding or, when the whole rule cannot look (it needs an
//! option the user did not give), a [`NotEvaluated`] with the reason.

mod needs;
mod options;
mod setting;

use rayon::prelude::*;

use crate::exchange::{Located, Node, Server, Topology};
use crate::finding::{Finding, NotEvaluated, Severity};
use crate::source::Location;

pub use options::Options;

/// Where a rule comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A check of Microsoft's Exchange Server Analyzer.
    ExBpa,
    /// A check of exlint's own, from Exchange's documented constraints.
    Native,
}

impl Origin {
    pub fn label(self) -> &'static str {
        match self {
            Origin::ExBpa => "ExBPA",
            Origin::Native => "exlint",
        }
    }
}

/// Says why a rule cannot be evaluated with what the export holds and the user gave, if it
/// cannot.
pub type Precondition = fn(&Context<'_>) -> Result<(), String>;

/// What a rule looks at, and so how often it runs.
#[derive(Clone, Copy)]
pub enum Check {
    /// Once per Exchange server (its virtual servers, its connectors...), servers in parallel.
    Server(fn(&Server<'_>, &Context<'_>) -> Vec<Finding>),
    /// Once for everything in the export (organization-wide settings, routing groups).
    Organization(fn(&Context<'_>) -> Vec<Finding>),
}

impl std::fmt::Debug for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Check::Server(_) => "Check::Server",
            Check::Organization(_) => "Check::Organization",
        })
    }
}

/// A number a rule compares with, which the user may change in `[rules.CODE]`.
#[derive(Debug, PartialEq, Eq)]
pub struct RuleOption {
    /// Its key in `exlint.toml`, kebab-case.
    pub name: &'static str,
    pub default: i64,
    /// What it is, for the rule's page.
    pub help: &'static str,
}

/// A rule of the catalogue.
#[derive(Debug)]
pub struct Rule {
    /// Stable forever: `SMTP001`.
    pub code: &'static str,
    /// What it finds, read after "allow": `multiple-port-bindings`.
    pub name: &'static str,
    /// ExBPA's title, or one in its style.
    pub title: &'static str,
    pub severity: Severity,
    pub origin: Origin,
    /// The reference page: the doc comment of the rule's static.
    pub docs: &'static str,
    /// Numbers the rule compares with, which `[rules.CODE]` may change.
    pub options: &'static [RuleOption],
    /// `Err(reason)` when the rule cannot be evaluated with what the export holds and the
    /// user gave: every rule needs something (virtual servers, connectors, an option...).
    pub precondition: Precondition,
    pub check: Check,
}

impl Rule {
    /// A finding of this rule, so that its code and severity are never retyped.
    pub fn finding(&'static self, location: Location, message: impl Into<String>) -> Finding {
        Finding::new(self.code, self.name, self.title, self.severity, location, message)
    }

    /// The usual finding: about the object whose line `value` was read from, pointed at that
    /// line, with the line as evidence and what the rule makes of it.
    pub fn finding_at<T>(
        &'static self,
        value: &Located<'_, T>,
        message: impl Into<String>,
        note: impl Into<String>,
    ) -> Finding {
        self.finding(value.location(), message).dn(value.dn().text()).evidence(value.evidence(note))
    }

    /// A finding about `object` as a whole, pointed at its `dn:` line, with the entry as
    /// evidence; `None` when the export lacks the entry.
    pub fn finding_on(
        &'static self,
        object: &Node<'_>,
        message: impl Into<String>,
        note: impl Into<String>,
    ) -> Option<Finding> {
        Some(self.finding(object.location()?, message).dn(object.dn.text()).evidence(object.evidence(note)))
    }
}

/// Declares a rule: passes the doc comment through and keeps it as the rule's `docs`, so the
/// page and the runtime text cannot drift apart. The fields come in this order; `options` may
/// be left out when the rule has none.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub static $rule:ident = Rule {
            code: $code:literal,
            name: $name:literal,
            title: $title:literal,
            severity: $severity:expr,
            origin: $origin:expr,
            $(options: $options:expr,)?
            precondition $(: $precondition:expr)?,
            check: $check:expr $(,)?
        };
    ) => {
        $(#[doc = $doc])*
        pub(super) static $rule: $crate::rules::Rule = $crate::rules::Rule {
            code: $code,
            name: $name,
            title: $title,
            severity: $severity,
            origin: $origin,
            docs: concat!($($doc, "\n"),*),
            options: declare_rule!(@options $($options)?),
            precondition $(: $precondition)?,
            check: $check,
        };
    };
    (@options) => { &[] };
    (@options $options:expr) => { $options };
}

/// Lists the rule files, each with the rule it declares, as [`RULES`].
macro_rules! registry {
    ($($file:ident::$rule:ident,)*) => {
        $(mod $file;)*

        /// Every rule, in code order.
        pub static RULES: &[&Rule] = &[$(&$file::$rule),*];
    };
}

// The registry: every rule, in code order, one line each, `file::STATIC`.
registry! {
    multiple_port_bindings::MULTIPLE_PORT_BINDINGS,
    no_outbound_connector::NO_OUTBOUND_CONNECTOR,
    no_port_25_binding::NO_PORT_25_BINDING,
    smart_host_on_virtual_server::SMART_HOST_ON_VIRTUAL_SERVER,
    smart_host_type_changed::SMART_HOST_TYPE_CHANGED,
    outbound_port_changed::OUTBOUND_PORT_CHANGED,
    max_hop_count_changed::MAX_HOP_COUNT_CHANGED,
    low_recipient_limit::LOW_RECIPIENT_LIMIT,
    outbound_connections_changed::OUTBOUND_CONNECTIONS_CHANGED,
    per_domain_connections_changed::PER_DOMAIN_CONNECTIONS_CHANGED,
    relay_for_authenticated_changed::RELAY_FOR_AUTHENTICATED_CHANGED,
    esmtp_verbs_not_advertised::ESMTP_VERBS_NOT_ADVERTISED,
    anonymous_access_on_internal_server::ANONYMOUS_ACCESS_ON_INTERNAL_SERVER,
    basic_authentication_enabled::BASIC_AUTHENTICATION_ENABLED,
    domain_rewriting_enabled::DOMAIN_REWRITING_ENABLED,
    queue_on_system_drive::QUEUE_ON_SYSTEM_DRIVE,
    fqdn_mismatch::FQDN_MISMATCH,
    duplicate_binding::DUPLICATE_BINDING,
    duplicate_receive_binding::DUPLICATE_RECEIVE_BINDING,
    non_exchange_gateway_not_smart_host::NON_EXCHANGE_GATEWAY_NOT_SMART_HOST,
    local_address_space::LOCAL_ADDRESS_SPACE,
    disabled_send_connector_with_legacy_servers::DISABLED_SEND_CONNECTOR_WITH_LEGACY_SERVERS,
    too_many_connectors::TOO_MANY_CONNECTORS,
    rgc_delivery_restrictions::RGC_DELIVERY_RESTRICTIONS,
    no_address_space::NO_ADDRESS_SPACE,
    send_connector_invalid::SEND_CONNECTOR_INVALID,
    rgc_without_target_bridgehead::RGC_WITHOUT_TARGET_BRIDGEHEAD,
    rgc_without_reciprocal::RGC_WITHOUT_RECIPROCAL,
    malformed_address_space::MALFORMED_ADDRESS_SPACE,
    bare_ip_smart_host::BARE_IP_SMART_HOST,
    bridgehead_outside_routing_group::BRIDGEHEAD_OUTSIDE_ROUTING_GROUP,
    no_internet_connector::NO_INTERNET_CONNECTOR,
    equal_cost_internet_connectors::EQUAL_COST_INTERNET_CONNECTORS,
    routing_loop_risk::ROUTING_LOOP_RISK,
    routing_master_invalid::ROUTING_MASTER_INVALID,
    routing_master_deleted::ROUTING_MASTER_DELETED,
    routing_groups_without_servers::ROUTING_GROUPS_WITHOUT_SERVERS,
    exchange_2007_server_outside_routing_group::EXCHANGE_2007_SERVER_OUTSIDE_ROUTING_GROUP,
    exchange_2007_server_outside_admin_group::EXCHANGE_2007_SERVER_OUTSIDE_ADMIN_GROUP,
    dangling_reference::DANGLING_REFERENCE,
    low_send_size_limit::LOW_SEND_SIZE_LIMIT,
    low_receive_size_limit::LOW_RECEIVE_SIZE_LIMIT,
    no_receive_size_limit::NO_RECEIVE_SIZE_LIMIT,
    high_recipient_limit::HIGH_RECIPIENT_LIMIT,
    recipient_limit_below_public_stores::RECIPIENT_LIMIT_BELOW_PUBLIC_STORES,
    transport_limits::TRANSPORT_LIMITS,
    anonymous_relay::ANONYMOUS_RELAY,
    basic_auth_without_tls::BASIC_AUTH_WITHOUT_TLS,
    receive_without_starttls::RECEIVE_WITHOUT_STARTTLS,
    externally_secured_open::EXTERNALLY_SECURED_OPEN,
    starttls_ignored::STARTTLS_IGNORED,
    tls_certificate_name_malformed::TLS_CERTIFICATE_NAME_MALFORMED,
    open_relay_domain::OPEN_RELAY_DOMAIN,
    default_accepted_domain::DEFAULT_ACCEPTED_DOMAIN,
    exchange_online_connector_incomplete::EXCHANGE_ONLINE_CONNECTOR_INCOMPLETE,
    exchange_online_connector_tls::EXCHANGE_ONLINE_CONNECTOR_TLS,
    hybrid_without_certificate::HYBRID_WITHOUT_CERTIFICATE,
    hybrid_configuration_incomplete::HYBRID_CONFIGURATION_INCOMPLETE,
    internal_transport_certificate_missing::INTERNAL_TRANSPORT_CERTIFICATE_MISSING,
    internal_transport_certificate_expired::INTERNAL_TRANSPORT_CERTIFICATE_EXPIRED,
    pre_release_exchange_2007::PRE_RELEASE_EXCHANGE_2007,
    exchange_2003_sp1_pre_release::EXCHANGE_2003_SP1_PRE_RELEASE,
    unsupported_version::UNSUPPORTED_VERSION,
    coexistence_not_supported::COEXISTENCE_NOT_SUPPORTED,
}

/// What a rule may look at besides the server it checks.
pub struct Context<'a> {
    pub topology: &'a Topology<'a>,
    pub options: &'a Options,
}

impl Context<'_> {
    /// A rule's option, as given or by default.
    pub fn option(&self, rule: &Rule, name: &str) -> i64 {
        self.options.rule_option(rule, name)
    }
}

/// Runs `rules` (server rules on every server, servers in parallel; organization rules once,
/// in parallel with each other) and returns the findings sorted, with the rules that could
/// not be evaluated.
pub fn run(rules: &[&'static Rule], context: &Context<'_>) -> (Vec<Finding>, Vec<NotEvaluated>) {
    let mut not_evaluated = Vec::new();
    let mut per_server = Vec::new();
    let mut organization = Vec::new();
    for rule in rules {
        if let Err(reason) = (rule.precondition)(context) {
            not_evaluated.push(NotEvaluated { code: rule.code, reason });
            continue;
        }
        match rule.check {
            Check::Server(check) => per_server.push(check),
            Check::Organization(check) => organization.push(check),
        }
    }
    let mut findings: Vec<Finding> = context
        .topology
        .servers
        .par_iter()
        .flat_map_iter(|server| per_server.iter().flat_map(move |check| check(server, context)))
        .collect();
    findings.par_extend(organization.par_iter().flat_map_iter(|check| check(context)));
    Finding::sort(&mut findings);
    (findings, not_evaluated)
}
