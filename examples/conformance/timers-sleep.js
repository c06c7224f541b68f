// A main that awaits timer-based sleeps: in sequence, in parallel
// (Promise.all resolves in input order), raced (the loser is still pending
// when main resolves: the program ends only after it fired), and an async
// loop of sleeps. The exit code is main's.

const sleep = (ms, value) => new Promise((resolve) => setTimeout(resolve, ms, value));

export async function main() {
  const t0 = Date.now();
  console.log("start");
  const v = await sleep(30, "value");
  console.log("slept:", v, "at least 20 ms passed:", Date.now() - t0 >= 20);
  console.log(await Promise.all([sleep(20, "a"), sleep(10, "b"), sleep(5, "c")]));
  const order = [];
  await Promise.all([20, 5, 10, 1].map((ms) => sleep(ms).then(() => order.push(ms))));
  console.log("finished in order", order);
  console.log(await Promise.race([sleep(40, "slow"), sleep(5, "fast")]));
  for (let i = 0; i < 3; i++) {
    await sleep(2);
    console.log("loop", i);
  }
  setTimeout(() => console.log("a timer still pending when main resolves runs before exit"), 15);
  return 3;
}
