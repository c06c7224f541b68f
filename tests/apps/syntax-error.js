// A syntax error at a known place (line 6). `jspkg build` must report it as
// syntax-error.js:LINE:COL, at the place node (V8) reports.
export function main() {
  const ok = 1;
  const alsoOk = ok + 1;
  const broken = alsoOk * ;
  return broken;
}
