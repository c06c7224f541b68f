//! Every app in `examples/conformance/` (and `examples/hello`, and an npm
//! library bundled with esbuild) built with `jspkg build` and run with
//! `jspkg run` must print what node prints and exit with node's exit code
//! (node runs them through `tests/node-main.mjs`). The argument lists come
//! from the apps' `// args:` lines.

mod common;

use common::*;
use std::path::Path;

fn check(rel: &str) {
    let app = repo_path(rel);
    let wasm = built(&app);
    // `abort-timeout.js` needs timers; an engine without them says so and
    // has nothing to compare.
    if rel.ends_with("abort-timeout.js") {
        let got = jspkg_run(&wasm, &[]);
        if got.stdout.starts_with("timers: missing\n") {
            assert!(
                got.success() && got.stdout.contains("AbortSignal.timeout is not available"),
                "AbortSignal.timeout without timers must throw a clear error:\n{got}"
            );
            eprintln!("skipped: this engine has no timers (setTimeout)");
            return;
        }
    }
    check_against_node(&app, "jspkg run", |args| jspkg_run(&wasm, args));
}

/// `reportError` (node 20 has none, so no node reference): the call goes on,
/// then ends as an uncaught error with exit code 1.
#[test]
fn report_error() {
    let wasm = built(&repo_path("tests/apps/report-error.js"));
    let got = jspkg_run(&wasm, &[]);
    assert_eq!(got.code, Some(1), "{got}");
    assert_eq!(
        got.stdout, "typeof reportError: function\nstill running after reportError\n",
        "{got}"
    );
    assert!(
        got.stderr
            .contains("Uncaught RangeError: reported, not thrown"),
        "{got}"
    );
}

/// `self` and `navigator.userAgent` (node 20 has neither): `self` is the
/// global object and the user agent names the engine's version, read here
/// from the engine crate's manifest.
#[test]
fn self_and_navigator() {
    let manifest = std::fs::read_to_string(repo_path("engine-component/Cargo.toml")).unwrap();
    let version = manifest
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .expect("the engine's version in engine-component/Cargo.toml");
    let wasm = built(&repo_path("tests/apps/self-navigator.js"));
    let got = jspkg_run(&wasm, &[]);
    assert!(got.success(), "{got}");
    assert_eq!(
        got.stdout,
        format!(
            "self is globalThis: true function\nuserAgent: jspkg/{version}\n\
             navigator: [object Navigator] true\nnew Navigator(): TypeError Illegal constructor\n"
        ),
        "{got}"
    );
}

/// What `CompressionStream` writes, node's zlib reads back: the bytes
/// differ from zlib's (another deflate), so an independent inflater is the
/// check that they are valid gzip, zlib and raw deflate.
#[test]
fn compressed_output_is_read_by_zlib() {
    let wasm = built(&repo_path("tests/apps/compress-emit.js"));
    let words = [
        "pack", "my", "box", "with", "five", "dozen", "liquor", "jugs", "ü😀",
    ];
    let args: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    let got = jspkg_run(&wasm, &args);
    assert!(got.success(), "{got}");
    let expected = words.join(" ").repeat(50);
    let lines: Vec<&str> = got.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{got}");
    for line in lines {
        let (format, hex) = line.split_once(' ').unwrap();
        let inflate = match format {
            "gzip" => "gunzipSync",
            "deflate" => "inflateSync",
            "deflate-raw" => "inflateRawSync",
            other => panic!("unexpected format {other}:\n{got}"),
        };
        let mut node = std::process::Command::new(tools::Tools::get().node());
        node.arg("-e")
            .arg(format!(
                "process.stdout.write(require('zlib').{inflate}(Buffer.from(process.argv[1], 'hex')))"
            ))
            .arg(hex);
        let o = run(&mut node, RUN_TIMEOUT);
        assert!(o.success(), "node cannot read jspkg's {format}:\n{o}");
        assert_eq!(o.stdout, expected, "{format}: node's zlib read other bytes");
    }
}

macro_rules! conformance {
    ($($test:ident => $file:literal,)*) => {
        $(
            #[test]
            fn $test() {
                check(concat!("examples/conformance/", $file));
            }
        )*
        const CONFORMANCE_FILES: &[&str] = &[$($file),*];
    };
}

conformance! {
    abort => "abort.js",
    abort_timeout => "abort-timeout.js",
    async_exit_code => "async-exit-code.js",
    base64 => "base64.js",
    async_order => "async-order.js",
    bigint => "bigint.js",
    blob => "blob.js",
    builtins => "builtins.js",
    body_streams => "body-streams.js",
    classes => "classes.js",
    closures => "closures.js",
    collections => "collections.js",
    compression => "compression.js",
    dates => "dates.js",
    destructuring => "destructuring.js",
    events => "events.js",
    exit_code => "exit-code.js",
    node_events => "node-events.js",
    node_path => "node-path.js",
    formdata => "formdata.js",
    generators => "generators.js",
    headers => "headers.js",
    intl => "intl.js",
    json => "json.js",
    jwt => "jwt.js",
    listener_error => "listener-error.js",
    reject => "reject.js",
    request_response => "request-response.js",
    request_signal => "request-signal.js",
    streams => "streams.js",
    strings => "strings.js",
    structured_clone => "structured-clone.js",
    text_encoding => "text-encoding.js",
    throw => "throw.js",
    timers_exit_code => "timers-exit-code.js",
    timers_interval => "timers-interval.js",
    timers_nested => "timers-nested.js",
    timers_order => "timers-order.js",
    timers_sleep => "timers-sleep.js",
    timers_throw => "timers-throw.js",
    typed_arrays => "typed-arrays.js",
    unhandled_rejection => "unhandled-rejection.js",
    url => "url.js",
    url_search_params => "url-search-params.js",
    urlpattern => "urlpattern.js",
}

/// A new example without a test here would silently go untested.
#[test]
fn every_conformance_example_has_a_test() {
    let dir = repo_path("examples/conformance");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".js"))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = CONFORMANCE_FILES.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(
        on_disk, listed,
        "examples/conformance/*.js and the conformance! list differ"
    );
}

/// The `make demo` app, with no argument, one, and several (non-ASCII, with spaces).
#[test]
fn hello() {
    let app = repo_path("examples/hello/hello.js");
    let wasm = built(&app);
    for args in [
        vec![],
        vec!["WebAssembly".to_owned()],
        vec!["two words".to_owned(), "ünï😀".to_owned()],
    ] {
        let expected = node_run(&app, &args);
        let got = jspkg_run(&wasm, &args);
        assert!(
            expected.success() && !expected.stdout.is_empty(),
            "node reference failed:\n{expected}"
        );
        assert_eq!(
            (&got.stdout, got.code),
            (&expected.stdout, expected.code),
            "jspkg run differs from node for hello {args:?}:\n{got}"
        );
    }
}

/// An app importing a real npm library (`marked`), bundled by esbuild from the
/// packages `scripts/setup-tools.sh` installed from the npm registry.
#[test]
fn bundled_npm_library() {
    let bundle = npm_bundle();
    let wasm = built(bundle);
    let source = repo_path("tests/bundle/entry.js");
    for args in arg_sets(&source) {
        let expected = node_run(bundle, &args);
        assert!(
            expected.success() && expected.stdout.contains("<h1>"),
            "node reference failed for the bundle:\n{expected}"
        );
        let got = jspkg_run(&wasm, &args);
        assert!(
            got.stdout == expected.stdout && got.code == expected.code,
            "jspkg run of the marked bundle differs from node {args:?}\n=== node ===\n{expected}\n=== jspkg ===\n{got}\n{}",
            first_difference(&expected.stdout, &got.stdout)
        );
    }
    assert!(Path::new(bundle).is_file());
}

/// `tests/apps/NAME.js` in a scratch project where npm installed
/// `packages` (pinned; the npm registry must be reachable), bundled by
/// `jspkg build`: its output must be node's.
fn npm_app_matches_node(name: &str, packages: &[&str]) {
    let dir = scratch(name);
    std::fs::write(
        dir.join("package.json"),
        format!(r#"{{ "name": "{name}", "private": true, "type": "module" }}"#),
    )
    .unwrap();
    let app = dir.join("app.js");
    std::fs::copy(repo_path(&format!("tests/apps/{name}.js")), &app).unwrap();
    npm_install(&dir, packages);
    let wasm = built(&app);
    check_against_node(&app, "jspkg run", |args| jspkg_run(&wasm, args));
}

/// An npm i18n library on `Intl`: luxon, its locales and IANA zones.
#[test]
fn intl_luxon() {
    npm_app_matches_node("intl-luxon", &["luxon@3.7.2"]);
}

/// A time zone library on `Intl`: date-fns-tz with date-fns (IANA zones,
/// DST changes, zone names).
#[test]
fn intl_date_fns_tz() {
    npm_app_matches_node("intl-date-fns-tz", &["date-fns@4.1.0", "date-fns-tz@3.2.0"]);
}

/// formatjs's ICU MessageFormat on `Intl`: plurals, ordinals, selects,
/// numbers, currencies and dates in messages.
#[test]
fn intl_formatjs() {
    npm_app_matches_node("intl-messageformat", &["intl-messageformat@10.7.18"]);
}
