// Request.signal: a fresh request's never-aborted signal (the same object
// each time), init.signal followed (already aborted, aborted later, its
// reason), a request made from another or cloned follows the same signal,
// `signal: null` follows none, a signal that is not an AbortSignal is a
// TypeError, and fetch of a request whose signal is aborted rejects with
// its reason before anything is sent.
// args: my-reason

const show = (s) => `aborted=${s.aborted} reason=${typeof s.reason === "object" && s.reason !== null ? `${s.reason.name}/${s.reason.message}` : String(s.reason)}`;

export async function main([reason]) {
  const plain = new Request("http://example.test/");
  console.log("plain:", plain.signal instanceof AbortSignal, plain.signal === plain.signal, show(plain.signal));

  const c = new AbortController();
  const r = new Request("http://example.test/a", { signal: c.signal });
  const fromR = new Request(r);
  const clone = r.clone();
  const unlinked = new Request(r, { signal: null });
  const events = [];
  r.signal.addEventListener("abort", () => events.push("r"));
  clone.signal.addEventListener("abort", () => events.push("clone"));
  console.log("before:", show(r.signal), show(fromR.signal), show(clone.signal), r.signal === c.signal);
  c.abort(reason);
  console.log("after:", show(r.signal), show(fromR.signal), show(clone.signal), show(unlinked.signal), events);

  const early = new Request("http://example.test/b", { signal: AbortSignal.abort("early") });
  console.log("pre-aborted:", show(early.signal), show(new Request(early).signal));
  const d = new AbortController();
  d.abort();
  console.log("default reason:", show(new Request("http://example.test/c", { signal: d.signal }).signal));

  for (const bad of ["x", {}, 1]) {
    try {
      new Request("http://example.test/", { signal: bad });
      console.log("accepted", bad);
    } catch (e) {
      console.log("signal", JSON.stringify(bad), "->", e.name);
    }
  }

  try {
    await fetch(new Request("http://127.0.0.1:9/", { signal: AbortSignal.abort(reason) }));
    console.log("fetch resolved");
  } catch (e) {
    console.log("fetch rejects with the reason:", e === reason || e, typeof e);
  }
  try {
    const g = new AbortController();
    const req = new Request("http://127.0.0.1:9/", { signal: g.signal });
    g.abort("later");
    await fetch(req);
    console.log("fetch resolved");
  } catch (e) {
    console.log("fetch of a request aborted after it was made:", e);
  }
  return 0;
}
