// atob and btoa: round trips of every byte value, whitespace and padding
// forgiven, and node's errors: a DOMException named InvalidCharacterError
// (code 5) for characters outside the alphabet, misplaced `=` and a length
// that cannot be base64; ERR_MISSING_ARGS without an argument.
// args: aGVsbG8gd29ybGQ= jspkg

function attempt(label, f) {
  try {
    console.log(label, "->", JSON.stringify(f()));
  } catch (e) {
    console.log(label, "throws", e.name, e.message, e.code, e instanceof DOMException, e instanceof Error);
  }
}

export function main([encoded, plain]) {
  attempt("atob(arg)", () => atob(encoded));
  attempt("btoa(arg)", () => btoa(plain));
  let all = "";
  for (let i = 0; i < 256; i++) all += String.fromCharCode(i);
  const b = btoa(all);
  console.log("all bytes:", b.length, b.slice(0, 40), b.slice(-20), atob(b) === all);
  for (let n = 0; n <= 7; n++) {
    const s = all.slice(100, 100 + n);
    console.log("length", n, JSON.stringify(btoa(s)), atob(btoa(s)) === s);
  }
  const cases = [
    "", "YQ", "YQ=", "YQ==", "YWI", "YWI=", "YWJj", " Y W\tJ\nj\f\r", "YR==", "YS==", "Y", "YWJjZ", "YWJjZA",
    "YQ===", "Y===", "=", "==", "YQ=a", "Y=Q=", "YW=I", "aGk=aGk=", "a-b_", "abc\u00e9", "ab\u0100c", "YWJj\u00a0",
    "YQ\v==", "////", "++++", "AAAA", "YW Jj ZA==",
  ];
  for (const c of cases) attempt(`atob(${JSON.stringify(c)})`, () => atob(c));
  attempt("atob(null)", () => atob(null));
  attempt("atob(undefined)", () => atob(undefined));
  attempt("atob(12345678)", () => atob(12345678));
  attempt("atob({toString})", () => atob({ toString: () => "b2s=" }));
  attempt("atob()", () => atob());
  attempt("btoa()", () => btoa());
  attempt("btoa(null)", () => btoa(null));
  attempt("btoa(123)", () => btoa(123));
  attempt("btoa(\"\\u00ff\\u00fe\")", () => btoa("\u00ff\u00fe"));
  attempt("btoa(\"\\u0100\")", () => btoa("\u0100"));
  attempt("btoa(\"😀\")", () => btoa("😀"));
  const big = "x".repeat(100000) + "yz";
  console.log("big:", btoa(big).length, atob(btoa(big)) === big);
  const utf8 = new TextEncoder().encode("ünï😀");
  const bin = String.fromCharCode(...utf8);
  console.log("utf-8 via binary string:", btoa(bin), new TextDecoder().decode(Uint8Array.from(atob(btoa(bin)), (c) => c.charCodeAt(0))));
  return 0;
}
