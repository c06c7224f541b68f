// reportError (not in node 20; Deno's and the browsers' behaviour): the
// error is reported as uncaught once the call has run; the code after the
// call still runs, and the run ends with exit code 1.
export function main() {
  console.log("typeof reportError:", typeof reportError);
  reportError(new RangeError("reported, not thrown"));
  console.log("still running after reportError");
  return 0;
}
