//! A lossless INI document for the AWS shared `config` and `credentials` files.
//!
//! Two promises shape this module:
//!
//! 1. **Same reading as the AWS tools.** The grammar follows botocore's (Python's
//!    `configparser.RawConfigParser` in strict mode, which is what the AWS CLI and
//!    `keyless`'s differential tests use as the oracle): full-line comments start with
//!    `#` or `;`, an option is `key = value` or `key: value` (the first delimiter wins),
//!    keys are case-insensitive, section names are not, an indented line continues the
//!    option above it (that is how `s3 =` sub-sections are written), and a duplicate
//!    section or duplicate key is an error, as it is for the AWS CLI.
//! 2. **Edits touch only what they own.** The document keeps every line as it was read,
//!    terminator included. An edit rewrites the value of one line, inserts one line, or
//!    appends one section; every other byte is written back unchanged.

use std::fmt;

/// One physical line of the file, exactly as read (including its line terminator).
#[derive(Debug, Clone)]
struct RawLine {
    text: String,
}

/// A `key = value` option inside a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    /// The key, lower-cased as configparser does.
    pub key: String,
    /// The value with surrounding whitespace removed. Continuation lines are joined
    /// with `\n`, so a nested sub-section's value starts with `\n`.
    pub value: String,
    /// 1-based line number of the `key = value` line.
    pub line: usize,
    /// 0-based index of the last line belonging to this property (continuations).
    last_line_idx: usize,
}

/// A `[header]` and the options under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Text between the brackets, exactly as written (configparser does not trim it).
    pub header: String,
    /// 1-based line number of the header.
    pub line: usize,
    /// Options in file order.
    pub properties: Vec<Property>,
    /// 0-based index of the last line that belongs to the section's options.
    last_prop_idx: usize,
}

impl Section {
    /// The value of `key` (case-insensitive), if the section sets it.
    pub fn get(&self, key: &str) -> Option<&Property> {
        let key = key.to_ascii_lowercase();
        self.properties.iter().find(|p| p.key == key)
    }
}

/// A syntax error, with the 1-based line where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IniError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong, in the words a person needs to fix it.
    pub message: String,
}

impl fmt::Display for IniError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// A parsed INI file that can be edited without disturbing anything it does not edit.
#[derive(Debug, Clone)]
pub struct IniDocument {
    lines: Vec<RawLine>,
    sections: Vec<Section>,
    newline: &'static str,
}

fn split_lines_keep_ends(text: &str) -> Vec<RawLine> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest.find('\n').map(|i| i + 1).unwrap_or(rest.len());
        out.push(RawLine {
            text: rest[..end].to_string(),
        });
        rest = &rest[end..];
    }
    out
}

fn content(line: &str) -> &str {
    line.trim_end_matches(['\n', '\r'])
}

/// Where an option's delimiter is: the first `=` or `:` (configparser's non-greedy
/// option pattern), provided the key before it is not empty.
fn split_option(s: &str) -> Option<(&str, &str)> {
    let idx = s.find(['=', ':'])?;
    let key = s[..idx].trim();
    if key.is_empty() {
        return None;
    }
    Some((key, s[idx + 1..].trim()))
}

impl IniDocument {
    /// Parses `text`. Fails on the first line configparser would reject.
    pub fn parse(text: &str) -> Result<Self, IniError> {
        let lines = split_lines_keep_ends(text);
        let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
        let mut sections: Vec<Section> = Vec::new();
        // Indentation of the current option's line, to recognise continuations.
        let mut cur_indent: Option<usize> = None;
        for (idx, raw) in lines.iter().enumerate() {
            let lineno = idx + 1;
            let line = content(&raw.text);
            let stripped = line.trim();
            if stripped.is_empty() {
                // configparser keeps blank lines inside a multi-line value, but they
                // carry nothing for AWS settings; an option ends at a blank line only
                // if the next line is not indented deeper, which the indent check below
                // already handles.
                continue;
            }
            if stripped.starts_with('#') || stripped.starts_with(';') {
                continue;
            }
            let indent = line.len() - line.trim_start().len();
            if let (Some(ci), Some(section)) = (cur_indent, sections.last_mut()) {
                if indent > ci {
                    if let Some(prop) = section.properties.last_mut() {
                        prop.value.push('\n');
                        prop.value.push_str(stripped);
                        prop.last_line_idx = idx;
                        section.last_prop_idx = idx;
                        continue;
                    }
                }
            }
            if stripped.starts_with('[') {
                // configparser: `\[(?P<header>.+)\]` matched against the stripped line;
                // `.+` is greedy, so the header runs to the last `]`.
                let Some(close) = stripped.rfind(']') else {
                    return Err(IniError {
                        line: lineno,
                        message: format!("section header `{stripped}` has no closing `]`"),
                    });
                };
                let header = &stripped[1..close];
                if header.is_empty() {
                    return Err(IniError {
                        line: lineno,
                        message: "empty section header `[]`".into(),
                    });
                }
                if let Some(prev) = sections.iter().find(|s| s.header == header) {
                    return Err(IniError {
                        line: lineno,
                        message: format!(
                            "section `[{header}]` appears twice (first on line {}); the AWS CLI \
                             refuses such a file: merge the two sections",
                            prev.line
                        ),
                    });
                }
                sections.push(Section {
                    header: header.to_string(),
                    line: lineno,
                    properties: Vec::new(),
                    last_prop_idx: idx,
                });
                cur_indent = None;
                continue;
            }
            let Some(section) = sections.last_mut() else {
                return Err(IniError {
                    line: lineno,
                    message: "setting outside any section: add a `[profile NAME]` (config) or \
                              `[NAME]` (credentials) header above it"
                        .into(),
                });
            };
            let Some((key, value)) = split_option(stripped) else {
                return Err(IniError {
                    line: lineno,
                    message: format!("expected `key = value`, found `{stripped}`"),
                });
            };
            let key = key.to_ascii_lowercase();
            if let Some(prev) = section.properties.iter().find(|p| p.key == key) {
                return Err(IniError {
                    line: lineno,
                    message: format!(
                        "`{key}` is set twice in `[{}]` (first on line {}); the AWS CLI refuses \
                         such a file: keep one",
                        section.header, prev.line
                    ),
                });
            }
            section.properties.push(Property {
                key,
                value: value.to_string(),
                line: lineno,
                last_line_idx: idx,
            });
            section.last_prop_idx = idx;
            cur_indent = Some(indent);
        }
        Ok(Self {
            lines,
            sections,
            newline,
        })
    }

    /// Sections in file order.
    pub fn sections(&self) -> &[Section] {
        &self.sections
    }

    /// The section whose header is exactly `header`.
    pub fn section(&self, header: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.header == header)
    }

    /// The raw text of 1-based line `line`, without its terminator.
    pub fn line_text(&self, line: usize) -> Option<&str> {
        self.lines
            .get(line.checked_sub(1)?)
            .map(|l| content(&l.text))
    }

    /// Sets `key = value` in section `header`, creating the section (at the end of the
    /// file) or the key (after the section's last option) when missing. An existing key
    /// keeps its spelling, indentation and delimiter; only the value text changes, and
    /// any continuation lines it had are removed (the new value is single-line).
    pub fn set(&mut self, header: &str, key: &str, value: &str) {
        let key_lc = key.to_ascii_lowercase();
        let nl = self.newline;
        if let Some(section) = self.sections.iter().find(|s| s.header == header) {
            if let Some(prop) = section.properties.iter().find(|p| p.key == key_lc) {
                let idx = prop.line - 1;
                let last = prop.last_line_idx;
                let raw = &self.lines[idx].text;
                let body = content(raw);
                let ending = &raw[body.len()..];
                let delim = body
                    .find(['=', ':'])
                    .expect("parsed option has a delimiter");
                let after = &body[delim + 1..];
                let gap = &after[..after.len() - after.trim_start().len()];
                // `key =` with no value has no gap to copy; write the usual one.
                let gap = if after.trim().is_empty() { " " } else { gap };
                let new_line = format!("{}{}{}{}", &body[..=delim], gap, value, ending);
                self.lines[idx].text = new_line;
                self.lines.drain(idx + 1..=last);
            } else {
                let at = section.last_prop_idx + 1;
                self.ensure_terminated(at);
                self.lines.insert(
                    at,
                    RawLine {
                        text: format!("{key} = {value}{nl}"),
                    },
                );
            }
        } else {
            let at = self.lines.len();
            self.ensure_terminated(at);
            let mut block = String::new();
            if !self.lines.is_empty() && !content(&self.lines[at - 1].text).trim().is_empty() {
                block.push_str(nl);
            }
            block.push_str(&format!("[{header}]{nl}{key} = {value}{nl}"));
            self.lines.extend(split_lines_keep_ends(&block));
        }
        self.reparse();
    }

    /// Removes `key` (and its continuation lines) from section `header`. Returns whether
    /// anything was removed.
    pub fn remove(&mut self, header: &str, key: &str) -> bool {
        let key_lc = key.to_ascii_lowercase();
        let Some(prop) = self
            .section(header)
            .and_then(|s| s.properties.iter().find(|p| p.key == key_lc))
        else {
            return false;
        };
        let (first, last) = (prop.line - 1, prop.last_line_idx);
        self.lines.drain(first..=last);
        self.reparse();
        true
    }

    /// Removes section `header` when nothing but blank lines is left in it (its header and
    /// those lines go; a comment or any property keeps it). Returns whether it went.
    pub fn remove_section_if_blank(&mut self, header: &str) -> bool {
        let Some(i) = self.sections.iter().position(|s| s.header == header) else {
            return false;
        };
        let start = self.sections[i].line - 1;
        let end = self
            .sections
            .get(i + 1)
            .map(|s| s.line - 1)
            .unwrap_or(self.lines.len());
        if self.lines[start + 1..end]
            .iter()
            .any(|l| !l.text.trim().is_empty())
        {
            return false;
        }
        self.lines.drain(start..end);
        self.reparse();
        true
    }

    /// Makes sure the line before index `at` ends with a newline, so that a line inserted
    /// at `at` starts on a line of its own.
    fn ensure_terminated(&mut self, at: usize) {
        if at == 0 {
            return;
        }
        let nl = self.newline;
        let prev = &mut self.lines[at - 1].text;
        if !prev.ends_with('\n') {
            prev.push_str(nl);
        }
    }

    fn reparse(&mut self) {
        let text = self.to_string();
        *self = Self::parse(&text).expect("an edit of a valid document stays valid");
    }
}

impl fmt::Display for IniDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for l in &self.lines {
            f.write_str(&l.text)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = concat!(
        "# my AWS config\n",
        "[default]\n",
        "region = eu-west-1 \n",
        "\n",
        "; work\n",
        "[profile work]\n",
        "sso_session=corp\n",
        "s3 =\n",
        "    max_concurrent_requests = 20\n",
        "    signature_version = s3v4\n",
        "Output: json\n",
        "\n",
        "[sso-session corp]\n",
        "sso_start_url = https://corp.awsapps.com/start\n",
    );

    #[test]
    fn parses_sections_properties_and_nested_values() {
        let doc = IniDocument::parse(SAMPLE).unwrap();
        let names: Vec<_> = doc.sections().iter().map(|s| s.header.as_str()).collect();
        assert_eq!(names, ["default", "profile work", "sso-session corp"]);
        let work = doc.section("profile work").unwrap();
        assert_eq!(work.get("sso_session").unwrap().value, "corp");
        assert_eq!(
            work.get("s3").unwrap().value,
            "\nmax_concurrent_requests = 20\nsignature_version = s3v4"
        );
        // keys are case-insensitive; `:` is a delimiter too
        assert_eq!(work.get("OUTPUT").unwrap().value, "json");
        assert_eq!(work.get("output").unwrap().line, 11);
        assert_eq!(
            doc.section("default").unwrap().get("region").unwrap().value,
            "eu-west-1"
        );
    }

    #[test]
    fn round_trip_is_byte_identical() {
        for text in [
            SAMPLE,
            "",
            "\n\n",
            "[a]\r\nk = v\r\n",
            "[a]\nk=v",
            "# only a comment",
        ] {
            assert_eq!(IniDocument::parse(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn set_existing_key_changes_only_its_value() {
        let mut doc = IniDocument::parse(SAMPLE).unwrap();
        doc.set("profile work", "sso_session", "other");
        let out = doc.to_string();
        assert_eq!(out, SAMPLE.replace("sso_session=corp", "sso_session=other"));
    }

    #[test]
    fn set_new_key_goes_after_the_sections_last_option() {
        let mut doc = IniDocument::parse(SAMPLE).unwrap();
        doc.set("profile work", "region", "us-east-1");
        let out = doc.to_string();
        assert!(
            out.contains("Output: json\nregion = us-east-1\n\n[sso-session corp]"),
            "{out}"
        );
        // everything else unchanged
        assert_eq!(out.replace("region = us-east-1\n", ""), SAMPLE);
    }

    #[test]
    fn set_new_section_appends_with_a_blank_line() {
        let mut doc = IniDocument::parse("[default]\nregion = us-east-1").unwrap();
        doc.set("profile dev", "region", "us-west-2");
        assert_eq!(
            doc.to_string(),
            "[default]\nregion = us-east-1\n\n[profile dev]\nregion = us-west-2\n"
        );
    }

    #[test]
    fn crlf_files_stay_crlf() {
        let mut doc = IniDocument::parse("[a]\r\nk = v\r\n").unwrap();
        doc.set("a", "x", "y");
        doc.set("b", "z", "1");
        assert_eq!(
            doc.to_string(),
            "[a]\r\nk = v\r\nx = y\r\n\r\n[b]\r\nz = 1\r\n"
        );
    }

    #[test]
    fn replacing_a_nested_value_drops_its_continuations() {
        let mut doc = IniDocument::parse(SAMPLE).unwrap();
        doc.set("profile work", "s3", "none");
        let out = doc.to_string();
        assert!(out.contains("s3 = none\nOutput: json"), "{out}");
    }

    #[test]
    fn remove_deletes_exactly_one_option() {
        let mut doc = IniDocument::parse(SAMPLE).unwrap();
        assert!(doc.remove("profile work", "s3"));
        assert_eq!(
            doc.to_string(),
            SAMPLE.replace(
                "s3 =\n    max_concurrent_requests = 20\n    signature_version = s3v4\n",
                ""
            )
        );
        assert!(!doc.remove("profile work", "s3"));
    }

    #[test]
    fn errors_name_the_line() {
        let cases = [
            ("region = x\n", 1, "outside any section"),
            ("[a]\nnot an option\n", 2, "expected `key = value`"),
            ("[a]\n[b\n", 2, "no closing"),
            ("[a]\nk=1\n[a]\n", 3, "appears twice"),
            ("[a]\nk=1\nK=2\n", 3, "set twice"),
            ("[]\n", 1, "empty section"),
        ];
        for (text, line, needle) in cases {
            let err = IniDocument::parse(text).unwrap_err();
            assert_eq!(err.line, line, "{text:?}");
            assert!(err.message.contains(needle), "{text:?}: {}", err.message);
        }
    }
}
