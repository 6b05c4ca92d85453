//! IAM wildcard matching: `*` matches any run of characters (including none), `?` any
//! single character. There is no escape character; a policy variable's value is
//! inserted as literal text (see [`Pattern`]).

/// One piece of a compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Literal text.
    Lit(String),
    /// `?`
    One,
    /// `*`
    Any,
}

/// A compiled wildcard pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    pieces: Vec<Piece>,
    /// Compare ASCII case-insensitively.
    fold_case: bool,
}

impl Pattern {
    /// Compiles `s`, where `*` and `?` are wildcards.
    pub fn new(s: &str, fold_case: bool) -> Self {
        let mut p = Self {
            pieces: Vec::new(),
            fold_case,
        };
        p.push_pattern(s);
        p
    }

    /// Appends wildcard text.
    pub fn push_pattern(&mut self, s: &str) {
        let mut lit = String::new();
        for c in s.chars() {
            match c {
                '*' | '?' => {
                    if !lit.is_empty() {
                        self.push_lit(&std::mem::take(&mut lit));
                    }
                    if c == '*' {
                        if self.pieces.last() != Some(&Piece::Any) {
                            self.pieces.push(Piece::Any);
                        }
                    } else {
                        self.pieces.push(Piece::One);
                    }
                }
                c => lit.push(c),
            }
        }
        if !lit.is_empty() {
            self.push_lit(&lit);
        }
    }

    /// Appends literal text (no wildcards).
    pub fn push_lit(&mut self, s: &str) {
        let s = if self.fold_case {
            s.to_ascii_lowercase()
        } else {
            s.to_string()
        };
        if let Some(Piece::Lit(prev)) = self.pieces.last_mut() {
            prev.push_str(&s);
        } else if !s.is_empty() {
            self.pieces.push(Piece::Lit(s));
        }
    }

    /// Whether the pattern is a single `*`.
    pub fn is_any(&self) -> bool {
        self.pieces == [Piece::Any]
    }

    /// Whether the pattern has any wildcard.
    pub fn has_wildcard(&self) -> bool {
        self.pieces.iter().any(|p| !matches!(p, Piece::Lit(_)))
    }

    /// Whether `text` matches.
    pub fn matches(&self, text: &str) -> bool {
        if self.fold_case && text.bytes().any(|b| b.is_ascii_uppercase()) {
            return matches_pieces(&self.pieces, text.to_ascii_lowercase().as_bytes());
        }
        matches_pieces(&self.pieces, text.as_bytes())
    }
}

/// Byte-level matcher. `?` consumes one UTF-8 character.
fn matches_pieces(pieces: &[Piece], text: &[u8]) -> bool {
    // Iterative with backtracking to the last `*` (linear in practice).
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    loop {
        if pi < pieces.len() {
            match &pieces[pi] {
                Piece::Any => {
                    star = Some((pi, ti));
                    pi += 1;
                    continue;
                }
                Piece::One if ti < text.len() => {
                    ti += utf8_len(text[ti]);
                    pi += 1;
                    continue;
                }
                Piece::Lit(l) if text[ti.min(text.len())..].starts_with(l.as_bytes()) => {
                    ti += l.len();
                    pi += 1;
                    continue;
                }
                _ => {}
            }
        } else if ti == text.len() {
            return true;
        }
        // Mismatch: let the last `*` take one more character.
        match star {
            Some((spi, sti)) if sti < text.len() => {
                let nti = sti + utf8_len(text[sti]);
                star = Some((spi, nti));
                pi = spi + 1;
                ti = nti;
            }
            _ => return false,
        }
    }
}

/// Matches `text` against the wildcard pattern `pattern` directly, without compiling it
/// (case-sensitive). For one-off matches on the evaluation path.
pub fn glob(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == b'?' {
            pi += 1;
            ti += utf8_len(t[ti]);
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((spi, sti)) = star {
            let next = sti + utf8_len(t[sti]);
            star = Some((spi, next));
            pi = spi + 1;
            ti = next;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&b| b == b'*')
}

fn utf8_len(first: u8) -> usize {
    match first {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globbing() {
        let m = |p: &str, t: &str| Pattern::new(p, false).matches(t);
        assert!(m("*", ""));
        assert!(m("a*", "abc"));
        assert!(m("a*c", "abxc"));
        assert!(!m("a*c", "abxd"));
        assert!(m("a?c", "abc"));
        assert!(!m("a?c", "ac"));
        assert!(m("*a*b*", "xxaxxbxx"));
        assert!(m("a*a*a*b", "aaaaaaaab"));
        assert!(!m("a*a*a*b", "aaaaaaaa"));
        assert!(m("é?", "éü"));
        assert!(!m("ABC", "abc"));
        assert!(Pattern::new("s3:Get*", true).matches("S3:GETOBJECT"));
    }

    #[test]
    fn glob_agrees_with_pattern() {
        let cases = [
            ("*", ""),
            ("a*", "abc"),
            ("a*c", "abxc"),
            ("a*c", "abxd"),
            ("a?c", "abc"),
            ("a?c", "ac"),
            ("*a*b*", "xxaxxbxx"),
            ("a*a*a*b", "aaaaaaaab"),
            ("a*a*a*b", "aaaaaaaa"),
            ("é?", "éü"),
            ("", ""),
            ("", "a"),
            ("**", "x"),
        ];
        for (p, t) in cases {
            assert_eq!(glob(p, t), Pattern::new(p, false).matches(t), "{p} {t}");
        }
    }

    #[test]
    fn literal_text_is_not_a_wildcard() {
        let mut p = Pattern::new("home/", false);
        p.push_lit("*");
        p.push_pattern("/*");
        assert!(p.matches("home/*/x"));
        assert!(!p.matches("home/bob/x"));
    }
}
