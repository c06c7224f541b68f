// URLPattern (the WHATWG URL Pattern Standard): patterns are parsed in
// Rust (urlpattern_natives.rs, the `urlpattern` crate) into each
// component's pattern string, ECMAScript regular expression and group
// names; matching compiles those with this engine's RegExp, once per
// pattern, and runs them here. Evaluated at build time after web.js and
// blob.js.
(function (native, hooks) {
  "use strict";

  const { define, tag, usv, isObject } = hooks.webHelpers;

  const COMPONENTS = ["protocol", "username", "password", "hostname", "port", "pathname", "search", "hash"];
  const INIT_MEMBERS = [...COMPONENTS, "baseURL"];
  const SCHEMES = native.urlPatternSchemes;

  // A URLPatternInit dictionary as the natives take it: its members in
  // INIT_MEMBERS's order, undefined for an absent one.
  function initFields(init) {
    return INIT_MEMBERS.map((k) => (init[k] === undefined ? undefined : usv(init[k])));
  }

  // The input of the constructor, test() and exec(): a string, or an
  // init dictionary (an object; undefined and null are empty ones).
  function input(value, where) {
    if (value === undefined || value === null) return [];
    if (typeof value === "string") return value;
    if (isObject(value)) return initFields(value);
    if (typeof value === "symbol") throw new TypeError(`Failed to execute '${where}' on 'URLPattern': Cannot convert a Symbol value to a string`);
    return usv(value);
  }

  function options(value) {
    if (value === undefined || value === null) return false;
    if (!isObject(value)) throw new TypeError("Failed to construct 'URLPattern': The provided value is not of type 'URLPatternOptions'.");
    return Boolean(value.ignoreCase);
  }

  let partsOf; // (pattern) => its parts; set by URLPattern's static block

  class URLPattern {
    #parts; // [patternString, RegExp, groupNames] per component
    #hasRegExpGroups;

    constructor(input0 = undefined, baseURL = undefined, options0 = undefined) {
      // The (input, options) overload: an object where the base URL goes.
      if (isObject(baseURL) && options0 === undefined) {
        options0 = baseURL;
        baseURL = undefined;
      }
      const pattern = input(input0, "constructor");
      const base = baseURL === undefined ? undefined : usv(baseURL);
      const ignoreCase = options(options0);
      let parsed = native.urlPatternParse(pattern, base, ignoreCase, null);
      if (!Array.isArray(parsed)) {
        // The parser asks which special schemes a protocol pattern's
        // regular expression matches (urlpattern_natives.rs): this
        // engine's RegExp answers.
        const answers = parsed.questions.map(([source, flags]) => {
          let re;
          try {
            re = new RegExp(source, flags);
          } catch {
            return [source, flags];
          }
          return [source, flags, ...SCHEMES.filter((s) => re.test(s))];
        });
        parsed = native.urlPatternParse(pattern, base, ignoreCase, answers);
      }
      const flags = ignoreCase ? "ui" : "u";
      this.#hasRegExpGroups = parsed[0];
      this.#parts = COMPONENTS.map((name, i) => {
        const [patternString, source, groups] = parsed[i + 1];
        let regexp;
        try {
          regexp = new RegExp(source, flags);
        } catch (e) {
          throw new TypeError(`Failed to construct 'URLPattern': invalid regular expression in the ${name} pattern '${patternString}': ${e.message}`);
        }
        return [patternString, regexp, groups];
      });
    }

    // The components of what to match, or null when it cannot match.
    #components(value, baseURL, where) {
      const given = input(value, where);
      const base = baseURL === undefined ? undefined : usv(baseURL);
      return native.urlPatternInput(given, base) ?? null;
    }

    test(input0 = undefined, baseURL = undefined) {
      const values = this.#components(input0, baseURL, "test");
      if (values === null) return false;
      return this.#parts.every(([, regexp], i) => regexp.test(values[i]));
    }

    exec(input0 = undefined, baseURL = undefined) {
      const values = this.#components(input0, baseURL, "exec");
      if (values === null) return null;
      const result = { inputs: baseURL === undefined ? [input0 ?? {}] : [input0, baseURL] };
      for (let i = 0; i < COMPONENTS.length; i++) {
        const [, regexp, names] = this.#parts[i];
        const m = regexp.exec(values[i]);
        if (m === null) return null;
        const groups = {};
        names.forEach((name, j) => {
          groups[name] = m[j + 1];
        });
        result[COMPONENTS[i]] = { input: values[i], groups };
      }
      return result;
    }

    get hasRegExpGroups() {
      return this.#hasRegExpGroups;
    }

    static {
      // For the component getters below, made in a loop rather than
      // written out eight times; reading the private field throws a
      // TypeError for what is not a URLPattern.
      partsOf = (p) => p.#parts;
    }
  }
  COMPONENTS.forEach((name, i) => {
    Object.defineProperty(URLPattern.prototype, name, {
      get() {
        return partsOf(this)[i][0];
      },
      configurable: true,
      enumerable: true,
    });
  });
  tag(URLPattern, "URLPattern");
  define(globalThis, "URLPattern", URLPattern);
});
