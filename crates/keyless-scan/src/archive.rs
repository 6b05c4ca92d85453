//! Zip and tar(.gz) archives, opened in memory and scanned member by member.
//!
//! keyless reads both formats itself (a central-directory zip reader and a ustar reader,
//! with `flate2` on the zlib-rs backend gitoxide already links) rather than pulling in
//! the `zip` and `tar` crates, because what matters here is control over every byte
//! that is inflated: an archive can claim small sizes and expand without bound (a zip
//! bomb). Every member is inflated through a limit, the whole archive through another,
//! and nesting is capped, so memory stays bounded whatever the input.

use std::io::Read;

/// An archive format keyless opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.zip` and its relatives (`.jar`, `.whl`, `.nupkg`, ...).
    Zip,
    /// `.tar`.
    Tar,
    /// `.tar.gz` / `.tgz`.
    TarGz,
}

/// The format of `path` by its name, or `None`.
pub fn format_of(path: &str) -> Option<Format> {
    let p = path.to_ascii_lowercase();
    if p.ends_with(".tar.gz") || p.ends_with(".tgz") {
        Some(Format::TarGz)
    } else if p.ends_with(".tar") {
        Some(Format::Tar)
    } else if [".zip", ".jar", ".war", ".whl", ".nupkg", ".apk", ".aar"]
        .iter()
        .any(|e| p.ends_with(e))
    {
        Some(Format::Zip)
    } else {
        None
    }
}

/// Bounds on what an archive may expand to.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest member, inflated.
    pub member: u64,
    /// All members of one archive together, inflated.
    pub total: u64,
    /// Most members read from one archive.
    pub members: usize,
}

/// One member's content, or why it was not read.
pub type Member = (String, Result<Vec<u8>, String>);

/// Reads the members of an archive (regular files only). An error means the archive as a
/// whole could not be read; a member that could not be read carries its own error.
pub fn members(format: Format, data: &[u8], limits: Limits) -> Result<Vec<Member>, String> {
    match format {
        Format::Zip => zip_members(data, limits),
        Format::Tar => tar_members(data, limits),
        Format::TarGz => {
            let inflated = inflate(flate2::read::MultiGzDecoder::new(data), limits.total)
                .map_err(|e| format!("gzip: {e}"))?;
            tar_members(&inflated, limits)
        }
    }
}

/// Reads everything from `r`, failing past `limit` bytes.
fn inflate(r: impl Read, limit: u64) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    r.take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("corrupt: {e}"))?;
    if out.len() as u64 > limit {
        return Err(format!(
            "expands beyond {limit} bytes (a zip bomb?); raise --max-file-size to read it"
        ));
    }
    Ok(out)
}

fn u16_at(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(d.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(d.get(at..at + 4)?.try_into().ok()?))
}

fn zip_members(d: &[u8], limits: Limits) -> Result<Vec<Member>, String> {
    // The end-of-central-directory record: within the last 64 KiB + 22 bytes.
    let floor = d.len().saturating_sub(65_557);
    let eocd = (floor..d.len().saturating_sub(21))
        .rev()
        .find(|&i| u32_at(d, i) == Some(0x0605_4b50))
        .ok_or("not a zip archive (no end of central directory)")?;
    let count = usize::from(u16_at(d, eocd + 10).ok_or("truncated")?);
    let mut at = u32_at(d, eocd + 16).ok_or("truncated")? as usize;
    if at == 0xFFFF_FFFF_usize {
        return Err("zip64 archives are not read yet".into());
    }
    let mut out = Vec::new();
    let mut budget = limits.total;
    for _ in 0..count.min(limits.members) {
        if u32_at(d, at) != Some(0x0201_4b50) {
            return Err(format!("corrupt central directory at byte {at}"));
        }
        let field = |off: usize| u16_at(d, at + off).map(usize::from).ok_or("truncated");
        let flags = field(8)?;
        let method = field(10)?;
        let csize = u32_at(d, at + 20).ok_or("truncated")? as usize;
        let usize_declared = u64::from(u32_at(d, at + 24).ok_or("truncated")?);
        let (nlen, elen, clen) = (field(28)?, field(30)?, field(32)?);
        let local = u32_at(d, at + 42).ok_or("truncated")? as usize;
        let name = String::from_utf8_lossy(d.get(at + 46..at + 46 + nlen).ok_or("truncated")?)
            .into_owned();
        at += 46 + nlen + elen + clen;
        if name.ends_with('/') {
            continue;
        }
        let content = (|| {
            if flags & 1 != 0 {
                return Err("encrypted".to_string());
            }
            if usize_declared > limits.member {
                return Err(format!(
                    "larger than {} bytes (raise with --max-file-size)",
                    limits.member
                ));
            }
            if u32_at(d, local) != Some(0x0403_4b50) {
                return Err("corrupt local header".into());
            }
            let start = local
                + 30
                + u16_at(d, local + 26).map(usize::from).ok_or("truncated")?
                + u16_at(d, local + 28).map(usize::from).ok_or("truncated")?;
            let raw = d
                .get(start..start.saturating_add(csize))
                .ok_or("truncated member")?;
            let limit = limits.member.min(budget);
            match method {
                0 if raw.len() as u64 <= limit => Ok(raw.to_vec()),
                0 => Err("larger than the archive's remaining budget".into()),
                8 => inflate(flate2::read::DeflateDecoder::new(raw), limit),
                m => Err(format!("compression method {m} is not read")),
            }
        })();
        if let Ok(c) = &content {
            budget = budget.saturating_sub(c.len() as u64);
        }
        out.push((name, content));
    }
    if count > limits.members {
        out.push((
            format!("({} more members)", count - limits.members),
            Err(format!(
                "more than {} members; the rest were not read",
                limits.members
            )),
        ));
    }
    Ok(out)
}

fn octal(field: &[u8]) -> Option<u64> {
    let s = std::str::from_utf8(field).ok()?;
    let s = s.trim_matches(|c: char| c == '\0' || c == ' ');
    if s.is_empty() {
        return Some(0);
    }
    u64::from_str_radix(s, 8).ok()
}

fn cstr(field: &[u8]) -> String {
    let end = field.iter().position(|&b| b == 0).unwrap_or(field.len());
    String::from_utf8_lossy(&field[..end]).into_owned()
}

fn tar_members(d: &[u8], limits: Limits) -> Result<Vec<Member>, String> {
    let mut out = Vec::new();
    let mut at = 0usize;
    let mut long_name: Option<String> = None;
    let mut budget = limits.total;
    while at + 512 <= d.len() && out.len() < limits.members {
        let h = &d[at..at + 512];
        if h.iter().all(|&b| b == 0) {
            break;
        }
        let size = octal(&h[124..136]).ok_or_else(|| format!("corrupt tar header at byte {at}"))?;
        let kind = h[156];
        let body = at + 512;
        let next = body
            .checked_add(usize::try_from(size.div_ceil(512) * 512).map_err(|_| "corrupt size")?)
            .ok_or("corrupt size")?;
        let content = d.get(body..body.saturating_add(size as usize));
        match kind {
            b'L' => long_name = content.map(cstr),
            b'0' | 0 => {
                let name = long_name.take().unwrap_or_else(|| {
                    let prefix = cstr(&h[345..500]);
                    let name = cstr(&h[0..100]);
                    if prefix.is_empty() {
                        name
                    } else {
                        format!("{prefix}/{name}")
                    }
                });
                let member = match content {
                    None => Err("truncated member".to_string()),
                    Some(_) if size > limits.member => Err(format!(
                        "larger than {} bytes (raise with --max-file-size)",
                        limits.member
                    )),
                    Some(_) if size > budget => {
                        Err("larger than the archive's remaining budget".into())
                    }
                    Some(c) => {
                        budget -= size;
                        Ok(c.to_vec())
                    }
                };
                out.push((name, member));
            }
            _ => long_name = None,
        }
        at = next;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const LIMITS: Limits = Limits {
        member: 1 << 20,
        total: 4 << 20,
        members: 100,
    };

    /// A zip with one member per (name, content, deflate?).
    pub(crate) fn zip(files: &[(&str, &[u8], bool)]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for (name, content, deflate) in files {
            let data = if *deflate {
                let mut e =
                    flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
                e.write_all(content).unwrap();
                e.finish().unwrap()
            } else {
                content.to_vec()
            };
            let method: u16 = if *deflate { 8 } else { 0 };
            let crc = crc(content);
            let offset = out.len() as u32;
            let mut local = Vec::new();
            local.extend(0x0403_4b50u32.to_le_bytes());
            local.extend([20, 0, 0, 0]);
            local.extend(method.to_le_bytes());
            local.extend([0, 0, 0, 0]);
            local.extend(crc.to_le_bytes());
            local.extend((data.len() as u32).to_le_bytes());
            local.extend((content.len() as u32).to_le_bytes());
            local.extend((name.len() as u16).to_le_bytes());
            local.extend([0, 0]);
            local.extend(name.as_bytes());
            out.extend(&local);
            out.extend(&data);
            central.extend(0x0201_4b50u32.to_le_bytes());
            central.extend([20, 0, 20, 0, 0, 0]);
            central.extend(method.to_le_bytes());
            central.extend([0, 0, 0, 0]);
            central.extend(crc.to_le_bytes());
            central.extend((data.len() as u32).to_le_bytes());
            central.extend((content.len() as u32).to_le_bytes());
            central.extend((name.len() as u16).to_le_bytes());
            central.extend([0; 12]);
            central.extend(offset.to_le_bytes());
            central.extend(name.as_bytes());
        }
        let cd_offset = out.len() as u32;
        out.extend(&central);
        out.extend(0x0605_4b50u32.to_le_bytes());
        out.extend([0, 0, 0, 0]);
        out.extend((files.len() as u16).to_le_bytes());
        out.extend((files.len() as u16).to_le_bytes());
        out.extend((central.len() as u32).to_le_bytes());
        out.extend(cd_offset.to_le_bytes());
        out.extend([0, 0]);
        out
    }

    fn crc(data: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for &b in data {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    (c >> 1) ^ 0xEDB8_8320
                } else {
                    c >> 1
                };
            }
        }
        !c
    }

    #[test]
    fn zip_stored_and_deflated_members() {
        let z = zip(&[
            ("a.txt", b"hello", false),
            ("dir/b.env", b"world world world", true),
        ]);
        let m = members(Format::Zip, &z, LIMITS).unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(m[1].0, "dir/b.env");
        assert_eq!(m[1].1.as_deref().unwrap(), b"world world world");
    }

    #[test]
    fn zip_bomb_is_refused_within_the_limit() {
        // 8 MiB of zeros deflates to ~8 KiB; the limit stops inflation at 1 MiB + 1
        // whatever the member claims.
        let zeros = vec![0u8; 8 << 20];
        let mut z = zip(&[("bomb.bin", &zeros, true)]);
        assert!(z.len() < 20_000);
        let m = members(Format::Zip, &z, LIMITS).unwrap();
        assert!(m[0].1.as_ref().unwrap_err().contains("larger than"));
        // The same bomb lying about its size in the central directory (declares 5 bytes).
        let cd = (0..z.len() - 4)
            .rev()
            .find(|&i| u32_at(&z, i) == Some(0x0201_4b50))
            .unwrap();
        z[cd + 24..cd + 28].copy_from_slice(&5u32.to_le_bytes());
        let m = members(Format::Zip, &z, LIMITS).unwrap();
        let err = m[0].1.as_ref().unwrap_err();
        assert!(err.contains("expands beyond"), "{err}");
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(members(Format::Zip, b"PK\x05\x06garbage", LIMITS).is_err());
        assert!(members(Format::TarGz, b"\x1f\x8b\x08garbage", LIMITS).is_err());
        let mut z = zip(&[("a.txt", b"hello hello", true)]);
        let n = z.len();
        z[n - 6..n - 2].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(members(Format::Zip, &z, LIMITS).is_err());
    }

    #[test]
    fn tar_gz_members_with_prefix_and_long_names() {
        let dir = tempfile::tempdir().unwrap();
        let long = "d/".repeat(60) + "secret.env";
        std::fs::create_dir_all(
            dir.path()
                .join("src")
                .join(long.rsplit_once('/').unwrap().0),
        )
        .unwrap();
        std::fs::write(dir.path().join("src").join(&long), "k=v\n").unwrap();
        std::fs::write(dir.path().join("src/short.txt"), "short\n").unwrap();
        let tgz = dir.path().join("a.tgz");
        let ok = std::process::Command::new("tar")
            .args([
                "-czf",
                tgz.to_str().unwrap(),
                "-C",
                dir.path().join("src").to_str().unwrap(),
                ".",
            ])
            .status()
            .unwrap();
        assert!(ok.success());
        let data = std::fs::read(&tgz).unwrap();
        let m = members(Format::TarGz, &data, LIMITS).unwrap();
        let names: Vec<&str> = m.iter().map(|(n, _)| n.as_str()).collect();
        assert!(names.contains(&format!("./{long}").as_str()), "{names:?}");
        assert!(names.contains(&"./short.txt"), "{names:?}");
    }
}
