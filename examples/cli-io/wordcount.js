// A CLI app doing real work with node's API, the same file under node and
// jspkg: reads stdin, an environment variable, a file in a directory the
// host granted; writes, appends, lists, stats and removes files there; and
// reports node's errors for a missing file, a path outside the granted
// directory, a directory where a file is wanted, ...
//
//   jspkg run wordcount.wasm --env GREETING=hi --dir ./data::/data -- /data < text.txt
//   node tests/node-main.mjs examples/cli-io/wordcount.js ./data < text.txt
import { readFile, writeFile, appendFile, readdir, stat, mkdir, rm } from "node:fs/promises";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import process from "node:process";

export async function main([dir]) {
  const rel = (s) => String(s).split(dir).join("DIR");
  const failure = (e) => `${e.code} ${e.syscall ?? ""} ${rel(e.message)}`;

  process.stdin.setEncoding("utf8");
  let input = "";
  for await (const chunk of process.stdin) input += chunk;
  const words = input.split(/\s+/).filter(Boolean);
  console.log(`stdin: ${input.length} chars, ${words.length} words, ${input.split("\n").length - 1} lines`);
  console.log("env GREETING:", process.env.GREETING, "| unset:", process.env.JSPKG_UNSET_VARIABLE, "|", "GREETING" in process.env);
  console.log("last of argv:", rel(process.argv.at(-1)), process.argv.length >= 3);

  const stopwords = (await readFile(`${dir}/stopwords.txt`, "utf8")).split("\n").filter(Boolean);
  const counts = new Map();
  for (const w of words.map((w) => w.toLowerCase().replace(/[^a-z0-9']/g, "")).filter((w) => w && !stopwords.includes(w))) {
    counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5);
  console.log("top words:", JSON.stringify(top));

  console.log("mkdir -p:", rel(await mkdir(`${dir}/out/reports`, { recursive: true })), rel(await mkdir(`${dir}/out/reports`, { recursive: true })));
  await writeFile(`${dir}/out/reports/top.json`, JSON.stringify({ greeting: process.env.GREETING, top }, null, 2) + "\n");
  await appendFile(`${dir}/out/log.txt`, "first run\n");
  await appendFile(`${dir}/out/log.txt`, `counted ${words.length} words\n`);
  writeFileSync(`${dir}/out/bytes.bin`, new Uint8Array([104, 105, 0x21]));
  console.log("read back:", JSON.stringify(readFileSync(`${dir}/out/log.txt`, "utf8")), readFileSync(`${dir}/out/bytes.bin`, "latin1"));
  const bytes = await readFile(`${dir}/out/bytes.bin`);
  console.log("bytes:", bytes instanceof Uint8Array, bytes.length, Array.from(bytes).join(","));
  console.log("exists:", existsSync(`${dir}/out/log.txt`), existsSync(`${dir}/out/none.txt`), existsSync("/not-granted/anything"));
  const listing = (await readdir(`${dir}/out`, { withFileTypes: true }))
    .map((d) => `${d.name}${d.isDirectory() ? "/" : ""}`)
    .sort();
  console.log("ls out:", listing.join(" "), "| names:", (await readdir(`${dir}/out`)).sort().join(" "));
  const st = await stat(`${dir}/out/reports/top.json`);
  console.log("stat:", st.size, st.isFile(), st.isDirectory(), typeof st.mtimeMs, st.mtime instanceof Date, (await stat(`${dir}/out`)).isDirectory());

  const attempts = [
    ["readFile missing", () => readFile(`${dir}/missing.txt`, "utf8")],
    ["readdir of a file", () => readdir(`${dir}/stopwords.txt`)],
    ["mkdir existing", () => mkdir(`${dir}/out`)],
    ["rm a directory", () => rm(`${dir}/out`)],
    ["stat missing", () => stat(`${dir}/nope`)],
    ["readFileSync missing", async () => readFileSync(`${dir}/nope.txt`)],
  ];
  for (const [label, f] of attempts) {
    try {
      await f();
      console.log(label, "succeeded");
    } catch (e) {
      console.log(label, "->", failure(e), e instanceof Error, typeof e.errno);
    }
  }
  // Outside the granted directory: node finds no such file; jspkg's app
  // has no access there at all. Either is node's error shape.
  try {
    await readFile("/not-granted/secret.txt", "utf8");
  } catch (e) {
    const shape = /^(ENOENT|EACCES): [a-z ]+, open '\/not-granted\/secret\.txt'$/.test(e.message);
    console.log("outside the granted directory ->", ["ENOENT", "EACCES"].includes(e.code), shape, e.syscall, e.path);
  }
  await rm(`${dir}/out/reports`, { recursive: true });
  await rm(`${dir}/out/none.txt`, { force: true });
  console.log("after rm:", (await readdir(`${dir}/out`)).sort().join(" "));
  process.stdout.write("written with process.stdout.write\n");
  if (words.includes("EXIT")) {
    console.log("exiting with 3");
    process.exit(3);
  }
  return 0;
}
