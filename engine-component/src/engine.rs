//! The engine's state and its two phases: [`initialize`] at build time (the
//! app's top-level code), then [`with_app`] in every instance (the app's
//! entry point: `main` in the cli world, the default export's `fetch` in the
//! http world).

use crate::event_loop::{self, OnError, Stopped};
use crate::{natives, output};
use rquickjs::function::This;
use rquickjs::promise::PromiseState;
use rquickjs::{
    CatchResultExt, CaughtError, Context, Ctx, Function, Module, Object, Persistent, Promise,
    Runtime, Value,
};
use std::cell::RefCell;

/// The JavaScript environment around the app (console, TextEncoder, ...).
const PRELUDE: &str = include_str!("prelude.js");

/// web-streams-polyfill's ponyfill (minified, MIT), pinned by
/// `package.json` and `package-lock.json` and installed by `build.sh`; it
/// leaves its exports on `globalThis.WebStreamsPolyfill`.
const WEB_STREAMS_POLYFILL: &str =
    include_str!("../node_modules/web-streams-polyfill/dist/ponyfill.js");

/// The stream globals from the ponyfill, TextEncoderStream and
/// TextDecoderStream, and the helpers `web.js` takes (`hooks.streams`) and
/// the http world's `httpPump`; run after the ponyfill.
const STREAMS: &str = include_str!("streams.js");

/// The walk that makes QuickJS's lazily made built-ins before the snapshot
/// is taken (see the file, and [`materialize_builtins`]).
const MATERIALIZE: &str = include_str!("materialize.js");

/// The web classes (URL, URLSearchParams, Headers, Request, Response); run
/// after the prelude and the streams, it adds its hooks (`httpRequest`,
/// `httpResponse`) to the prelude's.
const WEB: &str = include_str!("web.js");

/// More of the environment, each file a function of the natives and the
/// hooks evaluated in this order after `web.js` (file name, source).
/// `blob.js` comes first: it fills in the Blob and FormData bodies web.js
/// left to it (`hooks.bodyKinds`).
/// `timers.js` adds the event loop's hooks (`timersNext`, `timersRun`, see
/// `event_loop.rs`).
const EXTRAS: &[(&str, &str)] = &[
    ("blob.js", include_str!("blob.js")),
    ("urlpattern.js", include_str!("urlpattern.js")),
    ("compression.js", include_str!("compression.js")),
    ("timers.js", include_str!("timers.js")),
    ("encoding.js", include_str!("encoding.js")),
    ("events.js", include_str!("events.js")),
    ("crypto.js", include_str!("crypto.js")),
    ("intl.js", include_str!("intl.js")),
    ("node_events.js", include_str!("node_events.js")),
    ("node.js", include_str!("node.js")),
    ("readline.js", include_str!("readline.js")),
    ("path.js", include_str!("path.js")),
    ("fetch.js", include_str!("fetch.js")),
];

/// Most native stack the interpreter may use before it throws a
/// `RangeError` ("stack overflow"): below the module's 4 MiB shadow stack
/// (`-z stack-size` in `build.sh`), so deep recursion is an exception, not a
/// trap.
const JS_STACK_LIMIT: usize = 3 << 20;

/// Exit code of an app whose `main` returned a promise that never settled
/// (node's code for an unsettled top-level await).
#[cfg(feature = "cli")]
const EXIT_UNSETTLED: u8 = 13;

/// What the snapshot keeps: the runtime, its context, the app's entry point
/// and the prelude's hooks. Created at build time, never dropped.
struct Engine {
    _runtime: Runtime,
    context: Context,
    /// `main` (cli world) or the default export's `fetch` (http world).
    entry: Persistent<Function<'static>>,
    /// `this` for `entry`: undefined for `main`, the default export for
    /// `fetch`.
    receiver: Persistent<Value<'static>>,
    hooks: Persistent<Object<'static>>,
}

/// The app as one instance sees it, inside the engine's context.
pub struct App<'js> {
    /// The prelude's hooks (`prelude.js`).
    pub hooks: Object<'js>,
    entry: Function<'js>,
    receiver: Value<'js>,
}

impl<'js> App<'js> {
    /// Starts a call (the prelude's per-call set-up) and calls the entry
    /// point with `arg`.
    pub fn call(
        &self,
        ctx: &Ctx<'js>,
        arg: impl rquickjs::IntoJs<'js>,
    ) -> Result<Value<'js>, CaughtError<'js>> {
        call_hook(&self.hooks, "beforeRun", ()).catch(ctx)?;
        self.entry
            .call((This(self.receiver.clone()), arg))
            .catch(ctx)
    }
}

thread_local! {
    static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
    /// False at build time (in the snapshot), true once an instance runs:
    /// what reads the environment, stdin or files checks it
    /// (`node_natives.rs`).
    static AT_RUN_TIME: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Rejected promises with no handler yet, with their reasons.
    static UNHANDLED: RefCell<Vec<(Persistent<Value<'static>>, Persistent<Value<'static>>)>> =
        const { RefCell::new(Vec::new()) };
}

/// Whether an instance is running (not the build's pre-initialization).
pub fn at_run_time() -> bool {
    AT_RUN_TIME.get()
}

/// Evaluates the app's module and keeps its entry point. The error is the
/// message for the person building the app.
pub fn initialize(file_name: &str, source: &str) -> Result<(), String> {
    let runtime = Runtime::new().map_err(|e| format!("cannot start QuickJS: {e}"))?;
    runtime.set_max_stack_size(JS_STACK_LIMIT);
    runtime.set_host_promise_rejection_tracker(Some(Box::new(track_rejection)));
    let context = Context::full(&runtime).map_err(|e| format!("cannot start QuickJS: {e}"))?;
    // `import "node:fs"` and friends (node_modules.rs); the table of modules
    // comes from node.js, run with the prelude below.
    let modules = crate::node_modules::NodeModules::default();
    runtime.set_loader(modules.clone(), modules.clone());

    let outcome = context.with(|ctx| {
        let hooks = install_prelude(&ctx)?;
        let table: Object = hooks
            .get("nodeModules")
            .map_err(|e| format!("node.js: {e}"))?;
        modules.table.replace(Some(Persistent::save(&ctx, table)));
        // A bundle's source map (its last line, `jspkg build` puts it
        // there) is kept for uncaught errors; the module is the rest.
        let (source, map) = crate::source_map::split_inline(source);
        if let Some(map) = map {
            crate::source_map::install(&ctx, file_name, &map);
        }
        let module = Module::declare(ctx.clone(), file_name, source)
            .catch(&ctx)
            .map_err(|e| syntax_error(file_name, &ctx, &hooks, e))?;
        let (module, done) = module
            .eval()
            .catch(&ctx)
            .map_err(|e| format_uncaught(&ctx, &hooks, e))?;
        // Top-level await: drain the job queue until the module settles.
        match settle(&ctx, &done) {
            PromiseState::Resolved => {}
            PromiseState::Rejected => {
                let e = done.result::<Value>().unwrap().catch(&ctx).unwrap_err();
                return Err(format_uncaught(&ctx, &hooks, e));
            }
            PromiseState::Pending => {
                return Err(format!(
                    "{file_name}: the module's top-level await never settled"
                ));
            }
        }
        drain_jobs(&ctx);
        if let Some(reason) = take_unhandled(&ctx) {
            return Err(format_uncaught(&ctx, &hooks, CaughtError::Value(reason)));
        }

        let namespace = module.namespace().map_err(|e| e.to_string())?;
        let (entry, receiver) = entry_point(&ctx, &namespace, file_name)?;
        materialize_builtins(&ctx)?;
        Ok((
            Persistent::save(&ctx, entry),
            Persistent::save(&ctx, receiver),
            Persistent::save(&ctx, hooks),
        ))
    });
    let (entry, receiver, hooks) = match outcome {
        Ok(kept) => kept,
        Err(message) => {
            // The build fails and the instance traps next; freeing the
            // runtime while handles into it live would only assert.
            std::mem::forget(context);
            std::mem::forget(runtime);
            return Err(message);
        }
    };

    // The heap's layout for the calls, in this order: the build's garbage
    // (the walk's above included) collected, free space at the top, no
    // hole below it for the allocator or QuickJS's arenas to serve a call
    // from, then the collector's threshold over what is left allocated.
    runtime.run_gc();
    reserve_heap_headroom();
    if let Some(top) = plug_heap_holes() {
        plug_arena_holes(&context, top);
    }
    settle_gc(&runtime);
    ENGINE.set(Some(Engine {
        _runtime: runtime,
        context,
        entry,
        receiver,
        hooks,
    }));
    Ok(())
}

/// Makes, once, at build time, every lazily made property reachable from
/// `globalThis` (issue 11, perf): `materialize.js`.
///
/// Measured before (`perf record -e exceptions:page_fault_user` of the
/// runtime whose slots drop written pages, the faulting instruction mapped
/// to the guest's functions through wasmtime's perf map): of the 108 pages
/// an HTTP request to examples/http/hello.js wrote, `JS_AutoInitProperty`
/// wrote first to 10, each a built-in made again by every request.
fn materialize_builtins(ctx: &Ctx<'_>) -> Result<(), String> {
    let walk: Function = ctx
        .eval(MATERIALIZE)
        .catch(ctx)
        .map_err(|e| format!("materialize.js: {e}"))?;
    let is_proxy = Function::new(ctx.clone(), |value: Value<'_>| value.is_proxy())
        .map_err(|e| format!("materialize.js: {e}"))?;
    walk.call::<_, ()>((is_proxy,))
        .catch(ctx)
        .map_err(|e| format!("materialize.js: {e}"))
}

/// Sets QuickJS's next collection [`GC_HEADROOM`] bytes above what the
/// snapshot holds (issue 11, perf).
///
/// QuickJS runs a full collection when its allocated size passes a
/// threshold, which it sets after each collection to 1.5 × what is left.
/// Left as the build leaves it, the threshold can sit a few kilobytes above
/// the snapshot's size, so that an instance's first allocations start a
/// collection over the whole heap, which writes to many of its pages
/// (measured: 54 page faults per HTTP request of examples/http/hello.js
/// before, 40 after; BENCHMARKS.md). Set here, once, every call may
/// allocate `GC_HEADROOM` before it collects (as V8 gives a fresh isolate a
/// young generation to fill); a call that allocates more collects as
/// before, and the instance's memory limit still bounds it. (`initialize`
/// collects before it, and plugs the holes the collection leaves, which a
/// call's allocations would otherwise be spread over.)
fn settle_gc(runtime: &Runtime) {
    let used = runtime.memory_usage().malloc_size.max(0) as usize;
    runtime.set_gc_threshold(used + GC_HEADROOM);
}

/// Bytes a call may allocate before QuickJS's first collection in it.
const GC_HEADROOM: usize = 4 << 20;

/// Free heap the snapshot carries past the app's data (issue 11, perf).
///
/// Without it, the snapshot's allocator has almost no free space at the top
/// of its heap, so every instance's first allocations (the WASI adapter's
/// state, QuickJS's objects of the call) `memory.grow` the linear memory.
/// In wasmtime's pooling allocator a grow is an `mprotect` (and a TLB
/// shoot-down on every core the process runs on), and the next instance in
/// the slot pays a second `mprotect` to take the grown pages away again:
/// about a quarter of a CLI call (BENCHMARKS.md, "Where a call's time
/// goes"). Growing the memory once here, at build time, and giving the
/// block back to the allocator leaves it free at the top of the heap in
/// every instance: the pages are zero (not in the image's data, only in
/// its size), and a call that stays within them grows nothing.
///
/// Keep it after everything `initialize` allocates but the plugging of
/// holes ([`plug_heap_holes`], [`plug_arena_holes`]), which grows nothing.
fn reserve_heap_headroom() {
    /// Enough for a call of the examples (a CLI call or an HTTP request
    /// allocates well under this); a call that needs more grows as before.
    const HEADROOM: usize = 1 << 20;
    let block = vec![0u8; HEADROOM];
    // The block was really allocated (not optimised away), then freed: the
    // allocator cannot give memory back to WebAssembly, so it stays free
    // for the instances' allocations.
    std::hint::black_box(&block);
    drop(block);
}

/// Fills the allocator's free chunks below the top of the heap, once, at
/// build time (issue 11, perf), so that a call's allocations come from the
/// fresh, contiguous space [`reserve_heap_headroom`] left at the top.
///
/// Evaluating the environment and the app frees many small blocks (the
/// parser's and compiler's temporaries) all over the heap. dlmalloc serves
/// an allocation from such a free chunk before the top, so a call's objects
/// landed on as many pages as there were holes they fitted in, and every
/// page a call writes is a page fault and a page to reset: measured, the
/// page faults per HTTP request of examples/http/hello.js went from 40 to
/// 69 when Blob, URLPattern and CompressionStream (code that no request
/// runs) were added, and moved by ±10 with unrelated changes. Taken here,
/// the holes stay allocated and unused (their bytes are in the snapshot
/// already, so it grows nothing); the top of the heap is the only free
/// space left.
///
/// The top is found as where a block larger than any hole comes from; a
/// block at or above it is given back at once (so nothing of the headroom
/// is used), which ends each size's round. Returns the top (`None` if even
/// the probe could not be had: nothing was plugged).
fn plug_heap_holes() -> Option<usize> {
    use std::alloc::{Layout, alloc, dealloc};
    /// Larger than any hole a build leaves, smaller than the headroom.
    const PROBE: usize = 512 << 10;
    /// What one size's round may take, a bound on a surprise.
    const MOST: usize = 16 << 20;
    let layout = |size| Layout::from_size_align(size, 8).expect("a valid layout");
    // SAFETY: every block is allocated with `layout(size)` and freed with
    // the same layout, or kept (deliberately never freed).
    unsafe {
        let probe = alloc(layout(PROBE));
        if probe.is_null() {
            return None;
        }
        let top = probe as usize;
        dealloc(probe, layout(PROBE));
        for size in [64 << 10, 16 << 10, 4 << 10, 1 << 10, 256, 64, 32, 16] {
            take_blocks_below(
                top,
                MOST / size,
                || alloc(layout(size)),
                |p| dealloc(p, layout(size)),
            );
        }
        Some(top)
    }
}

/// One size's round of the plugging ([`plug_heap_holes`],
/// [`plug_arena_holes`]): takes blocks from `alloc`, at most `most`, until
/// one comes from at or above `top`; that one goes back at once to `free`,
/// which ends the round, and the blocks taken before it are kept (never
/// freed). False if `alloc` gave no block.
fn take_blocks_below(
    top: usize,
    most: usize,
    mut alloc: impl FnMut() -> *mut u8,
    free: impl FnOnce(*mut u8),
) -> bool {
    for _ in 0..most {
        let p = alloc();
        if p.is_null() {
            return false;
        }
        if p as usize >= top {
            free(p);
            break;
        }
    }
    true
}

/// Fills the free blocks of QuickJS's small-block arenas, once, at build
/// time (issue 11, perf), so that a call's small allocations (most of its
/// objects, strings and shapes) come from new arenas at the top of the
/// heap, together, instead of from the arenas the build left half free.
///
/// quickjs-ng serves every allocation of up to 512 bytes from 4 KB arenas,
/// one list per size class, and takes a block from the first arena of its
/// class that has one. The build frees many small blocks (the parser's and
/// compiler's temporaries, objects of the prelude's set-up), so each class
/// had partly free arenas all over the heap: a call's allocations of a
/// dozen sizes landed on a dozen pages far apart. Every page a call writes
/// is a page fault or a page to reset (wasmtime 48.0.8's in-place reset kept
/// only the first 32 runs of written pages, BENCHMARKS.md: "wasmtime's slot
/// reset stops at 32 regions"), and pages apart cost more than pages
/// together.
///
/// For every 8-byte step of size up to the largest small block (so every
/// size class, whatever quickjs-ng's table of them), blocks are taken until
/// one comes from at or above `top`, where the heap's free space begins
/// after [`plug_heap_holes`]: that block is in a new arena, which it gives
/// back whole when freed. The blocks taken before it stay allocated and
/// unused; their bytes are in the snapshot already. A block freed later,
/// by a call, still returns to its arena as before.
fn plug_arena_holes(context: &Context, top: usize) {
    use rquickjs::qjs;
    /// quickjs-ng's largest small block (`JS_ARENA_MAX_SMALL_SIZE`), less
    /// the 8-byte header each block carries.
    const LARGEST_SMALL: usize = 512 - 8;
    /// What one size's round may take, a bound on a surprise (a build
    /// leaves some thousands of free blocks).
    const MOST_BLOCKS: usize = 1 << 16;
    context.with(|ctx| {
        // SAFETY: the runtime is the context's, and is used under its lock
        // (`Context::with`); every block comes from `js_malloc_rt` of this
        // runtime and is either freed at once with `js_free_rt` or kept
        // (deliberately never freed). No JavaScript runs meanwhile.
        unsafe {
            let rt = qjs::JS_GetRuntime(ctx.as_raw().as_ptr());
            for size in (8..=LARGEST_SMALL).step_by(8) {
                let taken = take_blocks_below(
                    top,
                    MOST_BLOCKS,
                    || qjs::js_malloc_rt(rt, size as _).cast(),
                    |p| qjs::js_free_rt(rt, p.cast()),
                );
                if !taken {
                    return;
                }
            }
        }
    });
}

/// The cli world's entry point: the module's `main` export.
#[cfg(feature = "cli")]
fn entry_point<'js>(
    ctx: &Ctx<'js>,
    namespace: &Object<'js>,
    file_name: &str,
) -> Result<(Function<'js>, Value<'js>), String> {
    let main: Value = namespace.get("main").map_err(|e| e.to_string())?;
    match main.into_function() {
        Some(main) => Ok((main, Value::new_undefined(ctx.clone()))),
        None => Err(format!(
            "{file_name}: the module does not export a function `main` \
             (write `export function main(args) {{ ... }}`)"
        )),
    }
}

/// The http world's entry point: the `fetch` method of the module's default
/// export (the contract of Cloudflare Workers, Deno and Spin).
#[cfg(feature = "http")]
fn entry_point<'js>(
    _ctx: &Ctx<'js>,
    namespace: &Object<'js>,
    file_name: &str,
) -> Result<(Function<'js>, Value<'js>), String> {
    const EXAMPLE: &str =
        "write `export default { async fetch(request) { return new Response(\"hello\") } }`";
    let default: Value = namespace.get("default").map_err(|e| e.to_string())?;
    let Some(handler) = default.as_object().filter(|_| !default.is_null()) else {
        return Err(format!(
            "{file_name}: the module has no default export with a `fetch` method ({EXAMPLE})"
        ));
    };
    let fetch: Value = handler.get("fetch").map_err(|e| e.to_string())?;
    match fetch.into_function() {
        Some(fetch) => Ok((fetch, default)),
        None => Err(format!(
            "{file_name}: the module's default export has no `fetch` method ({EXAMPLE})"
        )),
    }
}

/// Runs `f` with the app: the snapshot's, or — in an engine that was never
/// pre-initialized — the app read from stdin and evaluated now, as
/// `wizer-initialize` would have at build time. That slow path is what a
/// snapshot avoids, kept for comparison (`benches/`) and for debugging. The
/// error is a message for stderr. Reseeds `Math.random` first.
pub fn with_app<R>(f: impl for<'js> FnOnce(&Ctx<'js>, &App<'js>) -> R) -> Result<R, String> {
    natives::reseed();
    if ENGINE.with_borrow(Option::is_none) {
        crate::read_app().and_then(|(file, source)| initialize(&file, &source))?;
    }
    AT_RUN_TIME.set(true);
    ENGINE.with_borrow(|engine| {
        let Some(engine) = engine else {
            unreachable!("initialized above")
        };
        engine.context.with(|ctx| {
            let restore = |what: &str, e: rquickjs::Error| format!("the snapshot's {what}: {e}");
            let app = App {
                hooks: engine
                    .hooks
                    .clone()
                    .restore(&ctx)
                    .map_err(|e| restore("hooks", e))?,
                entry: engine
                    .entry
                    .clone()
                    .restore(&ctx)
                    .map_err(|e| restore("entry point", e))?,
                receiver: engine
                    .receiver
                    .clone()
                    .restore(&ctx)
                    .map_err(|e| restore("entry point", e))?,
            };
            Ok(f(&ctx, &app))
        })
    })
}

/// How a value the app returned ended up.
pub enum Settled<'js> {
    /// A plain value, or a promise that resolved to it.
    Value(Value<'js>),
    /// A thrown exception or a rejected promise (or, with [`OnError::Stop`],
    /// an uncaught exception of a timer or an unhandled rejection).
    Failed(CaughtError<'js>),
    /// A promise still pending with nothing left to run.
    Pending,
}

/// Awaits `value` if it is a promise, running the event loop (microtasks,
/// timers, I/O) until it settles; with `until_idle`, until it settles and
/// nothing is pending any more (as node exits), else as soon as it settles.
/// A rejection stops the loop at once.
pub fn await_value<'js>(
    ctx: &Ctx<'js>,
    hooks: &Object<'js>,
    value: Value<'js>,
    on_error: OnError,
    until_idle: bool,
) -> Settled<'js> {
    let promise = value.as_promise().cloned();
    let stopped = event_loop::run(ctx, hooks, on_error, |pending| {
        let idle = !until_idle || !pending;
        match promise.as_ref().map(Promise::state) {
            None | Some(PromiseState::Resolved) => idle,
            Some(PromiseState::Rejected) => true,
            Some(PromiseState::Pending) => false,
        }
    });
    if let Stopped::Failed(e) = stopped {
        return Settled::Failed(e);
    }
    let Some(promise) = promise else {
        return Settled::Value(value);
    };
    match promise.state() {
        PromiseState::Resolved => Settled::Value(promise.result::<Value>().unwrap().unwrap()),
        PromiseState::Rejected => {
            Settled::Failed(promise.result::<Value>().unwrap().catch(ctx).unwrap_err())
        }
        PromiseState::Pending => Settled::Pending,
    }
}

/// Calls the app's `main(args)` and returns the exit code: once its promise
/// settles and no timer or I/O is pending any more, as node exits.
#[cfg(feature = "cli")]
pub fn run_main() -> u8 {
    let outcome = with_app(|ctx, app| {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let result = match app.call(ctx, args) {
            Ok(v) => v,
            Err(e) => return report(ctx, &app.hooks, e),
        };
        match await_value(ctx, &app.hooks, result, OnError::Stop, true) {
            Settled::Value(v) => exit_code(&v),
            Settled::Failed(e) => report(ctx, &app.hooks, e),
            Settled::Pending => {
                output::write_err(b"Warning: main's promise never settled (nothing left to run)\n");
                EXIT_UNSETTLED
            }
        }
    });
    outcome.unwrap_or_else(|message| {
        output::write_err(message.as_bytes());
        output::write_err(b"\n");
        1
    })
}

/// Prints an uncaught error on stderr; the exit code is 1.
#[cfg(feature = "cli")]
fn report<'js>(ctx: &Ctx<'js>, hooks: &Object<'js>, e: CaughtError<'js>) -> u8 {
    print_uncaught(ctx, hooks, e);
    1
}

/// Prints `Uncaught NAME: MESSAGE` and the stack on stderr.
pub fn print_uncaught<'js>(ctx: &Ctx<'js>, hooks: &Object<'js>, e: CaughtError<'js>) {
    let message = format_uncaught(ctx, hooks, e);
    output::write_err(message.as_bytes());
    output::write_err(b"\n");
}

/// A number is the exit code (modulo 256, as a process exit status is);
/// anything else means success.
#[cfg(feature = "cli")]
fn exit_code(v: &Value<'_>) -> u8 {
    match v.as_number() {
        Some(n) if n.is_finite() && n.fract() == 0.0 => (n as i64).rem_euclid(256) as u8,
        _ => 0,
    }
}

/// Runs the prelude, the streams, `web.js` and `timers.js`, and returns the hooks object.
fn install_prelude<'js>(ctx: &Ctx<'js>) -> Result<Object<'js>, String> {
    let natives = natives::object(ctx).map_err(|e| format!("prelude: {e}"))?;
    let setup: Function = ctx
        .eval(PRELUDE)
        .catch(ctx)
        .map_err(|e| format!("prelude: {e}"))?;
    let hooks: Object = setup
        .call((natives.clone(),))
        .catch(ctx)
        .map_err(|e| format!("prelude: {e}"))?;
    ctx.eval::<(), _>(WEB_STREAMS_POLYFILL)
        .catch(ctx)
        .map_err(|e| format!("web-streams-polyfill: {e}"))?;
    let setup_streams: Function = ctx
        .eval(STREAMS)
        .catch(ctx)
        .map_err(|e| format!("streams.js: {e}"))?;
    setup_streams
        .call::<_, ()>((natives.clone(), hooks.clone()))
        .catch(ctx)
        .map_err(|e| format!("streams.js: {e}"))?;
    let setup_web: Function = ctx
        .eval(WEB)
        .catch(ctx)
        .map_err(|e| format!("web.js: {e}"))?;
    setup_web
        .call::<_, ()>((natives.clone(), hooks.clone()))
        .catch(ctx)
        .map_err(|e| format!("web.js: {e}"))?;
    for (name, source) in EXTRAS {
        let setup: Function = ctx
            .eval(*source)
            .catch(ctx)
            .map_err(|e| format!("{name}: {e}"))?;
        setup
            .call::<_, ()>((natives.clone(), hooks.clone()))
            .catch(ctx)
            .map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(hooks)
}

pub fn call_hook<'js, A: rquickjs::function::IntoArgs<'js>>(
    hooks: &Object<'js>,
    name: &str,
    args: A,
) -> rquickjs::Result<Value<'js>> {
    hooks.get::<_, Function>(name)?.call(args)
}

/// Runs jobs until `promise` is no longer pending or no job is left.
fn settle<'js>(ctx: &Ctx<'js>, promise: &Promise<'js>) -> PromiseState {
    loop {
        match promise.state() {
            PromiseState::Pending if ctx.execute_pending_job() => continue,
            state => return state,
        }
    }
}

pub fn drain_jobs(ctx: &Ctx<'_>) {
    while ctx.execute_pending_job() {}
}

/// QuickJS's host promise rejection tracker: remembers rejections without a
/// handler, forgets them when a handler is attached later.
fn track_rejection<'js>(ctx: Ctx<'js>, promise: Value<'js>, reason: Value<'js>, handled: bool) {
    UNHANDLED.with_borrow_mut(|list| {
        if handled {
            list.retain(|(p, _)| p.clone().restore(&ctx).ok().as_ref() != Some(&promise));
        } else {
            list.push((
                Persistent::save(&ctx, promise),
                Persistent::save(&ctx, reason),
            ));
        }
    });
}

/// The reason of the first rejection still unhandled, if any; forgets all.
pub fn take_unhandled<'js>(ctx: &Ctx<'js>) -> Option<Value<'js>> {
    let list = UNHANDLED.take();
    list.into_iter()
        .next()
        .and_then(|(_, reason)| reason.restore(ctx).ok())
}

/// `Uncaught NAME: MESSAGE` and the stack, as the prelude formats them,
/// with the positions in a bundle mapped to its sources (`source_map.rs`).
pub fn format_uncaught<'js>(ctx: &Ctx<'js>, hooks: &Object<'js>, e: CaughtError<'js>) -> String {
    crate::source_map::remap(format_uncaught_unmapped(ctx, hooks, e))
}

fn format_uncaught_unmapped<'js>(
    ctx: &Ctx<'js>,
    hooks: &Object<'js>,
    e: CaughtError<'js>,
) -> String {
    let value = match e {
        CaughtError::Exception(ex) => ex.into_value(),
        CaughtError::Value(v) => v,
        CaughtError::Error(e) => return format!("Uncaught InternalError: {e}"),
    };
    match call_hook(hooks, "formatUncaught", (value,))
        .catch(ctx)
        .map(|s| s.as_string().and_then(|s| s.to_string().ok()))
    {
        Ok(Some(s)) => s,
        _ => "Uncaught exception (it could not be formatted)".to_string(),
    }
}

/// A module that does not parse: `FILE:LINE:COL: SyntaxError: MESSAGE`.
fn syntax_error<'js>(
    file_name: &str,
    ctx: &Ctx<'js>,
    hooks: &Object<'js>,
    e: CaughtError<'js>,
) -> String {
    if let CaughtError::Exception(ex) = &e {
        let name: Option<String> = ex.get("name").ok();
        if name.as_deref() == Some("SyntaxError") {
            let message = ex.message().unwrap_or_default();
            // QuickJS puts the position in the stack: `    at FILE:LINE:COL`.
            let at = ex.stack().and_then(|s| {
                s.lines()
                    .find_map(|l| l.trim().strip_prefix("at ").map(|p| p.trim().to_string()))
            });
            return match at {
                Some(at) => format!("{at}: SyntaxError: {message}"),
                None => format!("{file_name}: SyntaxError: {message}"),
            };
        }
    }
    format_uncaught(ctx, hooks, e)
}
