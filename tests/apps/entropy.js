// Randomness and time must come from the running instance, never from the
// build-time snapshot. Prints one JSON line; the test runs the built app
// twice and checks that the run-time values differ between runs and that the
// clock reads the current time. The build-time values are printed too:
// they are frozen in the snapshot by design (top-level code runs at build).

const atBuild = { random: Math.random(), now: Date.now() };

export function main() {
  const bytes =
    typeof crypto !== "undefined" && crypto.getRandomValues
      ? Array.from(crypto.getRandomValues(new Uint8Array(16)))
      : null;
  console.log(
    JSON.stringify({
      random: [Math.random(), Math.random(), Math.random()],
      now: Date.now(),
      date: new Date().toISOString(),
      bytes,
      atBuild,
    }),
  );
}
