// Top-level code runs at build time, when no request may go out: jspkg
// build refuses fetch here, with the line that called it.
const config = await fetch("http://127.0.0.1:1/config.json").then((r) => r.json());

export function main() {
  console.log(config);
}
