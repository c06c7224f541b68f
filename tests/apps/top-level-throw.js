// Top-level code throws while the app is being built (pre-initialized):
// `jspkg build` must fail with the message and a stack, and write no output.

function loadConfiguration(source) {
  if (!source.includes("=")) throw new TypeError(`malformed configuration: ${source}`);
  return Object.fromEntries([source.split("=")]);
}

export const config = loadConfiguration("no equals sign here");

export function main() {
  console.log(JSON.stringify(config));
}
