// Reads stdin line by line, as node CLI tools do, and prints what it read:
// the number of lines, their total length, the first and last few lines
// and every line with a character beyond ASCII. args[0] says how:
// "iterate" (`for await (const line of readline.createInterface(...))`),
// "events" (readline's "line" and "close" events) or "data"
// (process.stdin's "data" and "end" events after setEncoding("utf8"),
// split by the app).
import readline from "node:readline";

function summary(lines) {
  return JSON.stringify({
    count: lines.length,
    chars: lines.reduce((n, l) => n + l.length, 0),
    head: lines.slice(0, 4),
    tail: lines.slice(-3),
    beyondAscii: lines.filter((l) => /[^\x00-\x7f]/.test(l)).slice(0, 5),
  });
}

export async function main(args) {
  const mode = args[0] ?? "iterate";
  const lines = [];
  if (mode === "data") {
    let text = "";
    process.stdin.setEncoding("utf8");
    await new Promise((resolve, reject) => {
      process.stdin.on("data", (chunk) => (text += chunk));
      process.stdin.on("end", resolve);
      process.stdin.on("error", reject);
    });
    for (const line of text.split("\n")) lines.push(line);
  } else {
    const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
    if (mode === "events") {
      await new Promise((resolve) => {
        rl.on("line", (line) => lines.push(line));
        rl.on("close", resolve);
      });
    } else {
      for await (const line of rl) lines.push(line);
    }
  }
  console.log(`${mode}: ${summary(lines)}`);
}
