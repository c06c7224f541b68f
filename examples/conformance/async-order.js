// An async main: awaited promises, microtask ordering (then vs await vs
// queueMicrotask), Promise combinators, async iteration, thenables.
// args: 4

const log = [];
const tick = (label) => log.push(label);

async function inner(label) {
  tick(`${label}:start`);
  await null;
  tick(`${label}:after-await`);
  return label.toUpperCase();
}

async function* countdown(n) {
  while (n > 0) {
    await Promise.resolve();
    yield n--;
  }
}

export async function main(args) {
  tick("sync-1");
  Promise.resolve().then(() => tick("then-1")).then(() => tick("then-2"));
  queueMicrotask(() => tick("microtask"));
  const p = inner("a");
  Promise.reject(new Error("handled")).catch((e) => tick(`catch:${e.message}`));
  tick("sync-2");
  const a = await p;
  tick(`awaited:${a}`);
  await Promise.resolve();
  await Promise.resolve();
  console.log(log.join(" | "));

  const all = await Promise.all([1, Promise.resolve(2), inner("b"), { then: (r) => r("thenable") }]);
  console.log("all:", JSON.stringify(all));
  const settled = await Promise.allSettled([Promise.reject(new TypeError("nope")), 5]);
  console.log(
    "allSettled:",
    settled.map((s) => (s.status === "fulfilled" ? `ok:${s.value}` : `err:${s.reason.name}`)).join(","),
  );
  const first = await Promise.race([new Promise(() => {}), Promise.resolve("race-winner")]);
  const any = await Promise.any([Promise.reject(new Error("x")), Promise.resolve("any-winner")]);
  console.log("race:", first, "any:", any);
  try {
    await Promise.any([Promise.reject(new Error("e1")), Promise.reject(new Error("e2"))]);
  } catch (e) {
    console.log("any rejected:", e.constructor.name, e.errors.map((x) => x.message).join("+"));
  }

  const seen = [];
  for await (const n of countdown(Number(args[0] ?? 3))) seen.push(n);
  console.log("for await:", seen.join(","));

  const { promise, resolve } = Promise.withResolvers
    ? Promise.withResolvers()
    : (() => {
        let resolve;
        const promise = new Promise((r) => (resolve = r));
        return { promise, resolve };
      })();
  resolve("resolved later");
  console.log("withResolvers:", await promise);

  let chained = 0;
  for (let i = 0; i < 1000; i++) chained = await Promise.resolve(chained + i);
  console.log("1000 awaits:", chained);
  return 0;
}
