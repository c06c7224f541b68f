//! The host side of `URL` and `URLSearchParams` (`web.js`): WHATWG URL
//! parsing by the `url` crate, `application/x-www-form-urlencoded` by its
//! `form_urlencoded`. Stateless: a URL lives in JavaScript as its
//! components, and every change re-parses its `href` here.
//!
//! The strings come from `web.js` already well-formed (lone surrogates
//! replaced by U+FFFD, as WebIDL's `USVString` conversion does).

use rquickjs::{Ctx, Function, Object, Result};
use url::{Url, form_urlencoded, quirks};

/// A URL's components in the order `web.js` reads them: href, origin,
/// protocol, username, password, host, hostname, port, pathname, search,
/// hash (the WHATWG getters).
fn components(url: &Url) -> Vec<String> {
    [
        quirks::href(url),
        quirks::origin(url).as_str(),
        quirks::protocol(url),
        quirks::username(url),
        quirks::password(url),
        quirks::host(url),
        quirks::hostname(url),
        quirks::port(url),
        quirks::pathname(url),
        quirks::search(url),
        quirks::hash(url),
    ]
    .map(str::to_owned)
    .to_vec()
}

/// `new URL(input, base)`: the components, or `None` when `input` (or
/// `base`) is not a valid URL.
fn parse(input: String, base: Option<String>) -> Option<Vec<String>> {
    let url = match base {
        None => Url::parse(&input).ok()?,
        Some(base) => Url::parse(&base).ok()?.join(&input).ok()?,
    };
    Some(components(&url))
}

/// A setter of `URL`: the components after setting `which` of the URL
/// `href` to `value`. `None` only when the `href` setter gets an invalid
/// URL (it throws); the other setters ignore a value they cannot use, as
/// the standard says.
fn set(href: String, which: String, value: String) -> Option<Vec<String>> {
    let mut url = Url::parse(&href).ok()?;
    match which.as_str() {
        "href" => quirks::set_href(&mut url, &value).ok()?,
        "protocol" => quirks::set_protocol(&mut url, &value).unwrap_or(()),
        "username" => quirks::set_username(&mut url, &value).unwrap_or(()),
        "password" => quirks::set_password(&mut url, &value).unwrap_or(()),
        "host" => quirks::set_host(&mut url, &value).unwrap_or(()),
        "hostname" => quirks::set_hostname(&mut url, &value).unwrap_or(()),
        "port" => quirks::set_port(&mut url, &value).unwrap_or(()),
        "pathname" => quirks::set_pathname(&mut url, &value),
        "search" => quirks::set_search(&mut url, &value),
        "hash" => quirks::set_hash(&mut url, &value),
        _ => return None,
    }
    Some(components(&url))
}

/// `application/x-www-form-urlencoded` parsing: names and values
/// alternating, `+` and percent-escapes decoded, invalid UTF-8 replaced.
fn form_parse(input: String) -> Vec<String> {
    form_urlencoded::parse(input.as_bytes())
        .flat_map(|(name, value)| [name.into_owned(), value.into_owned()])
        .collect()
}

/// The inverse: names and values alternating, serialized with `+` for
/// spaces and the standard's percent-encode set.
fn form_serialize(pairs: Vec<String>) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for pair in pairs.chunks(2) {
        out.append_pair(&pair[0], pair.get(1).map_or("", String::as_str));
    }
    out.finish()
}

/// Adds `urlParse`, `urlSet`, `formParse` and `formSerialize` to the
/// natives object.
pub fn register<'js>(ctx: &Ctx<'js>, natives: &Object<'js>) -> Result<()> {
    natives.set("urlParse", Function::new(ctx.clone(), parse)?)?;
    natives.set("urlSet", Function::new(ctx.clone(), set)?)?;
    natives.set("formParse", Function::new(ctx.clone(), form_parse)?)?;
    natives.set("formSerialize", Function::new(ctx.clone(), form_serialize)?)?;
    Ok(())
}
