//! Fingerprints: each finding's identity across re-exports of the same directory, for
//! suppressions, baselines and the SARIF `partialFingerprints`.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use crate::directory::DnKey;
use crate::finding::Finding;

/// Gives every finding its fingerprint: a hash of its code, the normalised DN of the object
/// it is about, and its key value, the attributes and values on the lines it points at (or,
/// for a malformed record, which has no DN, its message). Line numbers, line ends, the file's
/// encoding, base64 or plain values, and the case and spacing of DNs do not enter it, so
/// the same problem keeps its fingerprint when the directory is exported again. Findings
/// that would share one are told apart by their order: `…:2`, `…:3`.
pub fn assign(findings: &mut [Finding]) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for finding in findings {
        let base = identity_hash(finding);
        let count = seen.entry(base.clone()).or_default();
        *count += 1;
        finding.fingerprint = if *count == 1 { base } else { format!("{base}:{count}") };
    }
}

fn identity_hash(finding: &Finding) -> String {
    let dn = finding.dn.as_deref().map(|dn| DnKey::of(dn).to_string());
    let key = match &dn {
        None => finding.message.clone(),
        Some(_) => {
            let mut values: Vec<String> = finding
                .evidence
                .iter()
                .filter(|evidence| finding.location.contains(evidence.location))
                .filter_map(|evidence| {
                    let attribute = evidence.attribute.as_deref()?.to_ascii_lowercase();
                    Some(format!("{attribute}={}", evidence.value.as_deref()?.trim()))
                })
                .collect();
            // The values of a multi-valued attribute come in no defined order.
            values.sort_unstable();
            values.join("\n")
        }
    };
    let mut hasher = Sha256::new();
    for part in [FINGERPRINT_VERSION, finding.code, dn.as_deref().unwrap_or_default(), &key] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hasher.finalize()[..16].iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Changes if ever the recipe of fingerprints has to, so that old ones never match by chance.
const FINGERPRINT_VERSION: &str = "exlint-fingerprint-1";
