// Blob and File: parts of every kind (strings, buffers, views, blobs),
// types lowercased or dropped, `endings`, slice with negative and clamped
// indices, text/arrayBuffer/bytes/stream, File's name and lastModified,
// console.log and structuredClone of them, and node's errors.
// args: from-args

function attempt(label, f) {
  try {
    console.log(label, "->", f());
  } catch (e) {
    console.log(label, "throws", e.name, e.code ?? "", e.message);
  }
}

export async function main([arg]) {
  const b = new Blob(["héllo ", new Uint8Array([0x77, 0x6f]), new Uint16Array([0x6c72]).buffer, new DataView(new Uint8Array([0x64]).buffer), new Blob([" ", arg])], { type: "Text/Plain;Charset=UTF-8" });
  console.log(b);
  console.log("size/type:", b.size, JSON.stringify(b.type));
  console.log("text:", await b.text());
  console.log("bytes:", (await b.bytes()).join(","), (await b.bytes()) instanceof Uint8Array);
  console.log("arrayBuffer:", await b.slice(0, 6).arrayBuffer());
  console.log("tag:", Object.prototype.toString.call(b), String(b), b instanceof Blob);
  console.log("empty:", new Blob(), new Blob([]).size, JSON.stringify(await new Blob().text()));
  console.log("non-ascii type dropped:", JSON.stringify(new Blob([], { type: "a/é" }).type));
  console.log("endings:", new Blob(["a\r\nb\rc\n"], { endings: "native" }).size, new Blob(["a\r\nb\rc\n"]).size);
  console.log("lone surrogate:", await new Blob(["\ud800x"]).bytes());

  const s = new Blob(["abcdefgh"]);
  for (const [from, to, type] of [[2, 5], [-3], [-3, -1, "X/Y"], [5, 2], [undefined, 100], [-100, 3]]) {
    const part = s.slice(from, to, type);
    console.log("slice", from, to, type, "->", JSON.stringify(await part.text()), JSON.stringify(part.type), part.size);
  }

  const reader = b.stream().getReader();
  const chunks = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(...value);
  }
  console.log("stream:", new TextDecoder().decode(new Uint8Array(chunks)));

  const f = new File(["file ", b], "notes.txt", { type: "text/markdown", lastModified: 1700000000000 });
  console.log(f);
  console.log("file:", f.name, f.size, f.type, f.lastModified, f instanceof Blob, f instanceof File, Object.prototype.toString.call(f));
  console.log("file text:", await f.text());
  const now = Date.now();
  const g = new File([], 42);
  console.log("file defaults:", JSON.stringify(g.name), g.type === "", g.lastModified >= now - 1000 && g.lastModified <= Date.now() + 1000);
  console.log("sliced file is a Blob:", f.slice(0, 4) instanceof File, f.slice(0, 4) instanceof Blob);

  const c = structuredClone(b);
  console.log("clone:", c, c !== b, await c.text());
  console.log("nested:", [b, { f: new Blob(["x"]) }]);

  attempt("new Blob(5)", () => new Blob(5));
  attempt("new Blob('str')", () => new Blob("str"));
  attempt("endings bogus", () => new Blob([], { endings: "bogus" }));
  attempt("new File([])", () => new File([]));
  console.log("lengths:", Blob.length, File.length, Blob.name, File.name);
}
