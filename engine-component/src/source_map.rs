//! Source-mapped positions in uncaught errors, as node prints them with
//! `--enable-source-maps`.
//!
//! `jspkg build` bundles an app (TypeScript, several files, npm packages)
//! into one module and appends the bundle's source map as its last line,
//! `//# sourceMappingURL=data:application/json;…;base64,…`. At build time
//! [`split_inline`] takes that line off the source (the module QuickJS
//! evaluates is the rest, so every position in it is unchanged) and
//! [`install`] keeps the map's `sources` and `mappings` in the engine's
//! memory, hence in the snapshot: a few bytes per mapped position, kept in
//! the map's own compact encoding (base-64 VLQ), and nothing is done with
//! them on the call path. Only when an uncaught error is printed does
//! [`remap`] decode the mappings (once per instance) and rewrite each
//! `BUNDLE:LINE:COL` of the message to `SOURCE:LINE:COL`.

use rquickjs::{Ctx, Object};
use std::cell::RefCell;

/// The start of the line that carries the map.
const MARKER: &str = "//# sourceMappingURL=data:application/json;";

/// The map of the app's module, as the build left it.
struct Map {
    /// The module's file name in stack traces (`app.bundle.js`).
    file: String,
    /// The source files, as the map names them (relative to the project).
    sources: Vec<String>,
    /// The map's `mappings`: base-64 VLQ, decoded on first use.
    mappings: String,
    /// The decoded mappings, per generated line (0-based): segments of
    /// (generated column, source, line, column), all 0-based.
    lines: Option<Vec<Vec<[u32; 4]>>>,
}

thread_local! {
    static MAP: RefCell<Option<Map>> = const { RefCell::new(None) };
}

/// Splits a last line `//# sourceMappingURL=data:application/json;…base64,…`
/// off `source`: the module without it, and the map's JSON text. A source
/// without such a line is returned as it is.
pub fn split_inline(source: &str) -> (&str, Option<String>) {
    let trimmed = source.trim_end();
    let start = trimmed.rfind('\n').map_or(0, |i| i + 1);
    let last = &trimmed[start..];
    let Some(rest) = last.strip_prefix(MARKER) else {
        return (source, None);
    };
    let Some((_, data)) = rest.split_once("base64,") else {
        return (source, None);
    };
    match decode_base64(data).and_then(|b| String::from_utf8(b).ok()) {
        Some(json) => (&source[..start], Some(json)),
        None => (source, None),
    }
}

/// Keeps the map (JSON text) of the module `file` for [`remap`]. A map that
/// does not parse is ignored: errors then show the bundle's positions.
pub fn install(ctx: &Ctx<'_>, file: &str, json: &str) {
    let parsed = ctx.json_parse(json).ok().and_then(|v| v.into_object());
    let Some(map): Option<Object> = parsed else {
        return;
    };
    let sources: Option<Vec<String>> = map.get("sources").ok();
    let mappings: Option<String> = map.get("mappings").ok();
    if let (Some(sources), Some(mappings)) = (sources, mappings) {
        MAP.set(Some(Map {
            file: file.to_string(),
            sources,
            mappings,
            lines: None,
        }));
    }
}

/// `text` (an error message and its stack) with every position in the
/// app's module, `FILE:LINE:COL` (1-based, as QuickJS prints them), replaced
/// by the position in the source it came from, when the map has one.
pub fn remap(text: String) -> String {
    MAP.with_borrow_mut(|map| match map {
        Some(map) if text.contains(map.file.as_str()) => map.rewrite(&text),
        _ => text,
    })
}

impl Map {
    fn rewrite(&mut self, text: &str) -> String {
        let file = self.file.clone();
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(i) = rest.find(file.as_str()) {
            let after = &rest[i + file.len()..];
            out.push_str(&rest[..i]);
            match parse_position(after) {
                Some((line, col, used)) => match self.lookup(line, col) {
                    Some((source, sl, sc)) => {
                        out.push_str(&format!("{source}:{sl}:{sc}"));
                        rest = &after[used..];
                        continue;
                    }
                    None => out.push_str(&file),
                },
                None => out.push_str(&file),
            }
            rest = after;
        }
        out.push_str(rest);
        out
    }

    /// The source position (1-based) of the bundle's 1-based `line:col`.
    fn lookup(&mut self, line: u32, col: u32) -> Option<(&str, u32, u32)> {
        let lines = self.lines.get_or_insert_with(|| decode(&self.mappings));
        let segments = lines.get(line.checked_sub(1)? as usize)?;
        let col = col.saturating_sub(1);
        // The segment starting last at or before the column; else the
        // line's first (QuickJS may point before the first mapped token).
        // A scan, not a search: this runs only to print an error.
        let before = segments.iter().filter(|s| s[0] <= col).max_by_key(|s| s[0]);
        let s = before.or_else(|| segments.iter().min_by_key(|s| s[0]))?;
        let source = self.sources.get(s[1] as usize)?;
        Some((source.as_str(), s[2] + 1, s[3] + 1))
    }
}

/// `:LINE:COL` at the start of `s`: the numbers and the bytes they took.
fn parse_position(s: &str) -> Option<(u32, u32, usize)> {
    let s1 = s.strip_prefix(':')?;
    let n1 = s1.bytes().take_while(u8::is_ascii_digit).count();
    let s2 = s1[n1..].strip_prefix(':')?;
    let n2 = s2.bytes().take_while(u8::is_ascii_digit).count();
    if n1 == 0 || n2 == 0 {
        return None;
    }
    Some((s1[..n1].parse().ok()?, s2[..n2].parse().ok()?, 2 + n1 + n2))
}

/// Decodes source map `mappings` into segments per generated line.
fn decode(mappings: &str) -> Vec<Vec<[u32; 4]>> {
    let mut lines = Vec::new();
    // Source index, line and column carry over from segment to segment.
    let (mut src, mut sline, mut scol) = (0i64, 0i64, 0i64);
    for line in mappings.split(';') {
        let mut gcol = 0i64;
        let mut segments = Vec::new();
        for segment in line.split(',').filter(|s| !s.is_empty()) {
            let fields = vlq(segment);
            if fields.is_empty() {
                continue;
            }
            gcol += fields[0];
            if fields.len() >= 4 {
                src += fields[1];
                sline += fields[2];
                scol += fields[3];
                if gcol >= 0 && src >= 0 && sline >= 0 && scol >= 0 {
                    segments.push([gcol as u32, src as u32, sline as u32, scol as u32]);
                }
            }
        }
        lines.push(segments);
    }
    lines
}

/// The base-64 VLQ numbers of one segment.
fn vlq(segment: &str) -> Vec<i64> {
    let mut out = Vec::with_capacity(5);
    let (mut value, mut shift) = (0i64, 0u32);
    for b in segment.bytes() {
        let Some(digit) = base64_value(b) else {
            return Vec::new();
        };
        let digit = i64::from(digit);
        value += (digit & 31) << shift;
        if digit & 32 != 0 {
            shift += 5;
            if shift > 60 {
                return Vec::new();
            }
        } else {
            let negative = value & 1 == 1;
            let magnitude = value >> 1;
            out.push(if negative { -magnitude } else { magnitude });
            value = 0;
            shift = 0;
        }
    }
    out
}

fn base64_value(b: u8) -> Option<u8> {
    match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Standard base-64 (padding optional).
fn decode_base64(data: &str) -> Option<Vec<u8>> {
    let data = data.trim_end_matches('=');
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in data.bytes() {
        acc = (acc << 6) | u32::from(base64_value(b)?);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}
