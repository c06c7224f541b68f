// What an app sees of the environment: only what `jspkg run --env` passes,
// and nothing at build time (top-level code runs inside `jspkg build`).
const atBuild = JSON.stringify(process.env);
const kept = process.env; // the same live object at run time

export function main() {
  console.log("build time:", atBuild);
  console.log("run time:", JSON.stringify(process.env));
  console.log("kept reference:", JSON.stringify(kept), kept === process.env);
  return 0;
}
