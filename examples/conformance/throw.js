// A synchronous throw from main, a few frames deep: message and stack on
// stderr, exit code 1, and what was printed before stays on stdout.
// args: fine alright

class ValidationError extends Error {
  constructor(message) {
    super(message);
    this.name = "ValidationError";
  }
}

function validate(input) {
  if (!/^[a-z]+$/.test(input)) throw new ValidationError(`invalid input: ${JSON.stringify(input)}`);
  return input;
}

export function main(args) {
  console.log("validating", args.length, "args");
  for (const a of ["ok", ...args, "Not OK!"]) console.log("valid:", validate(a));
}
