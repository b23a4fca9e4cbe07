//! The rule catalogue: one file per rule, its doc comment its reference page, one line in
//! [`RULES`] to register it.
//!
//! A rule is data plus one function, evaluated per Exchange server. Rules never fail: what a
//! rule cannot look at is either a finding or, when the whole rule cannot look (it needs an
//! option the user did not give), a [`NotEvaluated`] with the reason.

mod anonymous_access_on_internal_server;
mod bare_ip_smart_host;
mod basic_authentication_enabled;
mod bridgehead_outside_routing_group;
mod dangling_reference;
mod disabled_send_connector_with_legacy_servers;
mod domain_rewriting_enabled;
mod duplicate_binding;
mod duplicate_receive_binding;
mod equal_cost_internet_connectors;
mod esmtp_verbs_not_advertised;
mod exchange_2003_sp1_pre_release;
mod exchange_2007_server_outside_admin_group;
mod exchange_2007_server_outside_routing_group;
mod fqdn_mismatch;
mod high_recipient_limit;
mod local_address_space;
mod low_receive_size_limit;
mod low_recipient_limit;
mod low_send_size_limit;
mod malformed_address_space;
mod max_hop_count_changed;
mod multiple_port_bindings;
mod needs;
mod no_address_space;
mod no_internet_connector;
mod no_outbound_connector;
mod no_port_25_binding;
mod no_receive_size_limit;
mod non_exchange_gateway_not_smart_host;
mod options;
mod outbound_connections_changed;
mod outbound_port_changed;
mod per_domain_connections_changed;
mod pre_release_exchange_2007;
mod queue_on_system_drive;
mod recipient_limit_below_public_stores;
mod relay_for_authenticated_changed;
mod rgc_delivery_restrictions;
mod rgc_without_reciprocal;
mod rgc_without_target_bridgehead;
mod routing_groups_without_servers;
mod routing_loop_risk;
mod routing_master_deleted;
mod routing_master_invalid;
mod send_connector_invalid;
mod setting;
mod smart_host_on_virtual_server;
mod smart_host_type_changed;
mod too_many_connectors;
mod transport_limits;

use rayon::prelude::*;

use crate::exchange::{Located, Node, Server, Topology};
use crate::finding::{Finding, NotEvaluated, Severity};
use crate::source::Location;

pub use options::Options;

pub use anonymous_access_on_internal_server::ANONYMOUS_ACCESS_ON_INTERNAL_SERVER;
pub use bare_ip_smart_host::BARE_IP_SMART_HOST;
pub use basic_authentication_enabled::BASIC_AUTHENTICATION_ENABLED;
pub use bridgehead_outside_routing_group::BRIDGEHEAD_OUTSIDE_ROUTING_GROUP;
pub use dangling_reference::DANGLING_REFERENCE;
pub use disabled_send_connector_with_legacy_servers::DISABLED_SEND_CONNECTOR_WITH_LEGACY_SERVERS;
pub use domain_rewriting_enabled::DOMAIN_REWRITING_ENABLED;
pub use duplicate_binding::DUPLICATE_BINDING;
pub use duplicate_receive_binding::DUPLICATE_RECEIVE_BINDING;
pub use equal_cost_internet_connectors::EQUAL_COST_INTERNET_CONNECTORS;
pub use esmtp_verbs_not_advertised::ESMTP_VERBS_NOT_ADVERTISED;
pub use exchange_2003_sp1_pre_release::EXCHANGE_2003_SP1_PRE_RELEASE;
pub use exchange_2007_server_outside_admin_group::EXCHANGE_2007_SERVER_OUTSIDE_ADMIN_GROUP;
pub use exchange_2007_server_outside_routing_group::EXCHANGE_2007_SERVER_OUTSIDE_ROUTING_GROUP;
pub use fqdn_mismatch::FQDN_MISMATCH;
pub use high_recipient_limit::HIGH_RECIPIENT_LIMIT;
pub use local_address_space::LOCAL_ADDRESS_SPACE;
pub use low_receive_size_limit::LOW_RECEIVE_SIZE_LIMIT;
pub use low_recipient_limit::LOW_RECIPIENT_LIMIT;
pub use low_send_size_limit::LOW_SEND_SIZE_LIMIT;
pub use malformed_address_space::MALFORMED_ADDRESS_SPACE;
pub use max_hop_count_changed::MAX_HOP_COUNT_CHANGED;
pub use multiple_port_bindings::MULTIPLE_PORT_BINDINGS;
pub use no_address_space::NO_ADDRESS_SPACE;
pub use no_internet_connector::NO_INTERNET_CONNECTOR;
pub use no_outbound_connector::NO_OUTBOUND_CONNECTOR;
pub use no_port_25_binding::NO_PORT_25_BINDING;
pub use no_receive_size_limit::NO_RECEIVE_SIZE_LIMIT;
pub use non_exchange_gateway_not_smart_host::NON_EXCHANGE_GATEWAY_NOT_SMART_HOST;
pub use outbound_connections_changed::OUTBOUND_CONNECTIONS_CHANGED;
pub use outbound_port_changed::OUTBOUND_PORT_CHANGED;
pub use per_domain_connections_changed::PER_DOMAIN_CONNECTIONS_CHANGED;
pub use pre_release_exchange_2007::PRE_RELEASE_EXCHANGE_2007;
pub use queue_on_system_drive::QUEUE_ON_SYSTEM_DRIVE;
pub use recipient_limit_below_public_stores::RECIPIENT_LIMIT_BELOW_PUBLIC_STORES;
pub use relay_for_authenticated_changed::RELAY_FOR_AUTHENTICATED_CHANGED;
pub use rgc_delivery_restrictions::RGC_DELIVERY_RESTRICTIONS;
pub use rgc_without_reciprocal::RGC_WITHOUT_RECIPROCAL;
pub use rgc_without_target_bridgehead::RGC_WITHOUT_TARGET_BRIDGEHEAD;
pub use routing_groups_without_servers::ROUTING_GROUPS_WITHOUT_SERVERS;
pub use routing_loop_risk::ROUTING_LOOP_RISK;
pub use routing_master_deleted::ROUTING_MASTER_DELETED;
pub use routing_master_invalid::ROUTING_MASTER_INVALID;
pub use send_connector_invalid::SEND_CONNECTOR_INVALID;
pub use smart_host_on_virtual_server::SMART_HOST_ON_VIRTUAL_SERVER;
pub use smart_host_type_changed::SMART_HOST_TYPE_CHANGED;
pub use too_many_connectors::TOO_MANY_CONNECTORS;
pub use transport_limits::TRANSPORT_LIMITS;

/// Every rule, in code order.
pub static RULES: &[&Rule] = &[
    &MULTIPLE_PORT_BINDINGS,
    &NO_OUTBOUND_CONNECTOR,
    &NO_PORT_25_BINDING,
    &SMART_HOST_ON_VIRTUAL_SERVER,
    &SMART_HOST_TYPE_CHANGED,
    &OUTBOUND_PORT_CHANGED,
    &MAX_HOP_COUNT_CHANGED,
    &LOW_RECIPIENT_LIMIT,
    &OUTBOUND_CONNECTIONS_CHANGED,
    &PER_DOMAIN_CONNECTIONS_CHANGED,
    &RELAY_FOR_AUTHENTICATED_CHANGED,
    &ESMTP_VERBS_NOT_ADVERTISED,
    &ANONYMOUS_ACCESS_ON_INTERNAL_SERVER,
    &BASIC_AUTHENTICATION_ENABLED,
    &DOMAIN_REWRITING_ENABLED,
    &QUEUE_ON_SYSTEM_DRIVE,
    &FQDN_MISMATCH,
    &DUPLICATE_BINDING,
    &DUPLICATE_RECEIVE_BINDING,
    &NON_EXCHANGE_GATEWAY_NOT_SMART_HOST,
    &LOCAL_ADDRESS_SPACE,
    &DISABLED_SEND_CONNECTOR_WITH_LEGACY_SERVERS,
    &TOO_MANY_CONNECTORS,
    &RGC_DELIVERY_RESTRICTIONS,
    &NO_ADDRESS_SPACE,
    &SEND_CONNECTOR_INVALID,
    &RGC_WITHOUT_TARGET_BRIDGEHEAD,
    &RGC_WITHOUT_RECIPROCAL,
    &MALFORMED_ADDRESS_SPACE,
    &BARE_IP_SMART_HOST,
    &BRIDGEHEAD_OUTSIDE_ROUTING_GROUP,
    &NO_INTERNET_CONNECTOR,
    &EQUAL_COST_INTERNET_CONNECTORS,
    &ROUTING_LOOP_RISK,
    &ROUTING_MASTER_INVALID,
    &ROUTING_MASTER_DELETED,
    &ROUTING_GROUPS_WITHOUT_SERVERS,
    &EXCHANGE_2007_SERVER_OUTSIDE_ROUTING_GROUP,
    &EXCHANGE_2007_SERVER_OUTSIDE_ADMIN_GROUP,
    &DANGLING_REFERENCE,
    &LOW_SEND_SIZE_LIMIT,
    &LOW_RECEIVE_SIZE_LIMIT,
    &NO_RECEIVE_SIZE_LIMIT,
    &HIGH_RECIPIENT_LIMIT,
    &RECIPIENT_LIMIT_BELOW_PUBLIC_STORES,
    &TRANSPORT_LIMITS,
    &PRE_RELEASE_EXCHANGE_2007,
    &EXCHANGE_2003_SP1_PRE_RELEASE,
];

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
/// page and the runtime text cannot drift apart.
macro_rules! declare_rule {
    ($(#[doc = $doc:literal])* pub static $rule:ident = Rule { $($body:tt)* };) => {
        $(#[doc = $doc])*
        pub static $rule: $crate::rules::Rule = $crate::rules::Rule {
            docs: concat!($($doc, "\n"),*),
            $($body)*
        };
    };
}
use declare_rule;

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
