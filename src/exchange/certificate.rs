//! The internal transport certificate of an Exchange 2013+ server: `msExchServerInternalTLSCert`
//! on the server's entry, one X.509 certificate in DER (what HealthChecker's
//! `Get-InternalTransportCertificateFromServer` reads into an `X509Certificate2`). Read with
//! `x509-parser`.

use super::lifecycle::Date;

/// What the rules need of a certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Certificate {
    pub subject: String,
    pub not_before: Date,
    pub not_after: Date,
}

impl Certificate {
    /// Reads one DER certificate; `Err` says why the bytes are not one.
    pub fn parse(der: &[u8]) -> Result<Certificate, String> {
        let (rest, certificate) = x509_parser::parse_x509_certificate(der)
            .map_err(|error| format!("not an X.509 certificate in DER ({error})"))?;
        if !rest.is_empty() {
            return Err(format!("{} bytes follow the certificate", rest.len()));
        }
        let validity = certificate.validity();
        Ok(Certificate {
            subject: certificate.subject().to_string(),
            not_before: day(&validity.not_before),
            not_after: day(&validity.not_after),
        })
    }
}

fn day(time: &x509_parser::time::ASN1Time) -> Date {
    let time = time.to_datetime();
    // Certificates' years are four digits (RFC 5280 4.1.2.5).
    Date::new(time.year().clamp(0, 9999) as u16, u8::from(time.month()), time.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A self-signed certificate for CN=EX01, valid from 2025-07-01 to 2030-06-30, the one
    /// `samples/contoso-2019-fixed.ldf` gives EX01.
    const EX01: &[u8] = include_bytes!("testdata/ex01.der");

    #[test]
    fn reads_the_subject_and_validity() {
        let der = EX01.to_vec();
        let certificate = Certificate::parse(&der).unwrap();
        assert_eq!(certificate.subject, "CN=EX01");
        assert_eq!(certificate.not_before, Date::new(2025, 7, 1));
        assert_eq!(certificate.not_after, Date::new(2030, 6, 30));
        assert!(Certificate::parse(&der[..der.len() - 1]).unwrap_err().starts_with("not an X.509 certificate"));
        assert!(Certificate::parse(b"not a certificate").is_err());
        let mut longer = der.clone();
        longer.push(0);
        assert_eq!(Certificate::parse(&longer).unwrap_err(), "1 bytes follow the certificate");
    }
}
