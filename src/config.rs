//! `exlint.toml`: found, read, checked. Anything it does not know is an error that points at the
//! place in the file, never ignored: a misspelt key would otherwise silently change nothing.
//!
//! ```toml
//! gateways = ["EXBH01"]                     # servers that send mail outside the organization
//! non-exchange-gateways = ["relay.isp.example"]
//! small-business-server = false
//! system-drive = "C:"
//! as-of = "2026-12-04"
//! select = ["SMTP", "CONN"]                 # codes or prefixes; all when absent
//! ignore = ["SMTP004"]
//!
//! [rules.SMTP001]
//! severity = "warning"                      # error, warning, non-default or info
//!
//! [rules.ORG006]
//! enabled = false
//! ```

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use miette::{Diagnostic, IntoDiagnostic, NamedSource, SourceSpan, WrapErr};
use serde::Deserialize;
use toml::Spanned;

use crate::catalogue;
use crate::finding::Severity;
use crate::rules::RULES;
use crate::settings::{Settings, is_drive, known_pattern};
use crate::suppression::Suppression;

pub const FILE_NAME: &str = "exlint.toml";

/// A configuration file and its text.
pub struct ConfigFile {
    path: PathBuf,
    text: String,
}

impl ConfigFile {
    /// `explicit` (`--config FILE`), or else `exlint.toml` in the current folder or the nearest
    /// folder above it that has one.
    pub fn find(explicit: Option<&Path>) -> miette::Result<Option<ConfigFile>> {
        let path = match explicit {
            Some(path) => path.to_path_buf(),
            None => {
                let current = std::env::current_dir().into_diagnostic()?;
                match current.ancestors().map(|dir| dir.join(FILE_NAME)).find(|path| path.is_file()) {
                    Some(path) => path,
                    None => return Ok(None),
                }
            }
        };
        let text = std::fs::read_to_string(&path)
            .into_diagnostic()
            .wrap_err_with(|| format!("cannot read the configuration `{}`", path.display()))?;
        Ok(Some(ConfigFile { path, text }))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The settings the file gives.
    pub fn settings(&self) -> Result<Settings, Box<ConfigError>> {
        let raw: Raw = toml::from_str(&self.text).map_err(|error| {
            let span = error.span().unwrap_or(0..0);
            self.error(error.message().to_owned(), span, "here", None)
        })?;
        let mut settings = Settings::default();
        settings.options.gateways = raw.gateways;
        settings.options.non_exchange_gateways = raw.non_exchange_gateways;
        settings.options.small_business_server = raw.small_business_server.unwrap_or(false);
        if let Some(drive) = raw.system_drive {
            if !is_drive(drive.get_ref()) {
                return Err(self.error(
                    format!("`{}` is not a drive", drive.get_ref()),
                    drive.span(),
                    "a drive letter and a colon",
                    Some("write it like `C:`".to_owned()),
                ));
            }
            settings.options.system_drive = drive.into_inner().to_ascii_uppercase();
        }
        if let Some(day) = raw.as_of {
            settings.options.as_of = day.get_ref().parse().map_err(|message| {
                self.error(message, day.span(), "not a date", Some("write it like `2026-01-31`".to_owned()))
            })?;
        }
        settings.selection.select = self.patterns(raw.select)?;
        settings.selection.ignore = self.patterns(raw.ignore)?;
        for (code, table) in raw.rules {
            self.rule_table(code, table, &mut settings)?;
        }
        settings.suppressions =
            raw.suppress.into_iter().map(|table| self.suppression(table)).collect::<Result<_, _>>()?;
        Ok(settings)
    }

    /// A `[[suppress]]` table: a known code, a DN or a fingerprint, a reason, and perhaps a day.
    fn suppression(&self, table: Spanned<RawSuppression>) -> Result<Suppression, Box<ConfigError>> {
        let span = table.span();
        let raw = table.into_inner();
        let code = catalogue::lookup(raw.code.get_ref())
            .filter(|known| known.code == raw.code.get_ref().to_ascii_uppercase())
            .ok_or_else(|| {
                self.error(
                    format!("`{}` is not a code", raw.code.get_ref()),
                    raw.code.span(),
                    "unknown code",
                    Some("a suppression names one code, such as `SMTP001`; `exlint rules` lists them".to_owned()),
                )
            })?;
        if raw.dn.is_none() && raw.fingerprint.is_none() {
            return Err(self.error(
                "a suppression names the object (`dn`) or the finding (`fingerprint`)".to_owned(),
                span,
                "this suppression",
                Some(format!("to stop reporting `{}` everywhere, write `[rules.{0}]` `enabled = false`", code.code)),
            ));
        }
        if raw.reason.get_ref().trim().is_empty() {
            return Err(self.error(
                "a suppression says why".to_owned(),
                raw.reason.span(),
                "empty reason",
                Some("the reason is shown beside the suppressed finding in every report".to_owned()),
            ));
        }
        let expires = raw.expires.map(|expires| self.day(&expires)).transpose()?;
        let line = self.text[..span.start].matches('\n').count() + 1;
        Ok(Suppression {
            code: code.code.to_owned(),
            dn: raw.dn,
            fingerprint: raw.fingerprint,
            reason: raw.reason.into_inner(),
            expires,
            origin: format!("{}:{line}", self.path.display()),
        })
    }

    fn patterns(&self, patterns: Vec<Spanned<String>>) -> Result<Vec<String>, Box<ConfigError>> {
        patterns
            .into_iter()
            .map(|pattern| {
                known_pattern(pattern.get_ref()).ok_or_else(|| {
                    self.error(
                        format!("no code starts with `{}`", pattern.get_ref()),
                        pattern.span(),
                        "unknown code",
                        Some("`exlint rules` lists every code".to_owned()),
                    )
                })
            })
            .collect()
    }

    /// `[rules.CODE]`: `enabled`, `severity`, and the options the rule declares.
    fn rule_table(
        &self,
        code: Spanned<String>,
        table: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
        settings: &mut Settings,
    ) -> Result<(), Box<ConfigError>> {
        let Some(known) =
            catalogue::lookup(code.get_ref()).filter(|known| known.code == code.get_ref().to_ascii_uppercase())
        else {
            return Err(self.error(
                format!("`[rules.{}]` names no code", code.get_ref()),
                code.span(),
                "unknown code",
                Some(
                    "a rules table is named after one code, such as `[rules.SMTP001]`; `exlint rules` lists them"
                        .to_owned(),
                ),
            ));
        };
        let rule = RULES.iter().find(|rule| rule.code == known.code);
        for (key, value) in table {
            match key.get_ref().as_str() {
                "enabled" => {
                    let enabled =
                        value.get_ref().as_bool().ok_or_else(|| self.expected(&value, "`true` or `false`"))?;
                    settings.selection.enabled.insert(known.code.to_owned(), enabled);
                }
                "severity" => {
                    let severity = value
                        .get_ref()
                        .as_str()
                        .and_then(|label| Severity::ALL.into_iter().find(|severity| severity.label() == label))
                        .ok_or_else(|| self.expected(&value, "`error`, `warning`, `non-default` or `info`"))?;
                    settings.selection.severity.insert(known.code.to_owned(), severity);
                }
                name => {
                    let declared = rule.and_then(|rule| rule.options.iter().find(|option| option.name == name));
                    let Some(option) = declared else {
                        let names: Vec<String> = ["enabled", "severity"]
                            .into_iter()
                            .chain(rule.into_iter().flat_map(|rule| rule.options.iter().map(|option| option.name)))
                            .map(|name| format!("`{name}`"))
                            .collect();
                        return Err(self.error(
                            format!("`{}` has no setting `{name}`", known.code),
                            key.span(),
                            "unknown setting",
                            Some(format!("its settings are {}", names.join(", "))),
                        ));
                    };
                    let number = value.get_ref().as_integer().ok_or_else(|| self.expected(&value, "a whole number"))?;
                    settings.options.rule_options.entry(known.code).or_default().insert(option.name, number);
                }
            }
        }
        Ok(())
    }

    /// A day, as TOML writes it (`2027-03-31`) or as a string (`"2027-03-31"`).
    fn day(&self, value: &Spanned<toml::Value>) -> Result<String, Box<ConfigError>> {
        let datetime = match value.get_ref() {
            toml::Value::Datetime(datetime) => Some(*datetime),
            toml::Value::String(text) => text.trim().parse::<toml::value::Datetime>().ok(),
            _ => None,
        };
        match datetime {
            Some(toml::value::Datetime { date: Some(date), time: None, offset: None }) => Ok(date.to_string()),
            _ => Err(self.expected(value, "a day, such as `2027-03-31`")),
        }
    }

    fn expected(&self, value: &Spanned<toml::Value>, what: &str) -> Box<ConfigError> {
        self.error(format!("expected {what}"), value.span(), "this value", None)
    }

    fn error(&self, message: String, span: Range<usize>, label: &str, help: Option<String>) -> Box<ConfigError> {
        Box::new(ConfigError {
            message,
            source_code: NamedSource::new(self.path.display().to_string(), self.text.clone()),
            span: span.into(),
            label: label.to_owned(),
            help,
        })
    }
}

/// A configuration file that says something exlint does not understand, and where.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(exlint::config))]
pub struct ConfigError {
    message: String,
    #[source_code]
    source_code: NamedSource<String>,
    #[label("{label}")]
    span: SourceSpan,
    label: String,
    #[help]
    help: Option<String>,
}

/// The file as TOML gives it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    #[serde(default)]
    gateways: Vec<String>,
    #[serde(default)]
    non_exchange_gateways: Vec<String>,
    small_business_server: Option<bool>,
    system_drive: Option<Spanned<String>>,
    as_of: Option<Spanned<String>>,
    #[serde(default)]
    select: Vec<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<toml::Value>>>,
    #[serde(default)]
    suppress: Vec<Spanned<RawSuppression>>,
}

/// A `[[suppress]]` table as TOML gives it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSuppression {
    code: Spanned<String>,
    dn: Option<String>,
    fingerprint: Option<String>,
    reason: Spanned<String>,
    expires: Option<Spanned<toml::Value>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Settings, String> {
        let file = ConfigFile { path: PathBuf::from("exlint.toml"), text: text.to_owned() };
        file.settings().map_err(|error| {
            let start = error.span.offset();
            format!("{} at {start}..{}", error.message, start + error.span.len())
        })
    }

    #[test]
    fn reads_every_setting() {
        let settings = parse(
            "gateways = [\"EXBH01\"]\nnon-exchange-gateways = [\"relay.isp.example\"]\nsmall-business-server = true\n\
             system-drive = \"d:\"\nselect = [\"smtp\"]\nignore = [\"SMTP002\"]\n\n[rules.SMTP001]\nseverity = \"warning\"\nenabled = true\n",
        )
        .unwrap();
        assert_eq!(settings.options.gateways, ["EXBH01"]);
        assert_eq!(settings.options.non_exchange_gateways, ["relay.isp.example"]);
        assert!(settings.options.small_business_server);
        assert_eq!(settings.options.system_drive, "D:");
        assert_eq!(settings.selection.select, ["SMTP"]);
        assert_eq!(settings.selection.severity.get("SMTP001"), Some(&Severity::Warning));
        assert_eq!(settings.selection.enabled.get("SMTP001"), Some(&true));
    }

    #[test]
    fn what_it_does_not_know_is_located() {
        let unknown_key = parse("gateway = [\"EXBH01\"]\n").unwrap_err();
        assert!(unknown_key.starts_with("unknown field `gateway`"), "{unknown_key}");
        assert!(unknown_key.ends_with("at 0..7"), "{unknown_key}");
        assert_eq!(parse("select = [\"SMTP9\"]").unwrap_err(), "no code starts with `SMTP9` at 10..17");
        assert_eq!(parse("[rules.SMTP999]\nenabled = false").unwrap_err(), "`[rules.SMTP999]` names no code at 7..14");
        assert_eq!(parse("[rules.SMTP001]\nlimit = 3").unwrap_err(), "`SMTP001` has no setting `limit` at 16..21");
        assert_eq!(
            parse("[rules.SMTP001]\nseverity = \"fatal\"").unwrap_err(),
            "expected `error`, `warning`, `non-default` or `info` at 27..34"
        );
        assert_eq!(parse("system-drive = \"C\"").unwrap_err(), "`C` is not a drive at 15..18");
    }
}
