// Waits a minute on a timer: the time limit (`--timeout`) counts waiting too.
export async function main() {
  console.log("waiting");
  await new Promise((resolve) => setTimeout(resolve, 60_000));
  console.log("never: stopped by the time limit");
}
