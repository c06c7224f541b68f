// Prints the text given as arguments compressed by CompressionStream in
// each format, as hex, one line per format: cli/tests/conformance.rs has
// node's zlib decompress them (this engine's deflate is not zlib's, so the
// bytes cannot be compared, only read back by an independent inflater).
const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

export async function main(args) {
  const text = args.join(" ").repeat(50);
  for (const format of ["gzip", "deflate", "deflate-raw"]) {
    const packed = await new Response(new Blob([text]).stream().pipeThrough(new CompressionStream(format))).bytes();
    console.log(format, hex(packed));
  }
}
