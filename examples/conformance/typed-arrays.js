// Typed arrays, ArrayBuffer and DataView: endianness, overflow wrapping,
// clamping, subarray sharing, float bit patterns.

const table = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  table[n] = c >>> 0;
}
function crc32(bytes) {
  let crc = 0xffffffff;
  for (const b of bytes) crc = table[(crc ^ b) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

export function main() {
  const u8 = new Uint8Array([1, 2, 250, 255]);
  u8[0] = 257; // wraps to 1
  u8[1] = -1; // wraps to 255
  console.log("u8:", u8.join(","), "length:", u8.length, "bytes:", u8.byteLength);
  const clamped = new Uint8ClampedArray([300, -5, 1.5, 2.5]);
  console.log("clamped:", clamped.join(","));
  const i16 = Int16Array.from([40000, -40000, 32767]);
  console.log("i16:", i16.join(","));

  const f64 = new Float64Array([Math.PI, -0.5, 1e308 * 10, 0.1 + 0.2]);
  console.log("f64:", Array.from(f64).join(" "));
  const f32 = new Float32Array([Math.PI, 16777217]);
  console.log("f32:", f32[0], f32[1]);

  const buf = new ArrayBuffer(16);
  const view = new DataView(buf);
  view.setUint32(0, 0xdeadbeef); // big-endian by default
  view.setUint32(4, 0xdeadbeef, true);
  view.setFloat64(8, 1.5);
  console.log("dataview bytes:", hex(new Uint8Array(buf)));
  console.log(
    "read back:",
    view.getUint32(0).toString(16),
    view.getUint32(4, true).toString(16),
    view.getUint16(0, true).toString(16),
    view.getInt8(0),
    view.getFloat64(8),
  );
  view.setBigUint64(0, 0x0102030405060708n, true);
  console.log("bigint64:", view.getBigUint64(0).toString(16), hex(new Uint8Array(buf, 0, 8)));

  const whole = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]);
  const sub = whole.subarray(2, 5);
  sub[0] = 99;
  const sliced = whole.slice(2, 5);
  sliced[1] = 77;
  console.log("subarray shares:", whole.join(","), "slice copies:", sliced.join(","));
  console.log("sorted:", new Int32Array([5, -3, 10, 1]).sort().join(","));
  console.log("map/filter:", Array.from(new Uint8Array([1, 2, 3, 4]).map((x) => x * 100)).join(","));

  const bits = new Uint8Array(new Float64Array([-2.5]).buffer);
  console.log("float64 bits (little-endian):", hex(bits));
  console.log("crc32:", crc32(new Uint8Array([..."123456789"].map((c) => c.charCodeAt(0)))).toString(16));
  console.log("set/fill:", new Uint16Array(6).fill(7, 1, 3).join(","));
  const target = new Uint8Array(6);
  target.set([9, 8, 7], 2);
  console.log("set offset:", target.join(","));
  console.log("isView:", ArrayBuffer.isView(view), ArrayBuffer.isView(buf));
  console.log(new Uint8Array([1, 2, 3]));
}
