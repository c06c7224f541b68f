// atob and btoa (HTML's "forgiving-base64"), globals in every world, with
// node's errors: a DOMException named InvalidCharacterError for a character
// outside the alphabet, a misplaced `=` or a length that cannot be base64,
// and ERR_MISSING_ARGS when called without an argument. Evaluated at build
// time after web.js, with the natives and hooks (neither is needed here).
(function (native, hooks) {
  "use strict";

  const define = (obj, name, value) =>
    Object.defineProperty(obj, name, { value, writable: true, configurable: true, enumerable: false });

  const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  // Code unit -> 6-bit value; -1 for anything else.
  const VALUE = new Int8Array(128).fill(-1);
  for (let i = 0; i < 64; i++) VALUE[ALPHABET.charCodeAt(i)] = i;
  const ASCII_WHITESPACE = /[\t\n\f\r ]/g;

  function missingInput() {
    const e = new TypeError('The "input" argument must be specified');
    e.code = "ERR_MISSING_ARGS";
    return e;
  }

  const invalid = (message = "Invalid character") => new DOMException(message, "InvalidCharacterError");

  function atob(input) {
    if (arguments.length === 0) throw missingInput();
    let s = String(input).replace(ASCII_WHITESPACE, "");
    // A `=` is padding only at the end, at most two, and only when the
    // length is a multiple of four.
    const firstPad = s.indexOf("=");
    if (firstPad >= 0) {
      const pads = s.length - firstPad;
      if (pads > 2 || s.slice(firstPad) !== "=".repeat(pads) || s.length % 4 !== 0) throw invalid();
      s = s.slice(0, firstPad);
    }
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 128 || VALUE[c] < 0) throw invalid();
    }
    if (s.length % 4 === 1) throw invalid("The string to be decoded is not correctly encoded.");
    let out = "";
    let chunk = [];
    for (let i = 0; i < s.length; i += 4) {
      const n = s.length - i;
      const a = VALUE[s.charCodeAt(i)];
      const b = VALUE[s.charCodeAt(i + 1)];
      const c = n > 2 ? VALUE[s.charCodeAt(i + 2)] : 0;
      const d = n > 3 ? VALUE[s.charCodeAt(i + 3)] : 0;
      const bits = (a << 18) | (b << 12) | (c << 6) | d;
      chunk.push(bits >> 16);
      if (n > 2) chunk.push((bits >> 8) & 0xff);
      if (n > 3) chunk.push(bits & 0xff);
      if (chunk.length >= 8192) {
        out += String.fromCharCode.apply(null, chunk);
        chunk = [];
      }
    }
    return out + String.fromCharCode.apply(null, chunk);
  }

  function btoa(input) {
    if (arguments.length === 0) throw missingInput();
    const s = String(input);
    let out = "";
    let chunk = "";
    for (let i = 0; i < s.length; i += 3) {
      const a = s.charCodeAt(i);
      const b = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      const c = i + 2 < s.length ? s.charCodeAt(i + 2) : 0;
      if (a > 0xff || b > 0xff || c > 0xff) throw invalid();
      const bits = (a << 16) | (b << 8) | c;
      chunk += ALPHABET[bits >> 18] + ALPHABET[(bits >> 12) & 63];
      chunk += i + 1 < s.length ? ALPHABET[(bits >> 6) & 63] : "=";
      chunk += i + 2 < s.length ? ALPHABET[bits & 63] : "=";
      if (chunk.length >= 8192) {
        out += chunk;
        chunk = "";
      }
    }
    return out + chunk;
  }

  define(globalThis, "atob", atob);
  define(globalThis, "btoa", btoa);
});
