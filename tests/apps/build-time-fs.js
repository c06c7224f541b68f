// Reads a file at the top level, i.e. at build time: refused.
import { readFileSync } from "node:fs";
const hostname = readFileSync("/etc/hostname", "utf8");
export function main() {
  console.log(hostname);
}
