//! exlint: an offline analyzer for Active Directory exports of Microsoft Exchange
//! configuration.
//!
//! Data flows one way, one module per stage:
//!
//! ```text
//! bytes ──▶ records ──▶ index ──▶ topology ──▶ findings ──▶ report
//! source    ldif        directory  exchange     rules        report
//!           csvde
//! ```
//!
//! - [`source`] holds each input's text: the memory-mapped file, or one UTF-8 copy of a UTF-16
//!   export. Everything downstream borrows from it and points into it with spans, turned into
//!   `file:line:column` only when a report is written.
//! - [`ldif`] reads RFC 2849 records as real exporters write them, values kept as raw spans
//!   and decoded on demand; a malformed record is an error and reading goes on. [`csvde`]
//!   reads csvde's CSV exports into the same records.
//! - [`directory`] indexes entries by normalised DN and object class, applies change records
//!   and merges several inputs.
//! - [`exchange`] builds the organization's mail routing: groups, servers, SMTP virtual
//!   servers, connectors, also when parents are missing from a filtered export.
//! - [`rules`] checks each server in parallel; [`finding`] is what they report, sorted so that
//!   output never depends on thread timing.
//! - [`report`] writes the findings for people (miette), tickets (Markdown, HTML) and tools
//!   (JSON, SARIF), and the topology as graphs (DOT, Mermaid); [`provenance`] and
//!   [`suppression`] add where a report comes from and what the user set aside.
//!
//! [`security`] reads the Windows security descriptors that decide who may relay.
//!
//! [`analysis`] runs the stages; [`cli`] is the command line; [`catalogue`] lists every code
//! with its reference page.

#[macro_use]
pub mod catalogue;
pub mod analysis;
pub mod cli;
pub mod config;
pub mod csvde;
pub mod directory;
pub mod exchange;
pub mod finding;
pub mod fingerprint;
pub mod ldif;
pub mod output;
pub mod provenance;
pub mod report;
pub mod rules;
pub mod security;
pub mod settings;
pub mod source;
pub mod suppression;
