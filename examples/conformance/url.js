// URL (WHATWG): parsing, relative resolution against a base, dot segments,
// percent-encoding, default ports, IPv4/IPv6 hosts, opaque paths, setters,
// searchParams kept in step with the URL, errors, canParse/parse.
// args: https://user:pw@example.com:8443/a/b?x=1#frag

const FIELDS = ["href", "origin", "protocol", "username", "password", "host", "hostname", "port", "pathname", "search", "hash"];
const show = (u) => FIELDS.map((f) => `${f}=${JSON.stringify(u[f])}`).join(" ");

function attempt(label, f) {
  try {
    console.log(label, "->", f());
  } catch (e) {
    console.log(label, "throws", e.name, e.message, e.code);
  }
}

export function main(args) {
  for (const input of [
    "http://example.com",
    "HTTP://EXAMPLE.COM:80/A/./b/../c?Q=1#F",
    "https://example.com:443/",
    "https://example.com:8443/",
    "ftp://files.example.org:21/pub/",
    "ws://h:80/",
    "wss://h:443/chat",
    "http://[::1]:8080/",
    "http://[2001:DB8:0:0:0:0:0:1]/",
    "http://[::ffff:192.168.0.1]/",
    "http://192.168.0.1/",
    "http://0x7f.1/",
    "http://127.0.0.1.:80/",
    "http://a/b c/d?e f#g h",
    "http://a/%7e/%2F?x=%zz",
    "http://a/ä?ä#ä",
    "http://a/path?q='\"<>`#frag'\"<>`",
    "http://user@host/",
    "http://:pass@host/",
    "http://us er:p@ss:w@host/",
    "mailto:someone@example.com",
    "data:text/plain,hello world",
    "javascript:alert(1)",
    "file:///etc/passwd",
    "file://host/share/x",
    "blob:https://example.com/uuid",
    "urn:isbn:0451450523",
    "web+demo:/.//not-a-host/",
    "non-special://host:123/path",
    "non-special://host/a/../b",
    "http://a/..",
    "http://a/b/%2e%2E/c",
    "http://EXAMPLE.com./",
    "http:\\\\a\\b\\c",
    "  http://trim.me/\t\n ",
    "http://a?",
    "http://a#",
    ...args,
  ]) {
    console.log(JSON.stringify(input));
    try {
      console.log("  " + show(new URL(input)));
    } catch (e) {
      console.log("  throws", e.name, e.message, e.code, e.input);
    }
  }

  // Relative references against a base.
  const base = "http://a/b/c/d;p?q";
  for (const rel of ["g:h", "g", "./g", "g/", "/g", "//g", "?y", "g?y", "#s", "g#s", "g?y#s", ";x", "g;x", "", ".", "./", "..", "../", "../g", "../..", "../../", "../../g", "../../../g", "/./g", "/../g", "g.", ".g", "g..", "..g", "./../g", "./g/.", "g/./h", "g/../h", "http:g", "\\\\x\\y"]) {
    console.log(JSON.stringify(rel), "->", new URL(rel, base).href);
  }
  console.log(new URL("?a=1", new URL("https://b.example/x/y?z")).href);
  console.log(new URL("//other.example:99/p", "https://b.example/x").href);
  attempt("relative without base", () => new URL("/relative"));
  attempt("bad base", () => new URL("/x", "not a base"));
  attempt("opaque base", () => new URL("x", "mailto:a@b"));
  attempt("fragment on opaque base", () => new URL("#f", "mailto:a@b").href);
  attempt("bad port", () => new URL("http://a:99999/"));
  attempt("bad host", () => new URL("http://a b/"));
  attempt("bad IPv6", () => new URL("http://[::1/"));
  attempt("bad IPv4", () => new URL("http://1.2.3.256/"));
  attempt("empty host", () => new URL("http:///"));
  attempt("no arguments", () => new URL());

  console.log("canParse:", URL.canParse("http://x"), URL.canParse("/x"), URL.canParse("/x", "http://b"), URL.canParse("x", "bad"));
  console.log("parse:", URL.parse("http://x/y")?.href, URL.parse("nope"), URL.parse("z", "http://b/a/")?.href);

  // Setters.
  const u = new URL("http://user:pass@example.com:8080/path/name?query=1#hash");
  const set = (field, value) => {
    u[field] = value;
    console.log(`${field} = ${JSON.stringify(value)}:`, u.href);
  };
  set("protocol", "https");
  set("protocol", "ftp:");
  set("protocol", "mailto");
  set("protocol", "HTTP:ignored");
  set("username", "new user");
  set("password", "p@ss:word");
  set("password", "");
  set("username", "");
  set("host", "other.example:81");
  set("host", "other.example:80");
  set("hostname", "third.example");
  set("hostname", "bad host");
  set("hostname", "[::1]");
  set("port", "8081");
  set("port", "80");
  set("port", "12ab");
  set("port", "99999");
  set("port", "");
  set("pathname", "a b/c");
  set("pathname", "/x/../y/./z");
  set("pathname", "?#");
  set("search", "a=1&b=2");
  set("search", "?c d=ü");
  set("search", "?");
  set("search", "");
  set("hash", "top");
  set("hash", "#with space");
  set("hash", "");
  set("href", "https://fresh.example/new?x=y#z");
  attempt("href = invalid", () => {
    u.href = "not a url";
  });
  console.log("after failed href:", u.href);
  const opaque = new URL("mailto:a@b.c");
  opaque.host = "ignored";
  opaque.pathname = "ignored";
  opaque.search = "s=1";
  console.log("opaque:", opaque.href, opaque.origin);
  const file = new URL("file:///c:/dir/file");
  file.port = "80";
  file.username = "u";
  console.log("file:", file.href, file.host);

  // searchParams: live, both ways.
  const s = new URL("https://ex.com/p?a=1&b=2&a=3");
  const sp = s.searchParams;
  console.log("same object:", s.searchParams === sp, sp.getAll("a"), sp.get("b"));
  sp.append("c", "x y+z&");
  console.log("append:", s.href, s.search);
  sp.delete("a");
  console.log("delete:", s.href);
  s.search = "?n=1&m=2";
  console.log("search set:", [...sp], sp.size);
  s.href = "https://ex.com/?z=9";
  console.log("href set:", [...sp]);
  sp.set("z", "~!*()'");
  console.log("set:", s.href);
  sp.delete("z");
  console.log("emptied:", JSON.stringify(s.href), JSON.stringify(s.search));
  s.hash = "h";
  sp.append("q", "1");
  console.log("keeps hash:", s.href);
  sp.sort();
  console.log("sort:", s.href);
  const p2 = new URL("http://a/?%zz=%41&x=%E2%82%AC+y").searchParams;
  console.log("decoded:", [...p2]);

  console.log("toString/toJSON:", String(new URL("http://a/b")), JSON.stringify({ u: new URL("http://a/b?c") }));
  console.log("tag:", Object.prototype.toString.call(new URL("http://a")));
  console.log("lone surrogate:", new URL("http://a/\ud800?\udc00#\ud83d").href);
  console.log("instanceof:", new URL("http://a") instanceof URL, typeof URL.prototype.toJSON);
}
