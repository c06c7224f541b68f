// Imports a node built-in jspkg does not provide: a clear build error.
import { execSync } from "node:child_process";
export function main() {
  console.log(execSync("true"));
}
