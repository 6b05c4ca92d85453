//! AWS key pairs among the findings: each access key ID (`KS101`) with the secret key
//! (`KS102`) and session token (`KS103`) found closest to it in the same file, so that
//! `keyless scan --verify` can ask STS whether the pair is live.

use crate::content::Located;

/// How many lines apart a key ID and its secret may be (a credentials file, a dotenv block,
/// a JSON object all keep them within a few lines).
const MAX_LINES_APART: usize = 10;

/// One key pair, as indexes into the report's findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPairFinding {
    /// The access key ID finding.
    pub key_id: usize,
    /// The secret access key finding.
    pub secret: usize,
    /// The session token finding, when one is near.
    pub session_token: Option<usize>,
}

fn same_place(a: &Located, b: &Located) -> bool {
    a.path == b.path
        && a.finding.inside == b.finding.inside
        && a.origin.as_ref().map(|o| &o.blob) == b.origin.as_ref().map(|o| &o.blob)
}

/// Pairs key IDs with secrets (each secret used once, nearest first).
pub fn key_pairs(findings: &[Located]) -> Vec<KeyPairFinding> {
    let of = |id: &str| -> Vec<usize> {
        (0..findings.len())
            .filter(|&i| findings[i].finding.id == id)
            .collect()
    };
    let (ids, secrets, tokens) = (of("KS101"), of("KS102"), of("KS103"));
    let mut used = vec![false; findings.len()];
    let mut out = Vec::new();
    for &k in &ids {
        let near = |candidates: &[usize], used: &[bool]| {
            candidates
                .iter()
                .copied()
                .filter(|&c| !used[c] && same_place(&findings[k], &findings[c]))
                .map(|c| {
                    (
                        findings[k].finding.line.abs_diff(findings[c].finding.line),
                        c,
                    )
                })
                .filter(|&(d, _)| d <= MAX_LINES_APART)
                .min()
                .map(|(_, c)| c)
        };
        let Some(s) = near(&secrets, &used) else {
            continue;
        };
        used[s] = true;
        let t = near(&tokens, &used);
        if let Some(t) = t {
            used[t] = true;
        }
        out.push(KeyPairFinding {
            key_id: k,
            secret: s,
            session_token: t,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Located;

    fn located(path: &str, text: &str) -> Vec<Located> {
        crate::engine::scan_bytes(text.as_bytes())
            .into_iter()
            .map(|finding| Located {
                path: path.into(),
                status: None,
                finding,
                origin: None,
            })
            .collect()
    }

    #[test]
    fn pairs_each_key_id_with_the_nearest_secret_in_the_same_file() {
        let s1 = keyless_testkit::fake_secret(11);
        let s2 = keyless_testkit::fake_secret(12);
        let text = format!(
            "[a]\naws_access_key_id = AKIA{0}\naws_secret_access_key = {s1}\n\n[b]\naws_access_key_id = AKIA{1}\naws_secret_access_key = {s2}\n",
            "QRSTUVWXYZ234567",
            "Z234567QRSTUVWXY"
        );
        let mut f = located("credentials", &text);
        // The same key ID alone in another file has no pair.
        f.extend(located("other", &format!("AKIA{}\n", "QRSTUVWXYZ234567")));
        let pairs = key_pairs(&f);
        assert_eq!(pairs.len(), 2, "{f:#?}");
        assert_eq!(f[pairs[0].secret].finding.secret, s1);
        assert_eq!(f[pairs[1].secret].finding.secret, s2);
        assert!(pairs.iter().all(|p| p.session_token.is_none()));
    }
}
