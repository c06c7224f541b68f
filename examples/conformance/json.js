// JSON: stringify with indent, replacer function and array, toJSON, parse
// with a reviver, special values, unicode escapes, errors.
// args: one two

const config = JSON.parse(
  '{"name":"jspkg","version":"1.2.3","features":["split","compose"],"limits":{"memory":65536,"fuel":null}}',
);

export function main(args) {
  console.log(JSON.stringify(config, null, 2));
  console.log(JSON.stringify(config.limits, null, "--"));
  console.log(JSON.stringify({ b: 1, a: [1, { c: 2 }], d: undefined, e: () => 1 }));
  console.log(JSON.stringify([undefined, function () {}, Symbol("s"), NaN, Infinity, -0]));
  console.log(JSON.stringify(config, ["name", "limits", "memory"]));
  console.log(
    JSON.stringify({ a: 1, b: 2, c: "x" }, (k, v) => (typeof v === "number" ? v * 10 : v)),
  );
  console.log(JSON.stringify({ when: new Date(Date.UTC(2020, 1, 29, 12, 0, 0)) }));
  console.log(JSON.stringify({ toJSON: () => ({ replaced: true }) }));
  console.log(JSON.stringify("quote\" backslash\\ newline\n tab\t \u0001 é ☃ \ud83d\ude00"));
  console.log(JSON.stringify("lone surrogate \ud800"));
  console.log(JSON.stringify({ nested: { deeper: { deepest: [1, [2, [3]]] } } }, null, 4));
  console.log(JSON.stringify(args));

  const revived = JSON.parse(
    '{"date":"2021-03-04T05:06:07.000Z","n":"42","list":[1,2,3],"big":"9007199254740993"}',
    function (key, value) {
      if (key === "date") return new Date(value);
      if (key === "n") return Number(value);
      if (key === "big") return BigInt(value);
      if (Array.isArray(value)) return value.map((x) => x * 2);
      return value;
    },
  );
  console.log(
    "revived:",
    revived.date.getUTCFullYear(),
    revived.date.toISOString(),
    revived.n + 1,
    revived.list.join(","),
    (revived.big + 1n).toString(),
  );

  const order = [];
  JSON.parse('{"a":{"b":1,"c":[2]},"d":3}', (k, v) => (order.push(k), v));
  console.log("reviver order:", JSON.stringify(order));

  for (const bad of ['{"a":1,}', "[1,2", "nul", "{'a':1}"]) {
    try {
      JSON.parse(bad);
      console.log("parsed?!", bad);
    } catch (e) {
      console.log("error for", bad, "->", e.name);
    }
  }
  const cyclic = { name: "loop" };
  cyclic.self = cyclic;
  try {
    JSON.stringify(cyclic);
  } catch (e) {
    console.log("cyclic ->", e.name);
  }
  try {
    JSON.stringify({ n: 1n });
  } catch (e) {
    console.log("bigint ->", e.name);
  }
  console.log(JSON.stringify(1e21), JSON.stringify(0.1 + 0.2), JSON.stringify(-1e-7));
}
