// TextEncoder / TextDecoder: UTF-8 round trips, multi-byte characters,
// surrogate pairs, lone surrogates (U+FFFD), BOM, streaming decode, encodeInto.
// args: ñandú 🦀

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");

export function main(args) {
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  console.log("encoding:", enc.encoding, dec.encoding);
  for (const s of ["A", "é", "€", "😀", "héllo wörld", ...args]) {
    const bytes = enc.encode(s);
    console.log(JSON.stringify(s), "->", bytes.length, "bytes:", hex(bytes), "round trip:", dec.decode(bytes) === s);
  }
  console.log("empty:", enc.encode().length, JSON.stringify(dec.decode()));
  console.log("lone surrogate:", hex(enc.encode("a\ud800b")));
  console.log("invalid utf-8:", JSON.stringify(dec.decode(new Uint8Array([0x61, 0xff, 0x62, 0xc3]))));
  // One U+FFFD per maximal subpart (the Encoding standard), as node does.
  for (const bytes of [
    [0xe2, 0x82, 0x41], // truncated, then ASCII
    [0xc0, 0x80], // overlong
    [0xed, 0xa0, 0x80], // a surrogate's code point
    [0xf0, 0x9f, 0xa6], // truncated at the end
    [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
    [0x80, 0xbf, 0xfe],
  ]) {
    console.log("invalid:", hex(bytes), JSON.stringify(dec.decode(new Uint8Array(bytes))));
  }
  console.log("lone surrogates:", hex(enc.encode("\udc00x\ud83d")), hex(enc.encode("\ud83d\ude00")));
  const held = new TextDecoder("utf-8", { fatal: true });
  console.log("fatal, streamed:", JSON.stringify(held.decode(new Uint8Array([0x68, 0xf0, 0x9f]), { stream: true })),
    JSON.stringify(held.decode(new Uint8Array([0xa6, 0x80]))));
  console.log("BOM stripped:", JSON.stringify(dec.decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0x69]))));
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array([0xc3, 0x28]));
    console.log("fatal: no error?!");
  } catch (e) {
    console.log("fatal:", e.name);
  }
  const euro = enc.encode("€uro");
  const streaming = new TextDecoder();
  const parts = [euro.subarray(0, 1), euro.subarray(1, 2), euro.subarray(2)].map((c) =>
    streaming.decode(c, { stream: true }),
  );
  parts.push(streaming.decode());
  console.log("streaming:", JSON.stringify(parts));
  const target = new Uint8Array(5);
  const r = enc.encodeInto("a€b", target);
  console.log("encodeInto:", r.read, r.written, hex(target));
  const dv = new DataView(enc.encode("xyz").buffer);
  console.log("from DataView:", dec.decode(dv));
}
