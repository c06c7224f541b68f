//! The event loop of one call, on `wasi:io/poll`: microtasks, timers
//! (`timers.js`, on `wasi:clocks/monotonic-clock` pollables) and pending
//! I/O ([`io`]: a pollable and what to run when it is ready), as
//! StarlingMonkey runs its loop on WASI 0.2.
//!
//! One turn: drain the microtask queue; stop if the caller is done or
//! nothing is pending; otherwise block in one `poll` over the earliest
//! timer's deadline and every I/O pollable, then run the timers that are
//! due (one callback at a time, the microtask queue drained after each, as
//! node does) and the I/O tasks that are ready.
//!
//! Waiting counts against the host's time limit like computing does: the
//! host stops a call that takes too long, whatever it is doing.

use crate::bindings::wasi::clocks::monotonic_clock;
use crate::bindings::wasi::io::poll::{self, Pollable};
use crate::engine::{call_hook, drain_jobs, take_unhandled};
use rquickjs::{CatchResultExt, CaughtError, Ctx, Object};
use std::cell::RefCell;

/// The monotonic clock in milliseconds (what `timers.js` counts in).
pub fn now_ms() -> f64 {
    monotonic_clock::now() as f64 / 1e6
}

/// Pending I/O: pollables the loop waits on, each with the task to run
/// once it is ready. Natives (streams, fetch) add tasks; a task that is not
/// finished adds itself again.
pub mod io {
    use super::*;

    /// What to do when the pollable is ready: runs inside the engine's
    /// context; an error is reported as an uncaught exception.
    pub type Task = Box<dyn for<'js> FnOnce(&Ctx<'js>) -> rquickjs::Result<()>>;

    /// Names one wait, to [`cancel`] it.
    #[derive(Clone, Copy, PartialEq, Eq, Debug)]
    pub struct Token(u64);

    thread_local! {
        pub(super) static PENDING: RefCell<Vec<(Pollable, Task, Token)>> = const { RefCell::new(Vec::new()) };
        static NEXT: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    }

    /// Runs `task` once `pollable` is ready.
    pub fn wait(pollable: Pollable, task: Task) -> Token {
        let token = Token(NEXT.get());
        NEXT.set(token.0 + 1);
        PENDING.with_borrow_mut(|p| p.push((pollable, task, token)));
        token
    }

    /// Gives up a wait that has not run yet (its pollable is dropped, so
    /// the resource it watches may be dropped after it); one that ran or
    /// was cancelled already is ignored.
    pub fn cancel(token: Token) {
        let removed = PENDING.with_borrow_mut(|p| {
            p.iter()
                .position(|(_, _, t)| *t == token)
                .map(|i| p.remove(i))
        });
        // Dropped outside the borrow: a task's captures may be JS values.
        drop(removed);
    }

    /// How many tasks wait.
    pub fn pending() -> usize {
        PENDING.with_borrow(Vec::len)
    }
}

/// What to do with an uncaught exception of a timer or I/O callback (or an
/// unhandled rejection).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum OnError {
    /// Stop the loop and hand it to the caller (cli: node exits with 1).
    #[cfg_attr(
        not(feature = "cli"),
        allow(dead_code, reason = "the cli world's rule")
    )]
    Stop,
    /// Print it on stderr and go on (http: the response may still come).
    #[cfg_attr(
        not(feature = "http"),
        allow(dead_code, reason = "the http world's rule")
    )]
    Report,
}

/// Why the loop stopped.
pub enum Stopped<'js> {
    /// The caller's `done` said so.
    Done,
    /// Nothing is pending: no timer, no I/O.
    Idle,
    /// An uncaught exception or unhandled rejection, with [`OnError::Stop`].
    Failed(CaughtError<'js>),
}

/// Runs turns until `done(pending)` is true after a turn (`pending`: a
/// timer or I/O is still waiting) or nothing is left to run.
pub fn run<'js>(
    ctx: &Ctx<'js>,
    hooks: &Object<'js>,
    on_error: OnError,
    mut done: impl FnMut(bool) -> bool,
) -> Stopped<'js> {
    // An error of a callback: stop, or report and go on.
    macro_rules! handle {
        ($e:expr) => {{
            let e = $e;
            match on_error {
                OnError::Stop => return Stopped::Failed(e),
                OnError::Report => crate::engine::print_uncaught(ctx, hooks, e),
            }
        }};
    }
    loop {
        drain_jobs(ctx);
        if let Some(reason) = take_unhandled(ctx) {
            handle!(CaughtError::Value(reason));
        }
        let next: f64 = match call_hook(hooks, "timersNext", ()).catch(ctx) {
            Ok(v) => v.as_number().unwrap_or(-1.0),
            Err(e) => return Stopped::Failed(e),
        };
        let pending = next >= 0.0 || io::pending() > 0;
        if done(pending) {
            return Stopped::Done;
        }
        if !pending {
            return Stopped::Idle;
        }
        // What the app printed is out before it waits (a log line shows
        // up when it happens, and survives a time limit that ends the wait).
        crate::output::flush();
        let ready = wait(next);
        // Timers first (node's order within a turn), then I/O.
        let now = now_ms();
        loop {
            match call_hook(hooks, "timersRun", (now,)).catch(ctx) {
                Ok(v) if v.as_bool() == Some(true) => {}
                Ok(_) => break,
                Err(e) => handle!(e),
            }
            drain_jobs(ctx);
            if let Some(reason) = take_unhandled(ctx) {
                handle!(CaughtError::Value(reason));
            }
        }
        for task in ready {
            if let Err(e) = task(ctx).catch(ctx) {
                handle!(e);
            }
            drain_jobs(ctx);
            if let Some(reason) = take_unhandled(ctx) {
                handle!(CaughtError::Value(reason));
            }
        }
    }
}

/// Blocks until the timer deadline `next` (ms, or < 0: none) passes or an
/// I/O pollable is ready; takes the ready I/O tasks out of the list.
fn wait(next: f64) -> Vec<io::Task> {
    io::PENDING.with_borrow_mut(|pending| {
        let mut timer = None;
        if next >= 0.0 {
            let deadline = (next * 1e6).ceil() as u64;
            if deadline <= monotonic_clock::now() {
                // Due already: nothing to wait for, but ready I/O still runs.
                timer = Some(monotonic_clock::subscribe_duration(0));
            } else {
                timer = Some(monotonic_clock::subscribe_instant(deadline));
            }
        }
        let mut list: Vec<&Pollable> = pending.iter().map(|(p, _, _)| p).collect();
        if let Some(t) = &timer {
            list.push(t);
        }
        let ready = poll::poll(&list);
        let io_count = pending.len() as u32;
        let mut ready_io: Vec<u32> = ready.into_iter().filter(|&i| i < io_count).collect();
        ready_io.sort_unstable();
        // Oldest first; remove from the back so indices stay valid.
        let mut tasks = Vec::with_capacity(ready_io.len());
        for &i in ready_io.iter().rev() {
            let (pollable, task, _) = pending.remove(i as usize);
            drop(pollable);
            tasks.push(task);
        }
        tasks.reverse();
        tasks
    })
}
