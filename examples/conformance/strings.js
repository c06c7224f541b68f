// Strings and regular expressions, with Intl-free formatting only (no
// toLocaleString, no Intl): padding, number formatting, named groups,
// lookbehind, sticky and unicode flags, replace callbacks, matchAll.
// args: Grüße
// args:

const template = (strings, ...values) =>
  strings.reduce((acc, s, i) => acc + s + (i < values.length ? `[${values[i]}]` : ""), "");

export function main(args) {
  const name = args[0] ?? "world";
  console.log(`${name.toUpperCase()} ${name.length} ${[...name].length} ${name.at(-1)}`);
  console.log("pad:", "7".padStart(3, "0"), "x".padEnd(4, "-") + "|", "abc".repeat(3));
  console.log("trim:", JSON.stringify("  \t spaced \n ".trim()), JSON.stringify(" a ".trimStart()));
  console.log("split/join:", "a,b,,c".split(",").join("|"), "a1b2c3".split(/\d/).join("+"));
  console.log("slice:", "JavaScript".slice(-6, -2), "JavaScript".substring(4, 0), "JavaScript".indexOf("S"));
  console.log("includes:", "hello".includes("ell"), "hello".startsWith("he"), "hello".endsWith("lo!"));
  console.log("replaceAll:", "a.b.c".replaceAll(".", "/"), "aaa".replace(/a/g, (m, i) => i));
  console.log("fixed:", (1234.5678).toFixed(2), (0.000001234).toPrecision(3), (255).toString(16), (255).toString(2));
  console.log("exp:", (123456).toExponential(2), Number("0x1f"), parseInt("08"), parseFloat("3.14abc"));
  console.log("numbers:", 1 / 3, 2 ** 53 + 1, 1e21, 1e-7, -1.5e-10, 100 / 7, 0.1 * 3);
  console.log("edge:", Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, Number.EPSILON > 0, (25).toString(36));
  console.log("round:", Math.round(2.5), Math.round(-2.5), Math.trunc(-4.7), Math.sign(-3), Math.hypot(3, 4));

  const date = /(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})/u;
  const m = "released on 2024-02-29, patched".match(date);
  console.log("named groups:", m.groups.year, m.groups.month, m.groups.day, m.index);
  console.log("swap:", "2024-02-29".replace(date, "$<day>/$<month>/$<year>"));
  console.log("lookbehind:", "price: $42, cost: $7".match(/(?<=\$)\d+/g).join(","));
  console.log("lookahead:", "foo1 bar2 baz".match(/\b\w+(?=\d)/g).join(","));
  const sticky = /\d+/y;
  sticky.lastIndex = 3;
  console.log("sticky:", sticky.exec("abc123def")[0], sticky.lastIndex);
  console.log("unicode:", /^.$/u.test("😀"), /^.$/.test("😀"), "😀".length, "😀".codePointAt(0).toString(16));
  console.log("property escapes:", "Ünïcödé and ASCII".match(/\p{Lu}/gu).join(""));
  const all = [..."k1=v1;k2=v2;k3=v3".matchAll(/(\w+)=(\w+)/g)].map((x) => `${x[2]}<-${x[1]}`);
  console.log("matchAll:", all.join(" "));
  console.log("flags:", /x/gimsuy.flags, new RegExp("a+b", "g").source, String(/a\/b/));
  console.log("case-insensitive:", "HeLLo".replace(/l+/i, "_"), "ǅ".toLowerCase(), "ß".toUpperCase());
  console.log("normalize:", "e\u0301" === "é", "e\u0301".normalize() === "é", "é".normalize("NFD").length);
  console.log("tagged:", template`a${1}b${"two"}c`, String.raw`\n${1}\t`);
  console.log("charCodes:", String.fromCharCode(72, 105), String.fromCodePoint(0x1f600), "A".charCodeAt(0));
  console.log("compare:", "a" < "b", "B" < "a", "10" < "9", ["b", "a", "C", "é"].sort().join(""));
  console.log("escape:", encodeURIComponent("a b&c=d/é"), decodeURIComponent("%E2%98%83"), encodeURI("http://x/a b"));
  console.log("json-ish:", JSON.stringify({ s: "line1\nline2" }), String(null), String([1, [2, 3]]));
}
