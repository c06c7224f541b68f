// FormData: append/set/get/getAll/has/delete, iteration (live), Blobs
// becoming Files with their names, and FormData bodies: written as
// multipart/form-data by Request and Response and read back by
// formData(), urlencoded bodies read by formData(), blob() with the body's
// type, and node's errors for bodies that are neither.
// args: from-args

async function attempt(label, f) {
  try {
    console.log(label, "->", await f());
  } catch (e) {
    console.log(label, "throws", e.name, e.message);
  }
}

const show = (v) => (typeof v === "string" ? JSON.stringify(v) : `${v.constructor.name}(${v.name}, ${JSON.stringify(v.type)}, ${v.size})`);
const dump = (fd) => [...fd].map(([k, v]) => `${k}=${show(v)}`).join(" ");

export async function main([arg]) {
  const fd = new FormData();
  fd.append("name", arg);
  fd.append("multi", "line one\nline two\r\nthree\rfour");
  fd.append("blob", new Blob(["blob bytes"], { type: "application/x-thing" }));
  fd.append("named", new Blob(["<b>hi</b>"], { type: "text/html" }), "page.html");
  fd.append("file", new File(["file bytes"], "orig.txt", { type: "text/plain", lastModified: 1 }));
  fd.append("renamed", new File(["x"], "orig.txt", { lastModified: 2 }), "new.txt");
  fd.append("name", "second");
  fd.append("quote\"d", 'value "with" quotes');
  console.log("entries:", dump(fd));
  console.log("get:", show(fd.get("name")), show(fd.get("blob")), fd.get("missing"));
  console.log("getAll:", fd.getAll("name").map(show).join(","), fd.getAll("missing").length);
  console.log("has:", fd.has("named"), fd.has("nope"));
  console.log("file kept:", fd.get("file").lastModified, fd.get("renamed").lastModified, fd.get("renamed").name);
  fd.set("name", "only");
  fd.delete("quote\"d");
  console.log("set/delete:", dump(fd));
  console.log("keys:", [...fd.keys()].join(","));
  const seen = [];
  fd.forEach(function (v, k, all) {
    seen.push(`${k}:${typeof v}:${all === fd}:${this.tag}`);
  }, { tag: "t" });
  console.log("forEach:", seen.join(" "));
  const it = fd.entries();
  it.next();
  fd.append("late", "added while iterating");
  console.log("live iterator:", [...it].length, Object.prototype.toString.call(it));
  console.log("tag:", Object.prototype.toString.call(fd), FormData.length);
  const small = new FormData();
  small.append("a", "1");
  small.append("b", new File(["two"], "b.bin", { lastModified: 3 }));
  console.log(small);

  // A FormData body is multipart/form-data; formData() reads it back.
  const res = new Response(fd);
  const type = res.headers.get("content-type");
  console.log("content-type:", type.replace(/boundary=.*/, "boundary=…"));
  const back = await res.clone().formData();
  console.log("round trip:", dump(back));
  console.log("round-trip file:", back.get("named") instanceof File, await back.get("named").text(), await back.get("file").text());
  const text = await res.text();
  const boundary = type.split("boundary=")[1];
  console.log("multipart:", JSON.stringify(text.split(boundary).join("BOUNDARY").replace(/-{2}BOUNDARY/g, "--B")));

  const req = new Request("http://example.com/upload", { method: "POST", body: small });
  console.log("request content-type:", req.headers.get("content-type").startsWith("multipart/form-data; boundary="));
  console.log("request round trip:", dump(await req.formData()));

  // Bodies written by others: a hand-written multipart body (quoted
  // boundary, lower-case header names) and an urlencoded one.
  const body = "--XyZ\r\nContent-Disposition: form-data; name=\"field\"\r\n\r\nvalue with\r\nCRLF\r\n--XyZ\r\ncontent-disposition: form-data; name=\"up\"; filename=\"data.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n\x00\x01\x02\r\n--XyZ--\r\n";
  const parsed = await new Response(body, { headers: { "content-type": 'multipart/form-data; boundary="XyZ"' } }).formData();
  console.log("parsed:", dump(parsed), [...new Uint8Array(await parsed.get("up").arrayBuffer())]);
  const urlencoded = await new Request("http://x/", { method: "POST", body: "a=1&b=two+words&a=%C3%A9&c" , headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8" } }).formData();
  console.log("urlencoded:", dump(urlencoded));
  const params = await new Response(new URLSearchParams({ q: "x y", r: "&" })).formData();
  console.log("from URLSearchParams:", dump(params));

  // blob(): the body's bytes, typed by its Content-Type.
  const blob = await new Response("some text").blob();
  console.log("blob():", blob, await blob.text());
  const typed = new Response(new Blob(["<p/>"], { type: "Text/HTML" }));
  console.log("Blob body:", typed.headers.get("content-type"), await (await typed.blob()).text());
  const untyped = new Response(new Blob(["raw"]));
  console.log("untyped Blob body:", untyped.headers.get("content-type"));
  const override = new Response(new Blob(["b"], { type: "a/b" }), { headers: { "content-type": "c/d" } });
  console.log("header wins:", override.headers.get("content-type"), (await override.blob()).type);

  await attempt("text/plain formData()", () => new Response("x").formData());
  await attempt("no content-type formData()", () => new Response(new Uint8Array([1])).formData());
  await attempt("truncated multipart", () => new Response("--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end", { headers: { "content-type": "multipart/form-data; boundary=XX" } }).formData());
  await attempt("append(name)", () => new FormData().append("a"));
  await attempt("append 3 args, not a Blob", () => new FormData().append("a", "b", "c"));
  await attempt("new FormData({})", () => new FormData({}));
  await attempt("used body", async () => {
    const r = new Response(small);
    await r.text();
    return r.formData();
  });
}
