//! The host side of `URLPattern` (`urlpattern.js`): the WHATWG URL
//! Pattern Standard's parsing by the `urlpattern` crate (Deno's, tested
//! against the web-platform-tests), through its `quirks` module, the one
//! made for JavaScript engines. Rust parses a pattern into each
//! component's pattern string, ECMAScript regular expression and group
//! names, and a URL to match into its components; JavaScript compiles and
//! runs the regular expressions with the engine's own `RegExp`, so matching
//! has ECMAScript's semantics (the standard's), not another engine's.
//!
//! Stateless: a pattern lives in JavaScript as what [`parse`] returned.

use rquickjs::{Array, Ctx, Exception, Function, Object, Result};
use std::cell::RefCell;
use urlpattern::parser::RegexSyntax;
use urlpattern::quirks::{self, StringOrInit, UrlPatternComponent};
use urlpattern::regexp::RegExp;
use urlpattern::{UrlPatternInit, UrlPatternOptions};

/// A regular expression as the crate builds it: its ECMAScript source and
/// flags, handed to JavaScript, which compiles it (and reports an invalid
/// custom group as the standard's `TypeError`).
///
/// The crate also matches while it parses, to know whether a protocol
/// pattern matches a special scheme (`http{s}?`: then the pathname is a
/// path). Those answers come from JavaScript too, so that they have
/// ECMAScript's semantics and the engine carries no second regular
/// expression engine (the `regex` crate would add 1.1 MB): a first parse
/// records each source asked about ([`QUESTIONS`]) and answers "no", the
/// JavaScript side runs them against the special schemes, and a second
/// parse takes those answers ([`ANSWERS`]). The questions depend only on
/// the protocol pattern, so the second parse asks the same ones.
struct SourceRegExp {
    source: String,
    flags: String,
}

/// The special schemes of the URL Standard, the only texts the crate
/// matches against while parsing.
const SPECIAL_SCHEMES: [&str; 6] = ["ftp", "file", "http", "https", "ws", "wss"];

thread_local! {
    /// Sources (with flags) the parse asked about and had no answer for.
    static QUESTIONS: RefCell<Vec<(String, String)>> = const { RefCell::new(Vec::new()) };
    /// For each source and flags, the special schemes it matches.
    static ANSWERS: RefCell<Vec<(String, String, Vec<String>)>> = const { RefCell::new(Vec::new()) };
}

impl RegExp for SourceRegExp {
    fn syntax() -> RegexSyntax {
        RegexSyntax::EcmaScript
    }

    fn parse(pattern: &str, flags: &str, _force_eval: bool) -> std::result::Result<Self, ()> {
        Ok(Self {
            source: pattern.to_owned(),
            flags: flags.to_owned(),
        })
    }

    fn matches<'a>(&self, text: &'a str) -> Option<Vec<Option<&'a str>>> {
        let answer = ANSWERS.with_borrow(|answers| {
            answers
                .iter()
                .find(|(s, f, _)| *s == self.source && *f == self.flags)
                .map(|(_, _, schemes)| schemes.iter().any(|m| m == text))
        });
        match answer {
            // Only whether it matches is asked (`is_some`), never the groups.
            Some(true) => Some(Vec::new()),
            Some(false) => None,
            None => {
                debug_assert!(SPECIAL_SCHEMES.contains(&text));
                QUESTIONS.with_borrow_mut(|q| {
                    if !q.iter().any(|(s, f)| *s == self.source && *f == self.flags) {
                        q.push((self.source.clone(), self.flags.clone()));
                    }
                });
                None
            }
        }
    }

    fn pattern_string(&self) -> String {
        self.source.clone()
    }
}

/// The fields of a `URLPatternInit` in the order `urlpattern.js` passes
/// them: protocol, username, password, hostname, port, pathname, search,
/// hash, baseURL (`None` for an absent member).
fn init_from(fields: Vec<Option<String>>) -> quirks::UrlPatternInit {
    let mut f = fields.into_iter().chain(std::iter::repeat(None));
    let mut next = || f.next().flatten();
    quirks::UrlPatternInit {
        protocol: next(),
        username: next(),
        password: next(),
        hostname: next(),
        port: next(),
        pathname: next(),
        search: next(),
        hash: next(),
        base_url: next(),
    }
}

/// The pattern's input: a constructor string (with its base URL) or an
/// init dictionary (which takes none: its `baseURL` is a member).
fn pattern_init(
    input: rquickjs::Value<'_>,
    base_url: Option<String>,
) -> std::result::Result<UrlPatternInit, String> {
    if let Some(s) = input.as_string() {
        let pattern = s.to_string().map_err(|e| e.to_string())?;
        let base = base_url
            .map(|b| url::Url::parse(&b))
            .transpose()
            .map_err(|e| format!("Invalid base URL: {e}"))?;
        return UrlPatternInit::parse_constructor_string::<SourceRegExp>(&pattern, base)
            .map_err(|e| e.to_string());
    }
    if base_url.is_some() {
        return Err(urlpattern::Error::BaseUrlWithInit.to_string());
    }
    let fields: Vec<Option<String>> =
        rquickjs::FromJs::from_js(input.ctx(), input.clone()).map_err(|e| e.to_string())?;
    let init = init_from(fields);
    let base_url = init
        .base_url
        .map(|b| url::Url::parse(&b))
        .transpose()
        .map_err(|e| format!("Invalid base URL: {e}"))?;
    Ok(UrlPatternInit {
        protocol: init.protocol,
        username: init.username,
        password: init.password,
        hostname: init.hostname,
        port: init.port,
        pathname: init.pathname,
        search: init.search,
        hash: init.hash,
        base_url,
    })
}

/// One component as `[patternString, regexpSource, groupNames]`.
fn component<'js>(ctx: &Ctx<'js>, c: UrlPatternComponent) -> Result<Array<'js>> {
    let out = Array::new(ctx.clone())?;
    out.set(0, c.pattern_string)?;
    out.set(1, c.regexp_string)?;
    out.set(2, c.group_name_list)?;
    Ok(out)
}

/// `new URLPattern(input, baseURL, { ignoreCase })`: `[hasRegExpGroups,
/// protocol, username, password, hostname, port, pathname, search, hash]`,
/// each component as [`component`] makes it; a `TypeError` for a pattern
/// the standard rejects.
///
/// `answers` is `null` on the first call; if the parse needed to know
/// which special schemes a regular expression matches, the result is
/// instead `{ questions: [[source, flags], …] }`, and JavaScript calls
/// again with `answers` as `[[source, flags, scheme, …], …]` (the special
/// schemes each matches).
fn parse<'js>(
    ctx: Ctx<'js>,
    input: rquickjs::Value<'js>,
    base_url: Option<String>,
    ignore_case: bool,
    answers: Option<Vec<Vec<String>>>,
) -> Result<rquickjs::Value<'js>> {
    let options = UrlPatternOptions {
        regex_syntax: RegexSyntax::EcmaScript,
        ignore_case,
    };
    let first = answers.is_none();
    ANSWERS.set(
        answers
            .unwrap_or_default()
            .into_iter()
            .map(|mut a| {
                let schemes = a.split_off(2.min(a.len()));
                let flags = a.pop().unwrap_or_default();
                let source = a.pop().unwrap_or_default();
                (source, flags, schemes)
            })
            .collect(),
    );
    QUESTIONS.set(Vec::new());
    let parsed = pattern_init(input, base_url).and_then(|init| {
        quirks::parse_pattern::<SourceRegExp>(init, options).map_err(|e| e.to_string())
    });
    ANSWERS.set(Vec::new());
    let questions = QUESTIONS.take();
    if first && !questions.is_empty() {
        let out = Object::new(ctx.clone())?;
        let questions: Vec<Vec<String>> = questions.into_iter().map(|(s, f)| vec![s, f]).collect();
        out.set("questions", questions)?;
        return Ok(out.into_value());
    }
    let pattern = parsed.map_err(|e| {
        Exception::throw_type(&ctx, &format!("Failed to construct 'URLPattern': {e}"))
    })?;
    let out = Array::new(ctx.clone())?;
    out.set(0, pattern.has_regexp_groups)?;
    let parts = [
        pattern.protocol,
        pattern.username,
        pattern.password,
        pattern.hostname,
        pattern.port,
        pattern.pathname,
        pattern.search,
        pattern.hash,
    ];
    for (i, c) in parts.into_iter().enumerate() {
        out.set(i + 1, component(&ctx, c)?)?;
    }
    Ok(out.into_value())
}

/// What `test()` and `exec()` match: the input's eight components
/// (protocol … hash), or `null` when it is not a URL (no match, as the
/// standard says). A base URL beside an init dictionary is a `TypeError`.
fn match_input<'js>(
    ctx: Ctx<'js>,
    input: rquickjs::Value<'js>,
    base_url: Option<String>,
) -> Result<Option<Vec<String>>> {
    let input = if let Some(s) = input.as_string() {
        StringOrInit::String(s.to_string()?)
    } else {
        let fields: Vec<Option<String>> = rquickjs::FromJs::from_js(&ctx, input)?;
        StringOrInit::Init(init_from(fields))
    };
    let processed = quirks::process_match_input(input, base_url.as_deref()).map_err(|e| {
        Exception::throw_type(
            &ctx,
            &format!("Failed to execute 'exec' on 'URLPattern': {e}"),
        )
    })?;
    let Some(m) = processed.and_then(|(input, _)| quirks::parse_match_input(input)) else {
        return Ok(None);
    };
    Ok(Some(vec![
        m.protocol, m.username, m.password, m.hostname, m.port, m.pathname, m.search, m.hash,
    ]))
}

/// Adds `urlPatternParse`, `urlPatternInput` and `urlPatternSchemes` to
/// the natives object.
pub fn register<'js>(ctx: &Ctx<'js>, natives: &Object<'js>) -> Result<()> {
    natives.set("urlPatternSchemes", SPECIAL_SCHEMES.to_vec())?;
    natives.set("urlPatternParse", Function::new(ctx.clone(), parse)?)?;
    natives.set("urlPatternInput", Function::new(ctx.clone(), match_input)?)?;
    Ok(())
}
