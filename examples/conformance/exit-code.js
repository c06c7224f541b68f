// A number returned from main is the exit code (here 3, or the first argument).
// args:
// args: 42

export function main(args) {
  console.log("exiting with", args[0] ?? "3");
  return args.length > 0 ? Number(args[0]) : 3;
}
