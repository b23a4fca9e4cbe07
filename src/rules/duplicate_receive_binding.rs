use std::collections::BTreeSet;

use crate::exchange::{Binding, Located, ReceiveConnector, Server};
use crate::finding::{Finding, Severity};

use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// Two receive connectors (Exchange 2007 and later, `msExchSmtpReceiveConnector`) of one
    /// server that share a binding (`msExchSmtpReceiveBindings`, `IP:port`) and accept the same
    /// remote IP ranges (`msExchSmtpReceiveRemoteIPRanges`). What Exchange requires unique is
    /// the combination of a binding and the remote ranges.
    ///
    /// Values are normalised before they are compared. Bindings are parsed as Exchange parses
    /// them (split at the last `:`) and compared as sockets: `[::]:25` and `:::25` are the
    /// same, IPv6 addresses are compared by value, `0.0.0.0` (all IPv4 addresses) and `[::]`
    /// (all IPv6 addresses) are different. Remote ranges are compared as the sets of addresses
    /// they cover, whatever their order, repeats and form: `10.0.0.0/24`,
    /// `10.0.0.0-10.0.0.255` and `10.0.0.0(255.255.255.0)` are the same range. Values that are
    /// not addresses are compared as text, ignoring case. Connectors with
    /// `msExchSmtpReceiveEnabled: FALSE` do not listen and are left out, and so are connectors
    /// whose remote ranges are not in the export. Ranges that only overlap are not reported:
    /// Exchange gives a connection to the connector with the most specific match.
    ///
    /// ## Why it matters
    /// When a connection arrives, Exchange picks the receive connector by the local address and
    /// port it arrived on and by the remote address it came from. Two connectors that match
    /// equally leave that choice undefined: permissions, authentication and limits of one
    /// connector may apply to mail meant for the other. Exchange's documentation requires the
    /// combination to be unique, so such a pair usually comes from edits outside its tools.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Default EXHUB01,CN=SMTP Receive Connectors,CN=Protocols,CN=EXHUB01,...
    /// objectClass: msExchSmtpReceiveConnector
    /// msExchSmtpReceiveBindings: 0.0.0.0:25
    /// msExchSmtpReceiveRemoteIPRanges: 0.0.0.0-255.255.255.255
    ///
    /// dn: CN=Relay EXHUB01,CN=SMTP Receive Connectors,CN=Protocols,CN=EXHUB01,...
    /// objectClass: msExchSmtpReceiveConnector
    /// msExchSmtpReceiveBindings: 0.0.0.0:25
    /// msExchSmtpReceiveRemoteIPRanges: 0.0.0.0/0
    /// ```
    ///
    /// ## How to fix
    /// Give one of the two connectors remote ranges of its own (the addresses of the
    /// application servers that relay, say) with `Set-ReceiveConnector -RemoteIPRanges`, or a
    /// binding of its own with `-Bindings`; or remove the connector that is not needed.
    ///
    /// ## Origin
    /// exlint's own check, from Exchange's constraints: a receive connector needs a unique
    /// combination of binding and remote IP ranges on its server (DOMAIN.md C.6 X09, from
    /// "ReceiveConnector.Bindings",
    /// <https://video2.skills-academy.com/ja-jp/previous-versions/office/developer/exchange-server-2010/ff328362(v=exchg.140)>,
    /// and "Receive connectors",
    /// <http://unifiedpeople.ru/exchhelp.en/html/3d73d3c7-0aa7-4109-a3fe-3e43c9a42fdd.htm>).
    pub static DUPLICATE_RECEIVE_BINDING = Rule {
        code: "SMTP019",
        name: "duplicate-receive-binding",
        title: "Two receive connectors share a binding and remote IP ranges",
        severity: Severity::Error,
        origin: Origin::Native,
        precondition: needs::receive_connectors,
        check: Check::Server(check),
    };
}

/// A receive connector and one of its bindings.
type Bound<'t, 'a> = (&'t ReceiveConnector<'a>, &'t Located<'a, Binding>);

fn check(server: &Server<'_>, context: &Context<'_>) -> Vec<Finding> {
    let topology = context.topology;
    let connectors: Vec<&ReceiveConnector<'_>> = topology
        .receive_connectors
        .iter()
        .filter(|connector| std::ptr::eq(&topology.servers[connector.server], server))
        .filter(|connector| connector.enabled().is_none_or(|enabled| *enabled))
        .filter(|connector| !connector.remote_ranges.is_empty())
        .collect();
    let mut findings = Vec::new();
    for (index, second) in connectors.iter().enumerate() {
        // Report a connector once, against the first earlier connector it clashes with.
        let clash = connectors[..index].iter().find_map(|first| {
            if first.remote_range_set() != second.remote_range_set() {
                return None;
            }
            let sockets: BTreeSet<_> = first.bindings.iter().filter_map(|binding| binding.socket()).collect();
            let shared = second
                .bindings
                .iter()
                .find(|binding| binding.socket().is_some_and(|socket| sockets.contains(&socket)))?;
            let first_binding = first.bindings.iter().find(|binding| binding.socket() == shared.socket())?;
            Some(((*first, first_binding), (*second, shared)))
        });
        if let Some((first, second)) = clash {
            findings.push(finding(server, first, second));
        }
    }
    findings
}

fn finding(
    server: &Server<'_>,
    (first, first_binding): Bound<'_, '_>,
    (second, second_binding): Bound<'_, '_>,
) -> Finding {
    let ranges: Vec<String> = second.remote_ranges.iter().map(|range| format!("`{}`", range.text().trim())).collect();
    let message = format!(
        "receive connectors `{}` and `{}` on `{}` both listen on `{}` for the same remote IP ranges ({}): Exchange cannot tell which one a connection is for",
        first.node.name,
        second.node.name,
        server.name(),
        second_binding.text.trim(),
        ranges.join(", ")
    );
    let socket = |other: &ReceiveConnector<'_>| format!("the same socket as connector `{}`", other.node.name);
    let finding = DUPLICATE_RECEIVE_BINDING
        .finding(second_binding.location(), message)
        .server(server.name())
        .dn(second.node.dn.text())
        .help("give one of the two connectors remote IP ranges or a binding of its own")
        .evidence(first_binding.evidence(socket(second)))
        .evidence(second_binding.evidence(socket(first)));
    [(first, second), (second, first)].into_iter().fold(finding, |finding, (connector, other)| {
        connector.remote_ranges.iter().fold(finding, |finding, range| {
            finding.evidence(
                range.evidence(format!("remote IP range; connector `{}` accepts the same set", other.node.name)),
            )
        })
    })
}
