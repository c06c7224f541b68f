// Prints a line, waits a moment (the engine writes its output out before
// it waits), then never returns: the line must survive the host's time
// limit.
export async function main() {
  console.log("started");
  await new Promise((resolve) => setTimeout(resolve, 10));
  let n = 0;
  for (;;) n++;
}
