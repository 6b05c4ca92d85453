//! Test-only helpers shared by the crates' tests (a dev-dependency, never shipped).
//!
//! Credentials in tests are made here at test time, from a seed, so that the repository
//! never holds a realistic-looking key and every run sees the same values (snapshots
//! show their redacted form).

pub mod moto;

/// A seeded xorshift64 generator: reproducible cases for the differential tests
/// (`KEYLESS_*_SEED` picks the seed), no dependency.
#[derive(Debug, Clone)]
pub struct Rng(pub u64);

impl Rng {
    /// The next value.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A value in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One of `xs`.
    pub fn pick<T: Clone>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())].clone()
    }
}

/// A 40-character secret access key in AWS's alphabet, made from `seed`.
pub fn fake_secret(seed: u64) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut rng = Rng(seed);
    (0..40)
        .map(|_| ALPHABET[(rng.next_u64() % 64) as usize] as char)
        .collect()
}

/// An access key ID (`AKIA` + 16 characters of AWS's base32 alphabet), made from `seed`.
/// Not AWS's `EXAMPLE` key, because a server must tell keys apart.
pub fn fake_key_id(seed: u64) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut rng = Rng(seed | 1);
    let body: String = (0..16)
        .map(|_| ALPHABET[(rng.next_u64() % 32) as usize] as char)
        .collect();
    format!("AKIA{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reproducible_and_in_range() {
        assert_eq!(fake_secret(7), fake_secret(7));
        assert_ne!(fake_secret(7), fake_secret(8));
        let s = fake_secret(1);
        assert_eq!(s.len(), 40);
        assert!(s
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/'));
        let mut r = Rng(3);
        assert!((0..1000).all(|_| r.below(5) < 5));
    }
}
