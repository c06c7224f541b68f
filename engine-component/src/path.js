// `node:path`: node's POSIX path functions (jspkg's guest paths are WASI's,
// POSIX-style, with `/` as the working directory: process.cwd()). join,
// resolve, normalize, relative, dirname, basename, extname, parse, format,
// isAbsolute, toNamespacedPath, sep and delimiter, with node's results for
// every input (tested against node over generated paths,
// examples/conformance/node-path.js) and its ERR_INVALID_ARG_TYPE for a
// path that is not a string. `path.posix` is the module itself; there is
// no `path.win32`. Evaluated at build time after node.js.
(function (native, hooks) {
  "use strict";

  // node's ERR_INVALID_ARG_TYPE, with its way of naming what it received.
  function received(value) {
    if (value === null || value === undefined) return `Received ${value}`;
    if (typeof value === "function") return `Received function ${value.name}`;
    if (typeof value === "object") {
      const name = value.constructor?.name;
      return name ? `Received an instance of ${name}` : "Received [Object: null prototype]";
    }
    if (typeof value === "string") {
      const shown = value.length > 28 ? `${value.slice(0, 25)}...` : value;
      return `Received type string ('${shown}')`;
    }
    return `Received type ${typeof value} (${typeof value === "bigint" ? `${value}n` : String(value)})`;
  }

  function argTypeError(name, type, value) {
    const e = new TypeError(`The "${name}" argument must be of type ${type}. ${received(value)}`);
    e.code = "ERR_INVALID_ARG_TYPE";
    return e;
  }

  function check(value, name) {
    if (typeof value !== "string") throw argTypeError(name, "string", value);
  }

  // The segments of `path` with "." dropped and ".." applied; a ".." that
  // climbs above the start is kept when `aboveRoot` (relative paths), else
  // dropped (absolute ones: /.. is /).
  function collapse(path, aboveRoot) {
    const out = [];
    for (const segment of path.split("/")) {
      if (segment === "" || segment === ".") continue;
      if (segment === "..") {
        if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
        else if (aboveRoot) out.push("..");
      } else {
        out.push(segment);
      }
    }
    return out.join("/");
  }

  function normalize(path) {
    check(path, "path");
    if (path === "") return ".";
    const absolute = path[0] === "/";
    const trailing = path[path.length - 1] === "/";
    let body = collapse(path, !absolute);
    if (body === "" && !absolute) body = ".";
    if (body !== "" && trailing) body += "/";
    return absolute ? `/${body}` : body;
  }

  function join(...parts) {
    const kept = [];
    for (const part of parts) {
      check(part, "path");
      if (part !== "") kept.push(part);
    }
    return kept.length === 0 ? "." : normalize(kept.join("/"));
  }

  function cwd() {
    return typeof globalThis.process?.cwd === "function" ? globalThis.process.cwd() : "/";
  }

  function resolve(...parts) {
    let resolved = "";
    let absolute = false;
    for (let i = parts.length - 1; i >= -1 && !absolute; i--) {
      const part = i >= 0 ? parts[i] : cwd();
      check(part, `paths[${i}]`);
      if (part === "") continue;
      resolved = resolved === "" ? part : `${part}/${resolved}`;
      absolute = part[0] === "/";
    }
    const body = collapse(resolved, !absolute);
    if (absolute) return `/${body}`;
    return body === "" ? "." : body;
  }

  function isAbsolute(path) {
    check(path, "path");
    return path.length > 0 && path[0] === "/";
  }

  function relative(from, to) {
    check(from, "from");
    check(to, "to");
    if (from === to) return "";
    const a = resolve(from);
    const b = resolve(to);
    if (a === b) return "";
    const fromParts = a === "/" ? [] : a.slice(1).split("/");
    const toParts = b === "/" ? [] : b.slice(1).split("/");
    let common = 0;
    while (common < fromParts.length && common < toParts.length && fromParts[common] === toParts[common]) common++;
    const up = fromParts.slice(common).map(() => "..");
    return [...up, ...toParts.slice(common)].join("/");
  }

  // dirname, basename, extname and parse scan from the end, as node does,
  // and so share node's answers for odd paths too: a directory keeps its
  // own trailing slashes (dirname("a//b") is "a/"), "//a" has the
  // directory "//", basename("b", "b") is "".

  function dirname(path) {
    check(path, "path");
    if (path === "") return ".";
    const rooted = path[0] === "/";
    // The slash before the last segment (trailing slashes skipped); the
    // first character is never that slash.
    let end = -1;
    let inSegment = false;
    for (let i = path.length - 1; i >= 1; i--) {
      if (path[i] !== "/") inSegment = true;
      else if (inSegment) {
        end = i;
        break;
      }
    }
    if (end === -1) return rooted ? "/" : ".";
    if (rooted && end === 1) return "//";
    return path.slice(0, end);
  }

  // The bounds of the last segment (trailing slashes left out), scanned
  // down to `from`, and where its extension starts: { start, end, dot },
  // end -1 when there is no segment, dot -1 when there is no extension.
  // The extension is from the last "." on, unless that dot starts the
  // segment (".bashrc"), the segment is "..", or no other character
  // precedes the last dot ("x." has the extension ".").
  function lastSegment(path, from) {
    let start = 0;
    let end = -1;
    let dot = -1;
    // 0: no character before the last dot seen yet; 1: only dots; -1:
    // something else.
    let beforeDot = 0;
    for (let i = path.length - 1; i >= from; i--) {
      const c = path[i];
      if (c === "/") {
        if (end !== -1) {
          start = i + 1;
          break;
        }
        continue;
      }
      if (end === -1) end = i + 1;
      if (c === ".") {
        if (dot === -1) dot = i;
        else if (beforeDot !== 1) beforeDot = 1;
      } else if (dot !== -1) {
        beforeDot = -1;
      }
    }
    if (dot === -1 || beforeDot === 0 || (beforeDot === 1 && dot === end - 1 && dot === start + 1)) dot = -1;
    return { start, end, dot };
  }

  function basename(path, suffix) {
    if (suffix !== undefined) check(suffix, "suffix");
    check(path, "path");
    if (suffix === undefined || suffix === "" || suffix.length > path.length) {
      const { start, end } = lastSegment(path, 0);
      return end === -1 ? "" : path.slice(start, end);
    }
    if (suffix === path) return "";
    // The suffix is matched backwards from the segment's end: where it
    // matches whole, the name ends before it; where it stops matching,
    // the name is the whole segment. A segment that is the suffix itself
    // keeps it; a path with no segment, or a segment shorter than a suffix
    // it ends, keeps the rest of the path (node's answers).
    const { start, end: segmentEnd } = lastSegment(path, 0);
    if (segmentEnd === -1) return path;
    let i = segmentEnd - 1;
    let k = suffix.length - 1;
    while (k >= 0 && i >= start && path[i] === suffix[k]) {
      i--;
      k--;
    }
    let end = k === -1 ? i + 1 : i >= start ? segmentEnd : path.length;
    if (end === start) end = segmentEnd;
    return path.slice(start, end);
  }

  function extname(path) {
    check(path, "path");
    const { end, dot } = lastSegment(path, 0);
    return dot === -1 || end === -1 ? "" : path.slice(dot, end);
  }

  function parse(path) {
    check(path, "path");
    const parsed = { root: "", dir: "", base: "", ext: "", name: "" };
    if (path === "") return parsed;
    const rooted = path[0] === "/";
    if (rooted) parsed.root = "/";
    const { start, end, dot } = lastSegment(path, rooted ? 1 : 0);
    if (end !== -1) {
      const from = start === 0 && rooted ? 1 : start;
      parsed.base = path.slice(from, end);
      if (dot === -1) parsed.name = parsed.base;
      else {
        parsed.name = path.slice(from, dot);
        parsed.ext = path.slice(dot, end);
      }
    }
    if (start > 0) parsed.dir = path.slice(0, start - 1);
    else if (rooted) parsed.dir = "/";
    return parsed;
  }

  function format(pathObject) {
    if (pathObject === null || typeof pathObject !== "object") throw argTypeError("pathObject", "object", pathObject);
    const dir = pathObject.dir || pathObject.root;
    const ext = pathObject.ext ? (pathObject.ext[0] === "." ? pathObject.ext : `.${pathObject.ext}`) : "";
    const base = pathObject.base || `${pathObject.name || ""}${ext}`;
    if (!dir) return base;
    return dir === pathObject.root ? `${dir}${base}` : `${dir}/${base}`;
  }

  const path = {
    sep: "/",
    delimiter: ":",
    normalize,
    join,
    resolve,
    isAbsolute,
    relative,
    dirname,
    basename,
    extname,
    parse,
    format,
    toNamespacedPath: (p) => p,
  };
  path.posix = path;
  hooks.nodeModules["node:path"] = path;
  hooks.nodeModules["node:path/posix"] = path;
});
