//! IP addresses and ranges as bindings and receive connectors write them, normalised so that two
//! spellings of one address or range compare equal: `[::]` and `::`, `10.0.0.0/24` and
//! `10.0.0.0-10.0.0.255`, `FE80::1` and `fe80:0:0::1`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// An address: an IP address when the text is one, otherwise the text in lower case (a name,
/// or a value Exchange would reject), so that nothing is lost and equal texts still match.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Address {
    Ip(IpAddr),
    Text(String),
}

impl Address {
    /// Parses an address, with or without one pair of brackets around an IPv6 address.
    pub fn parse(text: &str) -> Address {
        let trimmed = text.trim();
        let bare = trimmed.strip_prefix('[').and_then(|rest| rest.strip_suffix(']')).unwrap_or(trimmed);
        match bare.parse::<IpAddr>() {
            Ok(ip) => Address::Ip(ip),
            Err(_) => Address::Text(trimmed.to_lowercase()),
        }
    }
}

/// One value of `msExchSmtpReceiveRemoteIPRanges`, as the addresses it covers: Exchange's
/// forms are a single address, `low-high`, `address/prefix` and `address(mask)`, and two ranges
/// that cover the same addresses are the same range to Exchange.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IpRange {
    /// The first and last address, of one family.
    Span(IpAddr, IpAddr),
    /// A value that is none of the forms, in lower case.
    Text(String),
}

impl IpRange {
    /// Whether the range is every IPv4 address or every IPv6 address.
    pub fn covers_every_address(&self) -> bool {
        match self {
            IpRange::Span(IpAddr::V4(low), IpAddr::V4(high)) => {
                *low == Ipv4Addr::UNSPECIFIED && *high == Ipv4Addr::BROADCAST
            }
            IpRange::Span(IpAddr::V6(low), IpAddr::V6(high)) => {
                *low == Ipv6Addr::UNSPECIFIED && *high == Ipv6Addr::from(u128::MAX)
            }
            _ => false,
        }
    }

    pub fn parse(text: &str) -> IpRange {
        let trimmed = text.trim();
        Self::parse_span(trimmed)
            .map_or_else(|| IpRange::Text(trimmed.to_lowercase()), |(low, high)| IpRange::Span(low, high))
    }

    fn parse_span(text: &str) -> Option<(IpAddr, IpAddr)> {
        let ip = |text: &str| match Address::parse(text) {
            Address::Ip(ip) => Some(ip),
            Address::Text(_) => None,
        };
        if let Some((address, rest)) = text.split_once('(') {
            let mask = ip(rest.strip_suffix(')')?)?;
            return network(ip(address)?, prefix_of_mask(mask)?);
        }
        if let Some((address, prefix)) = text.split_once('/') {
            return network(ip(address)?, prefix.trim().parse().ok()?);
        }
        if let Some((low, high)) = text.split_once('-') {
            let (low, high) = (ip(low)?, ip(high)?);
            return (low.is_ipv4() == high.is_ipv4() && low <= high).then_some((low, high));
        }
        let single = ip(text)?;
        Some((single, single))
    }
}

/// The first and last address of `address/prefix`.
fn network(address: IpAddr, prefix: u32) -> Option<(IpAddr, IpAddr)> {
    match address {
        IpAddr::V4(v4) => {
            32_u32.checked_sub(prefix)?;
            let hosts = u32::MAX.checked_shr(prefix).unwrap_or(0);
            let low = u32::from(v4) & !hosts;
            Some((IpAddr::V4(Ipv4Addr::from(low)), IpAddr::V4(Ipv4Addr::from(low | hosts))))
        }
        IpAddr::V6(v6) => {
            128_u32.checked_sub(prefix)?;
            let hosts = u128::MAX.checked_shr(prefix).unwrap_or(0);
            let low = u128::from(v6) & !hosts;
            Some((IpAddr::V6(Ipv6Addr::from(low)), IpAddr::V6(Ipv6Addr::from(low | hosts))))
        }
    }
}

/// The prefix length of a netmask whose one bits are contiguous (`255.255.255.0` is 24).
fn prefix_of_mask(mask: IpAddr) -> Option<u32> {
    let (bits, width) = match mask {
        IpAddr::V4(v4) => (u128::from(u32::from(v4)) << 96, 32),
        IpAddr::V6(v6) => (u128::from(v6), 128),
    };
    let prefix = bits.leading_ones();
    (bits.checked_shl(prefix).unwrap_or(0) == 0 && prefix <= width).then_some(prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(low: &str, high: &str) -> IpRange {
        IpRange::Span(low.parse().unwrap(), high.parse().unwrap())
    }

    #[test]
    fn addresses_compare_by_value() {
        assert_eq!(Address::parse("[::]"), Address::parse("::"));
        assert_eq!(Address::parse("FE80::1"), Address::parse("fe80:0:0::1"));
        assert_eq!(Address::parse(" 10.0.1.25 "), Address::Ip("10.0.1.25".parse().unwrap()));
        assert_ne!(Address::parse("0.0.0.0"), Address::parse("::"));
        assert_eq!(Address::parse("Mail.Contoso.com"), Address::Text("mail.contoso.com".into()));
    }

    #[test]
    fn ranges_in_every_form() {
        let all = span("0.0.0.0", "255.255.255.255");
        assert_eq!(IpRange::parse("0.0.0.0-255.255.255.255"), all);
        assert_eq!(IpRange::parse("0.0.0.0/0"), all);
        assert_eq!(IpRange::parse("0.0.0.0(0.0.0.0)"), all);
        let net = span("10.0.0.0", "10.0.0.255");
        assert_eq!(IpRange::parse("10.0.0.0/24"), net);
        assert_eq!(IpRange::parse("10.0.0.77/24"), net, "host bits are ignored");
        assert_eq!(IpRange::parse("10.0.0.0(255.255.255.0)"), net);
        assert_eq!(IpRange::parse(" 10.0.0.0 - 10.0.0.255 "), net);
        assert_eq!(IpRange::parse("192.0.2.7"), span("192.0.2.7", "192.0.2.7"));
        assert_eq!(IpRange::parse("::-FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF"), IpRange::parse("::/0"));
        assert_eq!(IpRange::parse("2001:db8::/32"), span("2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"));
    }

    #[test]
    fn tells_the_ranges_that_cover_every_address() {
        for every in ["0.0.0.0/0", "0.0.0.0-255.255.255.255", "::/0", "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"] {
            assert!(IpRange::parse(every).covers_every_address(), "{every}");
        }
        for some in ["0.0.0.0/1", "10.0.0.0/8", "::/1", "0.0.0.1-255.255.255.255", "everything"] {
            assert!(!IpRange::parse(some).covers_every_address(), "{some}");
        }
    }

    #[test]
    fn keeps_what_it_cannot_read() {
        assert_eq!(IpRange::parse("10.0.0.9-10.0.0.1"), IpRange::Text("10.0.0.9-10.0.0.1".into()));
        assert_eq!(IpRange::parse("10.0.0.0/33"), IpRange::Text("10.0.0.0/33".into()));
        assert_eq!(IpRange::parse("10.0.0.0(255.0.255.0)"), IpRange::Text("10.0.0.0(255.0.255.0)".into()));
        assert_eq!(IpRange::parse("10.0.0.1-::1"), IpRange::Text("10.0.0.1-::1".into()));
        assert_eq!(IpRange::parse("Partners"), IpRange::Text("partners".into()));
    }
}
