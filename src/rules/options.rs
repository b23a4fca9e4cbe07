//! What the rules are told besides the export: facts about the organization that an export
//! cannot say (which servers are Internet gateways, whether it is Small Business Server, ...) and
//! the values given to rules' options. They come from `exlint.toml` and the command line.

use std::collections::BTreeMap;

use super::Rule;
use crate::exchange::lifecycle::{self, Date};

/// Facts about the organization, for the rules that need them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Servers that send mail outside the organization, by name (`--gateway`).
    pub gateways: Vec<String>,
    /// Hosts outside Exchange that Internet mail goes through: a spam filter, a relay at the
    /// ISP (`--non-exchange-gateway`), by name or IP address.
    pub non_exchange_gateways: Vec<String>,
    /// The organization is Small Business Server, whose defaults differ (`--sbs`).
    pub small_business_server: bool,
    /// The drive Windows is installed on (`--system-drive`), `C:` unless told.
    pub system_drive: String,
    /// The day versions are judged against for end of support (`--as-of`); the day the
    /// lifecycle table was reviewed unless told, so that reports do not change with the clock.
    pub as_of: Date,
    /// Values given to rules' options, by code and option name.
    pub rule_options: BTreeMap<&'static str, BTreeMap<&'static str, i64>>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            gateways: Vec::new(),
            non_exchange_gateways: Vec::new(),
            small_business_server: false,
            system_drive: "C:".to_owned(),
            as_of: lifecycle::REVIEWED,
            rule_options: BTreeMap::new(),
        }
    }
}

impl Options {
    /// A rule's option: the value given, or the rule's default.
    pub fn rule_option(&self, rule: &Rule, name: &str) -> i64 {
        let given = self.rule_options.get(rule.code).and_then(|options| options.get(name));
        let declared = rule.options.iter().find(|option| option.name == name);
        given.copied().or(declared.map(|option| option.default)).unwrap_or_default()
    }

    /// Whether a server is one of the gateways named by the user.
    pub fn is_gateway(&self, server: &str) -> bool {
        self.gateways.iter().any(|gateway| gateway.eq_ignore_ascii_case(server))
    }
}
