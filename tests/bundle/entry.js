// A real npm library in a jspkg app: `marked` (Markdown -> HTML, pure JS,
// regex-heavy), bundled at test time from the npm registry with
//   esbuild tests/bundle/entry.js --bundle --format=esm --platform=neutral \
//     --main-fields=module,main --outfile=OUT/bundle.js
// (resolved from .jspkg-tools/node/node_modules, see scripts/setup-tools.sh).
// The bundle's stdout under `jspkg run` must equal node's.
// args: # Title from args
import { marked, Lexer } from "marked";

// Top-level work runs at build time: configure once, keep in the snapshot.
marked.use({ gfm: true, breaks: false });
const document = `# jspkg

A *pre-initialized* **JavaScript** app, split into an \`engine\` and an \`app\`.

1. build
2. split
   - engine: code only
   - app: data only
3. compose

| step  | output        |
| :---- | ------------: |
| build | app.wasm      |
| split | engine + data |

> Quote with a [link](https://example.com "title") and ~~strike~~.

\`\`\`js
export function main(args) { return 0; }
\`\`\`

Line with <b>inline html</b> & an ampersand, and a hard  
break. Autolink: https://example.org/path?q=1
`;

export function main(args) {
  const html = marked.parse(document);
  console.log(html);
  if (args.length > 0) console.log(marked.parse(args.join(" ")));
  const tokens = Lexer.lex(document);
  console.log("tokens:", tokens.map((t) => t.type).join(","));
  console.log("inline:", marked.parseInline("a _b_ `c` [d](e)"));
  console.log("length:", html.length);
}
