//! The host side of `process` and `node:fs` (`node.js`): environment
//! variables, stdin, exit, and files under the directories the host
//! granted (WASI preopens, through Rust's `std::fs`).
//!
//! None of these may run at build time: wasi-libc reads the environment
//! and the preopened directories once and keeps them, so a read at build
//! time would freeze the build machine's (none: the build grants nothing)
//! into the snapshot, and stdin at build time is the app's source. Each
//! function throws `fs:EBUILD` then, and `node.js` explains. A failed file
//! operation throws `fs:CODE` (node's error code); `node.js` makes node's
//! error of it.

use rquickjs::{Ctx, Exception, Function, Object, Result, TypedArray};

/// The error `node.js` turns into node's: `fs:CODE`.
fn fs_error(ctx: &Ctx<'_>, e: &std::io::Error) -> rquickjs::Error {
    use std::io::ErrorKind as K;
    // wasi-libc's errno values (WASI's numbering).
    let code = match e.raw_os_error() {
        Some(44) => "ENOENT",
        Some(2) | Some(76) => "EACCES", // EACCES, ENOTCAPABLE (outside every granted directory)
        Some(63) => "EPERM",
        Some(20) => "EEXIST",
        Some(54) => "ENOTDIR",
        Some(31) => "EISDIR",
        Some(55) => "ENOTEMPTY",
        Some(28) => "EINVAL",
        Some(8) => "EBADF",
        Some(32) => "ELOOP",
        Some(37) => "ENAMETOOLONG",
        _ => match e.kind() {
            K::NotFound => "ENOENT",
            K::PermissionDenied => "EACCES",
            K::AlreadyExists => "EEXIST",
            K::NotADirectory => "ENOTDIR",
            K::IsADirectory => "EISDIR",
            K::DirectoryNotEmpty => "ENOTEMPTY",
            K::InvalidInput => "EINVAL",
            _ => "EIO",
        },
    };
    Exception::throw_message(ctx, &format!("fs:{code}"))
}

/// Refuses to run at build time (see the module's doc).
fn at_run_time(ctx: &Ctx<'_>) -> Result<()> {
    if crate::engine::at_run_time() {
        Ok(())
    } else {
        Err(Exception::throw_message(ctx, "fs:EBUILD"))
    }
}

/// `envVars()`: names and values alternating.
fn env_vars(ctx: Ctx<'_>) -> Result<Vec<String>> {
    at_run_time(&ctx)?;
    Ok(std::env::vars_os()
        .flat_map(|(k, v)| {
            [
                k.to_string_lossy().into_owned(),
                v.to_string_lossy().into_owned(),
            ]
        })
        .collect())
}

/// `argv()`: the program name and the arguments.
fn argv(ctx: Ctx<'_>) -> Result<Vec<String>> {
    at_run_time(&ctx)?;
    Ok(std::env::args().collect())
}

/// `stdinRead(max)`: up to `max` bytes of stdin, or null at its end; blocks
/// until some come. What the app printed is written out first: a prompt
/// shows before the app waits for its answer.
fn stdin_read(ctx: Ctx<'_>, max: usize) -> Result<Option<TypedArray<'_, u8>>> {
    at_run_time(&ctx)?;
    crate::output::flush();
    #[cfg(feature = "cli")]
    let read = stdin::read(read_size(max), true);
    #[cfg(not(feature = "cli"))]
    let read = {
        let mut buf = vec![0u8; read_size(max)];
        loop {
            match std::io::Read::read(&mut std::io::stdin(), &mut buf) {
                Ok(n) => {
                    buf.truncate(n);
                    break Ok((n > 0).then_some(buf));
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => break Err(e),
            }
        }
    };
    read_result(ctx, read)
}

/// How many bytes one read of stdin asks for: `max`, within 1 B–1 MiB.
fn read_size(max: usize) -> usize {
    max.clamp(1, 1 << 20)
}

/// A read of stdin as the natives give it: bytes, null at the end, or
/// node's error.
fn read_result(
    ctx: Ctx<'_>,
    read: std::io::Result<Option<Vec<u8>>>,
) -> Result<Option<TypedArray<'_, u8>>> {
    match read {
        Ok(Some(bytes)) => TypedArray::new(ctx, bytes).map(Some),
        Ok(None) => Ok(None),
        Err(e) => Err(fs_error(&ctx, &e)),
    }
}

/// stdin as a `wasi:io` stream (cli world), so that the event loop can wait
/// for it among timers and other I/O instead of blocking in a read: what
/// `process.stdin`'s events, its async iterator and `node:readline` use.
/// One stream for every read, blocking or not, made at the first read
/// (never at build time, where stdin is the app's source).
#[cfg(feature = "cli")]
mod stdin {
    use crate::bindings::wasi::cli::stdin::get_stdin;
    use crate::bindings::wasi::io::streams::{InputStream, StreamError};
    use crate::event_loop::io::{self, Token};
    use std::cell::{Cell, OnceCell};

    thread_local! {
        static STREAM: OnceCell<InputStream> = const { OnceCell::new() };
        /// The pending wait of [`when_ready`], for [`cancel`].
        static WAIT: Cell<Option<Token>> = const { Cell::new(None) };
    }

    fn with_stream<R>(f: impl FnOnce(&InputStream) -> R) -> R {
        STREAM.with(|s| f(s.get_or_init(get_stdin)))
    }

    /// Up to `max` bytes: `Some` of them (empty when none are there yet and
    /// `block` is false), or `None` at the end.
    pub fn read(max: usize, block: bool) -> std::io::Result<Option<Vec<u8>>> {
        let result = with_stream(|s| {
            if block {
                s.blocking_read(max as u64)
            } else {
                s.read(max as u64)
            }
        });
        match result {
            Ok(bytes) => Ok(Some(bytes)),
            Err(StreamError::Closed) => Ok(None),
            Err(StreamError::LastOperationFailed(e)) => {
                Err(std::io::Error::other(e.to_debug_string()))
            }
        }
    }

    /// Runs `task` once stdin has bytes (or has ended); replaces the wait
    /// pending before, if any.
    pub fn when_ready(task: io::Task) {
        cancel();
        let token = io::wait(with_stream(InputStream::subscribe), task);
        WAIT.set(Some(token));
    }

    /// Gives up the pending wait, so that a paused stdin does not keep the
    /// call alive (node ends once nothing but a paused stdin is left).
    pub fn cancel() {
        if let Some(token) = WAIT.take() {
            io::cancel(token);
        }
    }

    /// Forgets the pending wait once it ran.
    pub fn ran() {
        WAIT.set(None);
    }
}

/// `stdinTryRead(max)` (cli world): up to `max` bytes of stdin that are
/// there now (an empty array if none), or null at its end; never blocks.
#[cfg(feature = "cli")]
fn stdin_try_read(ctx: Ctx<'_>, max: usize) -> Result<Option<TypedArray<'_, u8>>> {
    at_run_time(&ctx)?;
    read_result(ctx, stdin::read(read_size(max), false))
}

/// `stdinReady(callback)` (cli world): calls `callback` once stdin has
/// bytes or has ended (one wait at a time: a second call replaces the
/// first); the event loop waits for it with its timers.
#[cfg(feature = "cli")]
fn stdin_ready<'js>(ctx: Ctx<'js>, callback: Function<'js>) -> Result<()> {
    at_run_time(&ctx)?;
    let callback = rquickjs::Persistent::save(&ctx, callback);
    stdin::when_ready(Box::new(move |ctx| {
        stdin::ran();
        callback.restore(ctx)?.call::<_, ()>(())
    }));
    Ok(())
}

/// `stdinCancel()` (cli world): gives up the wait of `stdinReady`.
#[cfg(feature = "cli")]
fn stdin_cancel() {
    stdin::cancel();
}

/// `exit(code)` (cli world): flushes the output and ends the instance.
#[cfg(feature = "cli")]
fn exit(ctx: Ctx<'_>, code: i32) -> Result<()> {
    at_run_time(&ctx)?;
    crate::output::flush();
    crate::bindings::wasi::cli::exit::exit_with_code(code.rem_euclid(256) as u8);
    unreachable!("wasi:cli/exit#exit-with-code returned")
}

fn read_file<'js>(ctx: Ctx<'js>, path: String) -> Result<TypedArray<'js, u8>> {
    at_run_time(&ctx)?;
    let bytes = std::fs::read(&path).map_err(|e| fs_error(&ctx, &e))?;
    TypedArray::new(ctx, bytes)
}

/// `fsWriteFile(path, bytes, append)`.
fn write_file<'js>(
    ctx: Ctx<'js>,
    path: String,
    data: TypedArray<'js, u8>,
    append: bool,
) -> Result<()> {
    use std::io::Write;
    at_run_time(&ctx)?;
    // SAFETY: copied at once, before any JS runs.
    let Some(bytes) = (unsafe { data.as_bytes() }).map(<[u8]>::to_vec) else {
        return Err(Exception::throw_type(&ctx, "the buffer is detached"));
    };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .append(append)
        .truncate(!append)
        .open(&path)
        .map_err(|e| fs_error(&ctx, &e))?;
    file.write_all(&bytes).map_err(|e| fs_error(&ctx, &e))
}

/// The kind of a file as `node.js` names it.
fn kind(t: std::fs::FileType) -> &'static str {
    if t.is_dir() {
        "dir"
    } else if t.is_file() {
        "file"
    } else if t.is_symlink() {
        "symlink"
    } else {
        "other"
    }
}

/// `fsReaddir(path)`: names and kinds alternating, sorted by name.
fn readdir(ctx: Ctx<'_>, path: String) -> Result<Vec<String>> {
    at_run_time(&ctx)?;
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(&path).map_err(|e| fs_error(&ctx, &e))? {
        let entry = entry.map_err(|e| fs_error(&ctx, &e))?;
        let k = entry.file_type().map(kind).unwrap_or("other");
        entries.push((entry.file_name().to_string_lossy().into_owned(), k));
    }
    entries.sort();
    Ok(entries
        .into_iter()
        .flat_map(|(n, k)| [n, k.to_string()])
        .collect())
}

/// `fsStat(path)`: `[kind, size, atimeMs, mtimeMs, ctimeMs, birthtimeMs]`,
/// the kind 0 for a file, 1 a directory, 2 a symbolic link, 3 anything
/// else (times NaN where the host gives none).
fn stat(ctx: Ctx<'_>, path: String) -> Result<Vec<f64>> {
    at_run_time(&ctx)?;
    let m = std::fs::metadata(&path).map_err(|e| fs_error(&ctx, &e))?;
    let ms = |t: std::io::Result<std::time::SystemTime>| {
        t.ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1e3)
    };
    let modified = ms(m.modified());
    let kind = match kind(m.file_type()) {
        "file" => 0.0,
        "dir" => 1.0,
        "symlink" => 2.0,
        _ => 3.0,
    };
    Ok(vec![
        kind,
        m.len() as f64,
        ms(m.accessed()),
        modified,
        modified,
        ms(m.created()),
    ])
}

/// `fsMkdir(path, recursive)`.
fn mkdir(ctx: Ctx<'_>, path: String, recursive: bool) -> Result<()> {
    at_run_time(&ctx)?;
    let r = if recursive {
        std::fs::create_dir_all(&path)
    } else {
        std::fs::create_dir(&path)
    };
    r.map_err(|e| fs_error(&ctx, &e))
}

/// `fsRm(path, recursive)`: a file, or a directory with `recursive`.
fn rm(ctx: Ctx<'_>, path: String, recursive: bool) -> Result<()> {
    at_run_time(&ctx)?;
    let meta = std::fs::symlink_metadata(&path).map_err(|e| fs_error(&ctx, &e))?;
    let r = if meta.is_dir() {
        if !recursive {
            return Err(Exception::throw_message(&ctx, "fs:ERR_FS_EISDIR"));
        }
        std::fs::remove_dir_all(&path)
    } else {
        std::fs::remove_file(&path)
    };
    r.map_err(|e| fs_error(&ctx, &e))
}

/// `fsExists(path)`.
fn exists(ctx: Ctx<'_>, path: String) -> Result<bool> {
    at_run_time(&ctx)?;
    Ok(std::fs::metadata(&path).is_ok())
}

/// Adds the functions above to the natives object.
pub fn register<'js>(ctx: &Ctx<'js>, natives: &Object<'js>) -> Result<()> {
    natives.set("envVars", Function::new(ctx.clone(), env_vars)?)?;
    natives.set("argv", Function::new(ctx.clone(), argv)?)?;
    natives.set("stdinRead", Function::new(ctx.clone(), stdin_read)?)?;
    #[cfg(feature = "cli")]
    {
        natives.set("stdinTryRead", Function::new(ctx.clone(), stdin_try_read)?)?;
        natives.set("stdinReady", Function::new(ctx.clone(), stdin_ready)?)?;
        natives.set("stdinCancel", Function::new(ctx.clone(), stdin_cancel)?)?;
    }
    #[cfg(feature = "cli")]
    natives.set("exit", Function::new(ctx.clone(), exit)?)?;
    natives.set("fsReadFile", Function::new(ctx.clone(), read_file)?)?;
    natives.set("fsWriteFile", Function::new(ctx.clone(), write_file)?)?;
    natives.set("fsReaddir", Function::new(ctx.clone(), readdir)?)?;
    natives.set("fsStat", Function::new(ctx.clone(), stat)?)?;
    natives.set("fsMkdir", Function::new(ctx.clone(), mkdir)?)?;
    natives.set("fsRm", Function::new(ctx.clone(), rm)?)?;
    natives.set("fsExists", Function::new(ctx.clone(), exists)?)?;
    Ok(())
}
