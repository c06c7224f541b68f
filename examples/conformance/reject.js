// An async main whose promise rejects: the rejection is uncaught, so the
// message and stack go to stderr and the exit code is 1. What was printed
// before stays on stdout.
// args: prod

async function fetchConfig(name) {
  await Promise.resolve();
  throw new TypeError(`config ${name} not found`);
}

export async function main(args) {
  console.log("loading", args[0] ?? "default");
  const cfg = await fetchConfig(args[0] ?? "default");
  console.log("never printed", cfg);
}
