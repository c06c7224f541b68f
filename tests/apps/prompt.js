// An interactive prompt: the question shows before the app waits for its
// answer. args[0]: "readline" (node:readline's question), "promises"
// (node:readline/promises) or "sync" (fs.readFileSync(0)).
import fs from "node:fs";
import readline from "node:readline";
import * as readlinePromises from "node:readline/promises";

export async function main(args) {
  const mode = args[0] ?? "readline";
  if (mode === "sync") {
    process.stdout.write("Name? ");
    const name = fs.readFileSync(0, "utf8").trim();
    console.log(`hello ${name}`);
  } else if (mode === "promises") {
    const rl = readlinePromises.createInterface({ input: process.stdin, output: process.stdout });
    const name = await rl.question("Name? ");
    rl.close();
    console.log(`hello ${name}`);
  } else {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
    rl.question("Name? ", (name) => {
      console.log(`hello ${name}`);
      rl.close();
    });
  }
}
