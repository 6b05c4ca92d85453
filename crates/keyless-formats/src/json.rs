//! A small JSON reader that remembers where every value is, and a text editor on top.
//!
//! Claude Code's `settings.json` files are edited by people and by other tools. keyless
//! must (a) say on which line a variable is set, and (b) change one variable without
//! reformatting the rest of the file. `serde_json` gives neither spans nor a lossless
//! write, so this module parses to a tree whose nodes carry byte ranges, and edits are
//! splices of the original text at those ranges.
//!
//! The grammar is RFC 8259. Nesting depth is capped so a hostile file cannot exhaust
//! the stack.

use std::fmt;

/// Deepest nesting accepted. Real settings files nest three or four levels.
pub const MAX_DEPTH: usize = 128;

/// A JSON value with its byte range in the source text.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Start byte offset (inclusive).
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
    /// The value.
    pub value: Value,
}

/// A member of an object: the key, where the key starts, and the value.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// Decoded key.
    pub key: String,
    /// Byte offset of the key's opening quote.
    pub key_start: usize,
    /// The value.
    pub node: Node,
}

/// A JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, as written.
    Number(String),
    /// A decoded string.
    String(String),
    /// An array.
    Array(Vec<Node>),
    /// An object, members in file order (duplicates kept; the last one wins, as in
    /// JavaScript's `JSON.parse`, which is what Claude Code uses).
    Object(Vec<Member>),
}

impl Node {
    /// The member `key` of an object (the last one, if repeated).
    pub fn get(&self, key: &str) -> Option<&Member> {
        match &self.value {
            Value::Object(members) => members.iter().rev().find(|m| m.key == key),
            _ => None,
        }
    }

    /// The value at a chain of object keys (`&["env", "AWS_REGION"]`).
    pub fn pointer(&self, path: &[&str]) -> Option<&Node> {
        path.iter()
            .try_fold(self, |node, key| node.get(key).map(|m| &m.node))
    }

    /// The string inside, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A short name of the value's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}

/// A syntax error with its 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {} column {}: {}",
            self.line, self.column, self.message
        )
    }
}

/// 1-based line of byte offset `pos` in `text`.
pub fn line_of(text: &str, pos: usize) -> usize {
    text.as_bytes()[..pos.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

fn line_col(text: &str, pos: usize) -> (usize, usize) {
    let pos = pos.min(text.len());
    let line = line_of(text, pos);
    let line_start = text[..pos].rfind('\n').map(|i| i + 1).unwrap_or(0);
    (line, text[line_start..pos].chars().count() + 1)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
}

/// Parses `text` as one JSON value (surrounding whitespace allowed, a UTF-8 BOM too).
pub fn parse(text: &str) -> Result<Node, JsonError> {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
    };
    if text.starts_with('\u{feff}') {
        p.pos = 3;
    }
    p.ws();
    if p.pos >= p.bytes.len() {
        return Err(p.err("the file is empty; expected a JSON object such as `{}`"));
    }
    let node = p.value()?;
    p.ws();
    if p.pos < p.bytes.len() {
        return Err(p.err("unexpected text after the end of the JSON value"));
    }
    Ok(node)
}

impl Parser<'_> {
    fn err(&self, message: impl Into<String>) -> JsonError {
        self.err_at(self.pos, message)
    }

    /// An error at `pos`: a trailing comma is reported where the comma is, which is what
    /// the person has to delete, not at the bracket after it.
    fn err_at(&self, pos: usize, message: impl Into<String>) -> JsonError {
        let (line, column) = line_col(self.text, pos);
        JsonError {
            line,
            column,
            message: message.into(),
        }
    }

    fn ws(&mut self) {
        while let Some(b) = self.bytes.get(self.pos) {
            if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn expect(&mut self, b: u8, what: &str) -> Result<(), JsonError> {
        if self.bytes.get(self.pos) == Some(&b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.err(format!("expected {what}")))
        }
    }

    fn value(&mut self) -> Result<Node, JsonError> {
        let start = self.pos;
        let value =
            match self.bytes.get(self.pos) {
                Some(b'{') => self.object()?,
                Some(b'[') => self.array()?,
                Some(b'"') => Value::String(self.string()?),
                Some(b't') => self.literal("true", Value::Bool(true))?,
                Some(b'f') => self.literal("false", Value::Bool(false))?,
                Some(b'n') => self.literal("null", Value::Null)?,
                Some(b'-' | b'0'..=b'9') => self.number()?,
                Some(_) => return Err(self.err(
                    "expected a JSON value (a string, number, object, array, true, false or null)",
                )),
                None => return Err(self.err("unexpected end of file")),
            };
        Ok(Node {
            start,
            end: self.pos,
            value,
        })
    }

    fn enter(&mut self) -> Result<(), JsonError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err(format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        Ok(())
    }

    fn object(&mut self) -> Result<Value, JsonError> {
        self.enter()?;
        self.pos += 1;
        let mut members = Vec::new();
        self.ws();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Value::Object(members));
        }
        let mut comma = None;
        loop {
            self.ws();
            if self.bytes.get(self.pos) != Some(&b'"') {
                return Err(match (self.bytes.get(self.pos), comma) {
                    (Some(b'}'), Some(at)) => {
                        self.err_at(at, "trailing comma before `}` (JSON allows none)")
                    }
                    _ => self.err("expected a member name in double quotes"),
                });
            }
            let key_start = self.pos;
            let key = self.string()?;
            self.ws();
            self.expect(b':', "`:` after the member name")?;
            self.ws();
            let node = self.value()?;
            members.push(Member {
                key,
                key_start,
                node,
            });
            self.ws();
            match self.bytes.get(self.pos) {
                Some(b',') => {
                    comma = Some(self.pos);
                    self.pos += 1;
                }
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.err("expected `,` or `}` after an object member")),
            }
        }
        self.depth -= 1;
        Ok(Value::Object(members))
    }

    fn array(&mut self) -> Result<Value, JsonError> {
        self.enter()?;
        self.pos += 1;
        let mut items = Vec::new();
        self.ws();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Value::Array(items));
        }
        let mut comma = self.pos;
        loop {
            self.ws();
            if self.bytes.get(self.pos) == Some(&b']') {
                return Err(self.err_at(comma, "trailing comma before `]` (JSON allows none)"));
            }
            items.push(self.value()?);
            self.ws();
            match self.bytes.get(self.pos) {
                Some(b',') => {
                    comma = self.pos;
                    self.pos += 1;
                }
                Some(b']') => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.err("expected `,` or `]` after an array element")),
            }
        }
        self.depth -= 1;
        Ok(Value::Array(items))
    }

    fn literal(&mut self, word: &str, v: Value) -> Result<Value, JsonError> {
        if self.text[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(v)
        } else {
            Err(self.err(
                "expected a JSON value (a string, number, object, array, true, false or null)",
            ))
        }
    }

    fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.pos;
        let digits = |p: &mut Self| {
            let s = p.pos;
            while matches!(p.bytes.get(p.pos), Some(b'0'..=b'9')) {
                p.pos += 1;
            }
            p.pos > s
        };
        if self.bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        if self.bytes.get(self.pos) == Some(&b'0') {
            self.pos += 1;
        } else if !digits(self) {
            return Err(self.err("invalid number"));
        }
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if !digits(self) {
                return Err(self.err("invalid number: digits expected after `.`"));
            }
        }
        if matches!(self.bytes.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.bytes.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !digits(self) {
                return Err(self.err("invalid number: digits expected in the exponent"));
            }
        }
        Ok(Value::Number(self.text[start..self.pos].to_string()))
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1; // opening quote
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while let Some(&b) = self.bytes.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(&self.text[run_start..self.pos]);
            match self.bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let c = match self.bytes.get(self.pos) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.pos += 1;
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi)
                                && self.text[self.pos..].starts_with("\\u")
                            {
                                self.pos += 2;
                                let lo = self.hex4()?;
                                0x10000 + ((hi - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF)
                            } else {
                                hi
                            };
                            out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                            continue;
                        }
                        _ => return Err(self.err("invalid escape in string")),
                    };
                    self.pos += 1;
                    out.push(c);
                }
                Some(_) => {
                    return Err(
                        self.err("control character in string (write it as an escape such as \\n)")
                    )
                }
                None => return Err(self.err("unterminated string")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let s = self
            .text
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.err("bad \\u escape"))?;
        let v = u32::from_str_radix(s, 16).map_err(|_| self.err("bad \\u escape"))?;
        self.pos += 4;
        Ok(v)
    }
}

/// Encodes `s` as a JSON string literal.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whitespace that precedes byte `pos` on its line (the line's indentation, if `pos`
/// is the first non-blank character).
fn indent_before(text: &str, pos: usize) -> &str {
    let line_start = text[..pos].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let prefix = &text[line_start..pos];
    if prefix.trim().is_empty() {
        prefix
    } else {
        ""
    }
}

/// The indentation unit the file uses (two spaces when it cannot tell).
fn indent_unit(text: &str) -> String {
    text.lines()
        .map(|l| &l[..l.len() - l.trim_start().len()])
        .filter(|i| !i.is_empty())
        .min_by_key(|i| i.len())
        .unwrap_or("  ")
        .to_string()
}

/// A text splice: replace `text[start..end]` with `with`.
#[derive(Debug)]
struct Splice {
    start: usize,
    end: usize,
    with: String,
}

fn apply(text: &str, s: Splice) -> String {
    format!("{}{}{}", &text[..s.start], s.with, &text[s.end..])
}

/// Error from an edit: the path of keys it could not follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError(pub String);

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Sets `path` (a chain of object keys) to the raw JSON `value` in `text`, changing
/// nothing else. Missing intermediate objects are created; an existing member keeps
/// its position. `text` may be empty (a new file).
pub fn set(text: &str, path: &[&str], value: &str) -> Result<String, EditError> {
    if text.trim().is_empty() {
        let mut nested = value.to_string();
        for (depth, key) in path.iter().enumerate().rev() {
            let ind = "  ".repeat(depth + 1);
            let close = "  ".repeat(depth);
            nested = format!("{{\n{ind}{}: {nested}\n{close}}}", quote(key));
        }
        return Ok(format!("{nested}\n"));
    }
    let root = parse(text).map_err(|e| EditError(format!("cannot edit invalid JSON: {e}")))?;
    let unit = indent_unit(text);
    let mut node = &root;
    for (i, key) in path.iter().enumerate() {
        let Value::Object(members) = &node.value else {
            return Err(EditError(format!(
                "`{}` is {}, expected an object",
                path[..i].join("."),
                node.type_name()
            )));
        };
        if let Some(m) = members.iter().rev().find(|m| m.key == *key) {
            if i + 1 == path.len() {
                return Ok(apply(
                    text,
                    Splice {
                        start: m.node.start,
                        end: m.node.end,
                        with: value.to_string(),
                    },
                ));
            }
            node = &m.node;
            continue;
        }
        // Insert `key: <rest>` into this object.
        let mut rest = value.to_string();
        let obj_indent = indent_before(text, node.start).to_string();
        let member_indent = match members.first() {
            Some(m) => indent_before(text, m.key_start).to_string(),
            None => format!("{obj_indent}{unit}"),
        };
        for (depth, k) in path[i + 1..].iter().enumerate().rev() {
            let ind = format!("{member_indent}{}", unit.repeat(depth + 1));
            let close = format!("{member_indent}{}", unit.repeat(depth));
            rest = format!("{{\n{ind}{}: {rest}\n{close}}}", quote(k));
        }
        let entry = format!("{}: {rest}", quote(key));
        let splice = match members.last() {
            Some(last) => Splice {
                start: last.node.end,
                end: last.node.end,
                with: if member_indent.is_empty()
                    && !text[last.key_start..last.node.end].contains('\n')
                    && !text[node.start..last.key_start].contains('\n')
                {
                    format!(", {entry}")
                } else {
                    format!(",\n{member_indent}{entry}")
                },
            },
            None => Splice {
                start: node.start + 1,
                end: node.end - 1,
                with: format!("\n{member_indent}{entry}\n{obj_indent}"),
            },
        };
        return Ok(apply(text, splice));
    }
    Err(EditError("empty path".into()))
}

/// Removes the member at `path`. Returns `Ok(None)` when it is not there.
pub fn remove(text: &str, path: &[&str]) -> Result<Option<String>, EditError> {
    let root = parse(text).map_err(|e| EditError(format!("cannot edit invalid JSON: {e}")))?;
    let Some((last_key, parents)) = path.split_last() else {
        return Err(EditError("empty path".into()));
    };
    let mut node = &root;
    for key in parents {
        match node.get(key) {
            Some(m) => node = &m.node,
            None => return Ok(None),
        }
    }
    let Value::Object(members) = &node.value else {
        return Ok(None);
    };
    let Some(idx) = members.iter().rposition(|m| m.key == *last_key) else {
        return Ok(None);
    };
    let m = &members[idx];
    // Remove from the end of the previous member (or the `{`) to the end of this one,
    // so the separator before it goes too; if it is the first member, remove through
    // the separator after it instead.
    let (start, end) = if idx > 0 {
        (members[idx - 1].node.end, m.node.end)
    } else if let Some(next) = members.get(1) {
        (m.key_start, next.key_start)
    } else {
        // Only member: leave an empty `{}`.
        return Ok(Some(format!(
            "{}{}",
            &text[..node.start + 1],
            &text[node.end - 1..]
        )));
    };
    Ok(Some(apply(
        text,
        Splice {
            start,
            end,
            with: String::new(),
        },
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SETTINGS: &str = r#"{
  // not JSON
}"#;

    #[test]
    fn parses_with_spans_and_reports_positions() {
        let text = "{\n  \"env\": {\n    \"A\": \"1\",\n    \"B\": \"x\\\"y\"\n  },\n  \"n\": [1, -2.5e3, true, null]\n}\n";
        let root = parse(text).unwrap();
        let env = &root.get("env").unwrap().node;
        let b = env.get("B").unwrap();
        assert_eq!(b.node.as_str(), Some("x\"y"));
        assert_eq!(line_of(text, b.key_start), 4);
        assert_eq!(&text[b.node.start..b.node.end], "\"x\\\"y\"");

        let e = parse(SETTINGS).unwrap_err();
        assert_eq!((e.line, e.column), (2, 3));
        let e = parse("{\"a\": 1,}").unwrap_err();
        assert!(e.message.contains("trailing comma"), "{e}");
        // The position is the comma's, the character to delete.
        let e = parse("{\n  \"env\": {\n    \"A\": \"1\",\n  }\n}\n").unwrap_err();
        assert_eq!((e.line, e.column), (3, 13), "{e}");
        let e = parse("[1,\n 2 ,\n]").unwrap_err();
        assert_eq!((e.line, e.column), (2, 4), "{e}");
        let e = parse("").unwrap_err();
        assert!(e.message.contains("empty"), "{e}");
        let deep = "[".repeat(MAX_DEPTH + 5);
        assert!(parse(&deep).unwrap_err().message.contains("nesting"));
        assert_eq!(parse("\"\\ud83d\\ude00\"").unwrap().as_str(), Some("😀"));
    }

    #[test]
    fn set_replaces_in_place() {
        let text = "{\n    \"model\": \"x\",\n    \"env\": { \"A\": \"old\" }   \n}\n";
        let out = set(text, &["env", "A"], "\"new\"").unwrap();
        assert_eq!(out, text.replace("\"old\"", "\"new\""));
    }

    #[test]
    fn set_inserts_with_the_files_indentation() {
        let text = "{\n    \"model\": \"x\",\n    \"env\": {\n        \"A\": \"1\"\n    }\n}\n";
        let out = set(text, &["env", "B"], "\"2\"").unwrap();
        assert_eq!(
            out,
            "{\n    \"model\": \"x\",\n    \"env\": {\n        \"A\": \"1\",\n        \"B\": \"2\"\n    }\n}\n"
        );
        let out = set(text, &["awsAuthRefresh"], "\"aws sso login\"").unwrap();
        assert!(
            out.ends_with("    },\n    \"awsAuthRefresh\": \"aws sso login\"\n}\n"),
            "{out}"
        );
    }

    #[test]
    fn set_creates_missing_objects() {
        let out = set("{}", &["env", "A"], "\"1\"").unwrap();
        assert_eq!(
            parse(&out)
                .unwrap()
                .pointer(&["env", "A"])
                .and_then(|n| n.as_str()),
            Some("1")
        );
        let out = set("{\n  \"model\": \"m\"\n}\n", &["env", "A"], "\"1\"").unwrap();
        assert_eq!(
            out,
            "{\n  \"model\": \"m\",\n  \"env\": {\n    \"A\": \"1\"\n  }\n}\n"
        );
        let out = set("", &["env", "A"], "\"1\"").unwrap();
        assert_eq!(out, "{\n  \"env\": {\n    \"A\": \"1\"\n  }\n}\n");
        assert!(set("{\"env\": 3}", &["env", "A"], "1").is_err());
    }

    #[test]
    fn remove_keeps_valid_json_and_everything_else() {
        let text =
            "{\n  \"env\": {\n    \"A\": \"1\",\n    \"B\": \"2\",\n    \"C\": \"3\"\n  }\n}\n";
        for (k, rest) in [("A", ["B", "C"]), ("B", ["A", "C"]), ("C", ["A", "B"])] {
            let out = remove(text, &["env", k]).unwrap().unwrap();
            let root = parse(&out).unwrap();
            let env = &root.get("env").unwrap().node;
            assert!(env.get(k).is_none());
            for r in rest {
                assert!(env.get(r).is_some(), "{out}");
            }
        }
        let only = "{\"env\": {\"A\": \"1\"}, \"x\": 1}";
        assert_eq!(
            remove(only, &["env", "A"]).unwrap().unwrap(),
            "{\"env\": {}, \"x\": 1}"
        );
        assert_eq!(remove(only, &["env", "Z"]).unwrap(), None);
    }

    #[test]
    fn quote_escapes() {
        assert_eq!(quote("a\"b\\c\n\u{1}"), "\"a\\\"b\\\\c\\n\\u0001\"");
    }
}
