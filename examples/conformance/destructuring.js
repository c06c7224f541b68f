// Destructuring, spread and rest, defaults, computed keys, optional chaining
// and nullish coalescing, logical assignment.
// args: first second third fourth
// args:

export function main(args) {
  const [a = "default-a", b = "default-b", ...others] = args;
  console.log("args:", a, b, JSON.stringify(others));

  const user = { id: 7, profile: { name: "Ada", langs: ["en", "fr"] }, tags: null };
  const {
    id,
    profile: {
      name: displayName,
      langs: [primary, secondary = "none", tertiary = "none"],
    },
    missing = "fallback",
    ...restOfUser
  } = user;
  console.log("nested:", id, displayName, primary, secondary, tertiary, missing, JSON.stringify(restOfUser));

  const key = "dyn";
  const obj = { [key + "amic"]: 1, [`${key}2`]: 2, ["x".repeat(2)]: 3 };
  console.log("computed:", JSON.stringify(obj));

  // (Spreading a string primitive, `..."hi"`, is left out: QuickJS copies nothing
  // for it where node copies its indices; see engine-component/README.md.)
  const merged = { ...{ a: 1, b: 2 }, ...{ b: 3, c: 4 }, ...null, ...undefined, ...Object("hi") };
  console.log("object spread:", JSON.stringify(merged));
  const arr = [0, ...[1, 2], ...new Set([3, 3, 4]), ..."56"];
  console.log("array spread:", JSON.stringify(arr));

  let x = 1,
    y = 2;
  [x, y] = [y, x];
  console.log("swap:", x, y);

  const fn = ({ w = 10, h = w * 2 } = {}, ...more) => `${w}x${h} +${more.length}`;
  console.log("param defaults:", fn(), fn({ w: 3 }), fn({ h: 1 }, 1, 2));
  console.log("Math.max spread:", Math.max(...[3, 9, 2]), Math.min(...[]));

  console.log("optional chaining:", user.profile?.name, user.tags?.length, user.nope?.deep.deeper, user.profile.langs?.[1]);
  console.log("optional call:", user.method?.(), typeof user.profile.langs.at?.(0));
  console.log("nullish:", user.tags ?? "no tags", 0 ?? "zero is kept", "" || "empty replaced", false ?? "x");
  const settings = { retries: 0, name: "" };
  settings.retries ||= 3;
  settings.name ??= "unnamed";
  settings.timeout ??= 30;
  settings.verbose &&= "never";
  console.log("logical assignment:", JSON.stringify(settings));
  const { length, 0: firstChar } = "jspkg";
  console.log("string destructure:", length, firstChar);
  for (const [k, { v }] of Object.entries({ p: { v: 1 }, q: { v: 2 } })) console.log("loop:", k, v);
}
