//! The rule catalogue: one file per rule, its doc comment its reference page, one line in
//! [`RULES`] to register it.
//!
//! A rule is data plus one function, evaluated per Exchange server. Rules never fail: what a
//! rule cannot look at is either a finding or, when the whole rule cannot look (it needs an
//! option the user did not give), a [`NotEvaluated`] with the reason.

mod anonymous_access_on_internal_server;
mod basic_authentication_enabled;
mod domain_rewriting_enabled;
mod duplicate_binding;
mod duplicate_receive_binding;
mod esmtp_verbs_not_advertised;
mod fqdn_mismatch;
mod low_receive_size_limit;
mod low_recipient_limit;
mod max_hop_count_changed;
mod multiple_port_bindings;
mod needs;
mod no_outbound_connector;
mod no_port_25_binding;
mod outbound_connections_changed;
mod outbound_port_changed;
mod per_domain_connections_changed;
mod queue_on_system_drive;
mod relay_for_authenticated_changed;
mod routing_loop_risk;
mod setting;
mod smart_host_on_virtual_server;
mod smart_host_type_changed;

use rayon::prelude::*;

use crate::exchange::{Server, Topology};
use crate::finding::{Finding, NotEvaluated, Severity};
use crate::settings::Options;
use crate::source::Location;

pub use anonymous_access_on_internal_server::ANONYMOUS_ACCESS_ON_INTERNAL_SERVER;
pub use basic_authentication_enabled::BASIC_AUTHENTICATION_ENABLED;
pub use domain_rewriting_enabled::DOMAIN_REWRITING_ENABLED;
pub use duplicate_binding::DUPLICATE_BINDING;
pub use duplicate_receive_binding::DUPLICATE_RECEIVE_BINDING;
pub use esmtp_verbs_not_advertised::ESMTP_VERBS_NOT_ADVERTISED;
pub use fqdn_mismatch::FQDN_MISMATCH;
pub use low_receive_size_limit::LOW_RECEIVE_SIZE_LIMIT;
pub use low_recipient_limit::LOW_RECIPIENT_LIMIT;
pub use max_hop_count_changed::MAX_HOP_COUNT_CHANGED;
pub use multiple_port_bindings::MULTIPLE_PORT_BINDINGS;
pub use no_outbound_connector::NO_OUTBOUND_CONNECTOR;
pub use no_port_25_binding::NO_PORT_25_BINDING;
pub use outbound_connections_changed::OUTBOUND_CONNECTIONS_CHANGED;
pub use outbound_port_changed::OUTBOUND_PORT_CHANGED;
pub use per_domain_connections_changed::PER_DOMAIN_CONNECTIONS_CHANGED;
pub use queue_on_system_drive::QUEUE_ON_SYSTEM_DRIVE;
pub use relay_for_authenticated_changed::RELAY_FOR_AUTHENTICATED_CHANGED;
pub use routing_loop_risk::ROUTING_LOOP_RISK;
pub use smart_host_on_virtual_server::SMART_HOST_ON_VIRTUAL_SERVER;
pub use smart_host_type_changed::SMART_HOST_TYPE_CHANGED;

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
    &ROUTING_LOOP_RISK,
    &LOW_RECEIVE_SIZE_LIMIT,
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
    /// Server names, sorted, for messages that tell the user what the export holds.
    pub fn server_names(&self) -> String {
        let mut names: Vec<&str> = self.topology.servers.iter().map(Server::name).collect();
        names.sort_unstable_by_key(|name| name.to_lowercase());
        if names.is_empty() { "none".to_owned() } else { names.join(", ") }
    }

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
