// AbortSignal.timeout(ms) with timers: the signal aborts with a
// DOMException named TimeoutError (code 23) once `ms` have passed, and its
// listeners run. Needs setTimeout: an engine without timers prints
// "timers: missing" and AbortSignal.timeout's error (the test skips it).

export async function main() {
  if (typeof setTimeout !== "function") {
    console.log("timers: missing");
    try {
      AbortSignal.timeout(10);
    } catch (e) {
      console.log(e.name, e.message);
    }
    return 0;
  }
  console.log("timers: present");
  const signal = AbortSignal.timeout(10);
  const events = [];
  signal.addEventListener("abort", (e) => events.push(`${e.type} trusted=${e.isTrusted}`));
  console.log("at once:", signal.aborted, signal.reason);
  // node's timeout timer does not keep a process alive: wait on our own.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const r = signal.reason;
  console.log("later:", signal.aborted, r instanceof DOMException, r.name, r.message, r.code, events);
  try {
    signal.throwIfAborted();
  } catch (e) {
    console.log("throwIfAborted:", e === r);
  }
  return 0;
}
