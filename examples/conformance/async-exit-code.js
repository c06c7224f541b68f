// An async main whose promise resolves to a number: that number is the exit code.

export async function main() {
  const code = await new Promise((resolve) => queueMicrotask(() => resolve(7)));
  console.log("resolved exit code", code);
  return code;
}
