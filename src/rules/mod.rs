//! The rule catalogue: one file per rule, its doc comment its reference page, one line in
//! [`RULES`] to register it.
//!
//! A rule is data plus one function, evaluated per Exchange server. Rules never fail: what a
//! rule cannot look at is either a finding or, when the whole rule cannot look (it needs an
//! option the user did not give), a [`NotEvaluated`] with the reason.

mod multiple_port_bindings;
mod no_outbound_connector;

use rayon::prelude::*;

use crate::exchange::{Server, Topology};
use crate::finding::{Finding, NotEvaluated, Severity};
use crate::source::Location;

pub use multiple_port_bindings::MULTIPLE_PORT_BINDINGS;
pub use no_outbound_connector::NO_OUTBOUND_CONNECTOR;

/// Every rule, in code order.
pub static RULES: &[&Rule] = &[&MULTIPLE_PORT_BINDINGS, &NO_OUTBOUND_CONNECTOR];

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

/// Says why a rule cannot be evaluated with what the user gave, if it cannot.
pub type Precondition = fn(&Context<'_>) -> Result<(), String>;

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
    /// `Err(reason)` when the rule cannot be evaluated with what the user gave.
    pub precondition: Option<Precondition>,
    pub check: fn(&Server<'_>, &Context<'_>) -> Vec<Finding>,
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

/// What the user told exlint about the organization.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Servers that send mail outside the organization (`--gateway`), by name.
    pub gateways: Vec<String>,
}

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
}

/// Runs `rules` on every server, in parallel, and returns the findings sorted, with the rules
/// that could not be evaluated.
pub fn run(rules: &[&'static Rule], context: &Context<'_>) -> (Vec<Finding>, Vec<NotEvaluated>) {
    let mut not_evaluated = Vec::new();
    let runnable: Vec<&Rule> = rules
        .iter()
        .copied()
        .filter(|rule| match rule.precondition.map_or(Ok(()), |precondition| precondition(context)) {
            Ok(()) => true,
            Err(reason) => {
                not_evaluated.push(NotEvaluated { code: rule.code, reason });
                false
            }
        })
        .collect();
    let mut findings: Vec<Finding> = context
        .topology
        .servers
        .par_iter()
        .flat_map_iter(|server| runnable.iter().flat_map(move |rule| (rule.check)(server, context)))
        .collect();
    Finding::sort(&mut findings);
    (findings, not_evaluated)
}
