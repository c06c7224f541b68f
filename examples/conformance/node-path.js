// node:path (POSIX): normalize, join, resolve, relative, dirname,
// basename (with and without a suffix), extname, parse, format and
// isAbsolute over every path made of up to three pieces of a set of odd
// ones ("", "/", "//", ".", "..", "...", ".a", "a.", "x//y", ...), as
// node answers them, quirks included (dirname("//a") is "//",
// basename("b", "b") is ""); node's TypeError for a path that is not a
// string. Results are printed for a sample and folded into one checksum
// for all ~120,000. resolve starts from an absolute path: node's working
// directory is the host's, jspkg's is "/".
import path from "node:path";
import { basename, join, posix, sep, delimiter } from "path";

export function main() {
  const atoms = ["", "/", "//", "a", "b", ".", "..", "...", ".a", "a.", "a.b", "a.b.c", ".a.b", "..a", "a..", "x/", "/x", "x//y", "./", "../"];
  const inputs = new Set();
  for (const a of atoms) {
    inputs.add(a);
    for (const b of atoms) {
      inputs.add(a + b);
      inputs.add(`${a}/${b}`);
      for (const c of ["", "/", "a", ".."]) inputs.add(`${a}/${b}${c}`);
    }
  }
  const list = [...inputs];

  // FNV-1a over every result.
  let hash = 0x811c9dc5;
  let count = 0;
  function fold(text) {
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    count++;
  }
  function result(f) {
    try {
      return JSON.stringify(f());
    } catch (e) {
      return `throws ${e.name} ${e.code} ${e.message}`;
    }
  }

  const sample = new Set(["", "/", "//a", "a//b", "/..", "/...", "x/", "a.b.c", ".a", "a.", "..", "///a", "a/b/../c/./d/"]);
  for (const p of list) {
    for (const f of ["normalize", "dirname", "basename", "extname", "parse", "isAbsolute"]) {
      const r = result(() => path[f](p));
      fold(r);
      if (sample.has(p)) console.log(`${f}(${JSON.stringify(p)}) = ${r}`);
    }
    for (const suffix of ["", "b", ".b", "a.b", "c", "/"]) fold(result(() => path.basename(p, suffix)));
    fold(result(() => path.format(path.parse(p))));
  }
  for (let i = 0; i < list.length; i += 7) {
    for (let j = 0; j < list.length; j += 11) {
      const a = list[i];
      const b = list[j];
      fold(result(() => path.join(a, b)));
      fold(result(() => path.resolve("/base/dir", a, b)));
      fold(result(() => path.relative(`/r/${a}`, `/r/${b}`)));
    }
  }
  console.log(`${count} results, checksum ${hash.toString(16)}`);

  console.log(join("/a/b", "../c", "./d.txt"), basename("/tmp/file.tar.gz", ".gz"), sep, delimiter, posix === path);
  console.log(path.resolve("/srv", "app", "../static", "logo.svg"), path.relative("/data/orders/2024", "/data/users"));
  console.log(path.format({ root: "/", dir: "/home/u", name: "notes", ext: "md" }), path.format({ name: "x", ext: ".js" }));
  for (const bad of [undefined, null, 1, {}, []]) console.log(result(() => path.join("a", bad)));
  console.log(result(() => path.basename("a", 3)), result(() => path.format("x")));
}
