// A timer fires while the app waits for stdin: reading stdin must not
// block the event loop. Prints "tick" after 50 ms, then the first line of
// stdin, then stops reading (stdin may stay open: a closed readline does
// not keep the app alive).
import readline from "node:readline";

export function main() {
  setTimeout(() => console.log("tick"), 50);
  const rl = readline.createInterface({ input: process.stdin });
  rl.once("line", (line) => {
    console.log(`line: ${line}`);
    rl.close();
  });
}
