// Intl (ECMA-402) on ICU4X 2.x (intl_natives.rs): the option reading of
// the standard is here, the locale data and the algorithms are ICU4X's.
//
//   Intl.getCanonicalLocales
//   Intl.NumberFormat     style decimal, percent and currency (currencyDisplay
//                         symbol, narrowSymbol, code; currencySign);
//                         minimumIntegerDigits,
//                         minimum/maximumFractionDigits, useGrouping;
//                         format, formatToParts, resolvedOptions (no unit,
//                         significant digits, notation, signDisplay:
//                         RangeError)
//   Intl.RelativeTimeFormat  second ... year (and plurals); style long,
//                         short, narrow; numeric always, auto; format,
//                         formatToParts, resolvedOptions
//   Intl.DateTimeFormat   dateStyle, timeStyle (short, medium, long),
//                         weekday, era (short), year, month, day, hour,
//                         minute, second, hour12; timeZone: any IANA zone
//                         (the tz database bundled by jiff; UTC by default:
//                         WASI has no local time zone); timeZoneName short,
//                         shortOffset, longOffset; format, formatToParts,
//                         resolvedOptions
//   Intl.PluralRules      cardinal and ordinal; select, resolvedOptions
//   Intl.Collator         sensitivity, numeric, caseFirst,
//                         ignorePunctuation; compare, resolvedOptions
//   Intl.ListFormat       conjunction, disjunction, unit; long, short,
//                         narrow; format, formatToParts, resolvedOptions
//   Intl.Segmenter        grapheme, word (isWordLike), sentence; segment,
//                         containing, iteration
//   Number.prototype.toLocaleString, BigInt.prototype.toLocaleString,
//   Date.prototype.toLocaleString/toLocaleDateString/toLocaleTimeString,
//   String.prototype.localeCompare
//
// The default locale is en-US. Formatters are made by ICU4X on first use
// (never at engine start) and cached there by locale and options.
// Evaluated at build time after web.js, with the natives and hooks.
(function (native) {
  "use strict";

  const DEFAULT_LOCALE = "en-US";
  const define = (obj, name, value) =>
    Object.defineProperty(obj, name, { value, writable: true, configurable: true, enumerable: false });
  const tag = (Class, name) =>
    Object.defineProperty(Class.prototype, Symbol.toStringTag, { value: name, configurable: true });

  // --- locales -----------------------------------------------------------

  function canonicalizeLocaleList(locales) {
    if (locales === undefined) return [];
    const seen = [];
    const list = typeof locales === "string" || locales instanceof Intl.Locale ? [locales] : Object(locales);
    const len = list.length >>> 0;
    for (let k = 0; k < len; k++) {
      if (!(k in list)) continue;
      const v = list[k];
      if (typeof v !== "string" && (typeof v !== "object" || v === null)) {
        throw new TypeError("Language ID should be string or object.");
      }
      const t = native.intlCanonicalize(v instanceof Intl.Locale ? v.toString() : String(v));
      if (!seen.includes(t)) seen.push(t);
    }
    return seen;
  }

  // The requested locale without its -u- extension, and the extension's
  // keywords as a map.
  function splitLocale(tag) {
    const m = /-u((?:-[a-z0-9]{2,8})+)$/i.exec(tag);
    const keys = new Map();
    let base = tag;
    if (m && !/-x-/i.test(tag)) {
      base = tag.slice(0, m.index);
      let key = null;
      for (const part of m[1].slice(1).split("-")) {
        if (part.length === 2) {
          key = part;
          keys.set(key, "true");
        } else if (key !== null) {
          keys.set(key, keys.get(key) === "true" ? part : `${keys.get(key)}-${part}`);
        }
      }
    }
    return { base, keys };
  }

  // Resolves the locale: the first requested one (ICU4X falls back within
  // its data itself), or the default; `relevant` lists the -u- keys kept
  // and `overrides` the option values that replace them.
  function resolveLocale(locales, relevant, overrides) {
    const requested = canonicalizeLocaleList(locales);
    const { base, keys } = splitLocale(requested.length ? requested[0] : DEFAULT_LOCALE);
    const kept = new Map();
    for (const k of relevant) {
      if (keys.has(k)) kept.set(k, keys.get(k));
    }
    // The locale the object reports keeps the keywords that came from the
    // tag and were not overridden by an option of another value.
    const reported = new Map(kept);
    for (const [k, v] of Object.entries(overrides || {})) {
      if (v === undefined) continue;
      if (reported.has(k) && reported.get(k) !== v) reported.delete(k);
      kept.set(k, v);
    }
    const withKeys = (map) =>
      map.size ? `${base}-u-${[...map].map(([k, v]) => (v === "true" ? k : `${k}-${v}`)).join("-")}` : base;
    return { locale: withKeys(reported), icu: withKeys(kept), base, keys: kept };
  }

  function toObjectOptions(options) {
    if (options === undefined) return Object.create(null);
    if (options === null) throw new TypeError("Cannot convert undefined or null to object");
    return Object(options);
  }

  function getOption(options, prop, type, values, fallback) {
    let v = options[prop];
    if (v === undefined) return fallback;
    if (type === "boolean") v = Boolean(v);
    else v = String(v);
    if (values !== undefined && !values.includes(v)) {
      throw new RangeError(`Value ${v} out of range for Intl options property ${prop}`);
    }
    return v;
  }

  function getNumberOption(options, prop, min, max, fallback) {
    let v = options[prop];
    if (v === undefined) return fallback;
    v = Number(v);
    if (Number.isNaN(v) || v < min || v > max) throw new RangeError(`${prop} value is out of range.`);
    return Math.floor(v);
  }

  const unsupported = (what) => new RangeError(`${what} is not supported by jspkg's Intl`);

  function supportedLocalesOf(locales, options) {
    if (options !== undefined) getOption(toObjectOptions(options), "localeMatcher", "string", ["lookup", "best fit"], "best fit");
    return canonicalizeLocaleList(locales);
  }

  const brand = (o, slot, name) => {
    if (typeof o !== "object" || o === null || !(slot in o)) {
      throw new TypeError(`Method Intl.${name} called on incompatible receiver ${String(o)}`);
    }
    return o[slot];
  };

  const Intl = {};
  define(globalThis, "Intl", Intl);
  Object.defineProperty(Intl, Symbol.toStringTag, { value: "Intl", configurable: true });
  define(Intl, "getCanonicalLocales", function getCanonicalLocales(locales) {
    return canonicalizeLocaleList(locales);
  });

  // --- Intl.Locale (basic) ----------------------------------------------

  const LOCALE = Symbol("Locale");
  class Locale {
    constructor(tag, options) {
      if (new.target === undefined) throw new TypeError("Constructor Intl.Locale requires 'new'");
      if (typeof tag !== "string" && !(tag instanceof Locale)) {
        throw new TypeError("First argument to Intl.Locale constructor can't be empty or missing");
      }
      if (options !== undefined) throw unsupported("Intl.Locale options");
      const t = native.intlCanonicalize(tag instanceof Locale ? tag.toString() : tag);
      const { base } = splitLocale(t);
      const sub = base.split("-");
      const m = { tag: t, baseName: base, language: sub[0], script: undefined, region: undefined };
      for (const s of sub.slice(1)) {
        if (/^[A-Z][a-z]{3}$/.test(s) && m.script === undefined && m.region === undefined) m.script = s;
        else if (/^([A-Z]{2}|\d{3})$/.test(s) && m.region === undefined) m.region = s;
      }
      this[LOCALE] = m;
    }
    toString() {
      return brand(this, LOCALE, "Locale.prototype.toString").tag;
    }
    get baseName() {
      return brand(this, LOCALE, "Locale.prototype.baseName").baseName;
    }
    get language() {
      return brand(this, LOCALE, "Locale.prototype.language").language;
    }
    get script() {
      return brand(this, LOCALE, "Locale.prototype.script").script;
    }
    get region() {
      return brand(this, LOCALE, "Locale.prototype.region").region;
    }
  }
  tag(Locale, "Intl.Locale");
  define(Intl, "Locale", Locale);

  // --- Intl.NumberFormat --------------------------------------------------

  const NF = Symbol("NumberFormat");
  const GROUPING = { false: 0, always: 1, min2: 2, auto: 3 };

  // The parts of the text around a number in a percent or currency format:
  // a minus sign, the percent sign, spaces, parentheses and direction marks
  // as literals, and the rest (between those) the currency.
  function affixParts(text) {
    const res = [];
    for (const ch of text) {
      const type = ch === "%" || ch === "٪" ? "percentSign"
        : ch === "-" || ch === "\u2212" ? "minusSign"
        : ch === "+" ? "plusSign"
        : /[\s()\u200e\u200f\u061c]/.test(ch) ? "literal"
        : "currency";
      const last = res[res.length - 1];
      if (last && last.type === type && (type === "literal" || type === "currency")) last.value += ch;
      else res.push({ type, value: ch });
    }
    // A currency's name may have spaces in it ("US dollars").
    for (let i = 1; i + 1 < res.length; i++) {
      if (res[i - 1].type === "currency" && res[i].type === "literal" && /^\s+$/.test(res[i].value) && res[i + 1].type === "currency") {
        res.splice(i - 1, 3, { type: "currency", value: res[i - 1].value + res[i].value + res[i + 1].value });
        i--;
      }
    }
    return res;
  }

  // ICU4X's percent and currency formatters give text, not parts, and the
  // currency formatter always shows the currency's digits: `shown` (the
  // digits as that formatter wrote them) is found in its text `out` and
  // replaced by `number`, the parts of the number formatted with the
  // caller's options; the text around it becomes the affixes' parts.
  function spliceNumber(out, shown, number, parts) {
    const at = out.indexOf(shown);
    if (at < 0) return parts ? [{ type: "literal", value: out }] : out;
    if (!parts) return out.slice(0, at) + number.map((p) => p[1]).join("") + out.slice(at + shown.length);
    return [
      ...affixParts(out.slice(0, at)),
      ...number.map(([type, value]) => ({ type, value })),
      ...affixParts(out.slice(at + shown.length)),
    ];
  }

  function formatNumber(s, x, parts) {
    let digits = null;
    if (typeof x === "bigint") digits = String(x);
    else x = Number(x);
    const finite = digits !== null || Number.isFinite(x);
    const currency = s.style === "currency";
    if (!finite && !currency) {
      const body = Number.isNaN(x) ? "NaN" : "∞";
      const neg = x === -Infinity;
      if (!parts) return (neg ? "-" : "") + body;
      const p = [{ type: Number.isNaN(x) ? "nan" : "infinity", value: body }];
      if (neg) p.unshift({ type: "minusSign", value: "-" });
      return p;
    }
    const percent = s.style === "percent";
    const opts = [GROUPING[String(s.useGrouping)], percent ? 1 : 0, s.minimumIntegerDigits, s.minimumFractionDigits, s.maximumFractionDigits, parts && !percent && !currency ? 1 : 0];
    if (!percent && !currency) return formatDecimal(s, opts, x, digits, parts);
    // The number's own parts: those of |x| (times 100 for percent).
    const abs = digits === null ? Math.abs(x) : 0;
    const absDigits = digits === null ? null : digits.replace(/^-/, "");
    opts[1] = percent ? 2 : 0;
    opts[5] = 1;
    const number = finite
      ? native.intlFormatNumber(s.icu, opts, abs, absDigits)
      : [[Number.isNaN(x) ? "nan" : "infinity", Number.isNaN(x) ? "NaN" : "∞"]];
    if (percent) {
      const out = native.intlFormatNumber(s.icu, [opts[0], 1, ...opts.slice(2, 5), 0], digits === null ? x : 0, digits);
      return spliceNumber(out, number.map((p) => p[1]).join(""), number, parts);
    }
    // Currency: the amount as ICU4X writes it (±1 for NaN and infinities,
    // whose digits are then replaced), then the digits it showed, as the
    // decimal formatter writes them.
    const cd = s.currencyDigits;
    const value = finite ? (digits === null ? x : 0) : x < 0 ? -1 : 1;
    const out = native.intlFormatCurrency(s.icu, s.currency, [s.currencySign === "accounting" ? 1 : 0, cd], s.currencyDisplay, value, digits);
    const shown = native.intlFormatNumber(s.icu, [3, 0, 1, cd, cd, 0], finite ? abs : 1, absDigits);
    return spliceNumber(out, shown, number, parts);
  }

  function formatDecimal(s, opts, x, digits, parts) {
    const out = native.intlFormatNumber(s.icu, opts, digits === null ? x : 0, digits);
    return parts ? out.map(([type, value]) => ({ type, value })) : out;
  }

  class NumberFormat {
    constructor(locales, options) {
      options = toObjectOptions(options);
      getOption(options, "localeMatcher", "string", ["lookup", "best fit"], "best fit");
      const nu = getOption(options, "numberingSystem", "string", undefined, undefined);
      if (nu !== undefined && !/^[a-z0-9]{3,8}(-[a-z0-9]{3,8})*$/i.test(nu)) throw new RangeError(`Invalid numberingSystem : ${nu}`);
      const r = resolveLocale(locales, ["nu"], { nu });
      const style = getOption(options, "style", "string", ["decimal", "percent", "currency", "unit"], "decimal");
      // Percent and currency are icu_experimental's formatters; unit is not
      // done yet.
      if (style === "unit") throw unsupported(`style "${style}"`);
      let currency = getOption(options, "currency", "string", undefined, undefined);
      if (currency !== undefined) {
        if (!/^[A-Za-z]{3}$/.test(currency)) throw new RangeError(`Invalid currency code : ${currency}`);
        currency = currency.toUpperCase();
      }
      const currencyDisplay = getOption(options, "currencyDisplay", "string", ["code", "symbol", "narrowSymbol", "name"], "symbol");
      const currencySign = getOption(options, "currencySign", "string", ["standard", "accounting"], "standard");
      if (style === "currency" && currency === undefined) throw new TypeError("Currency code is required with currency style.");
      // The currencies' names in every locale would add 1.7 MB to the engine.
      if (style === "currency" && currencyDisplay === "name") throw unsupported('currencyDisplay "name"');
      const currencyDigits = style === "currency" ? native.intlCurrencyDigits(currency) : undefined;
      const notation = getOption(options, "notation", "string", ["standard", "scientific", "engineering", "compact"], "standard");
      if (notation !== "standard") throw unsupported(`notation "${notation}"`);
      const minInt = getNumberOption(options, "minimumIntegerDigits", 1, 21, 1);
      if (options.minimumSignificantDigits !== undefined || options.maximumSignificantDigits !== undefined) {
        throw unsupported("significant digits");
      }
      const defMin = style === "currency" ? currencyDigits : 0;
      const defMax = style === "percent" ? 0 : style === "currency" ? currencyDigits : 3;
      let minFrac = getNumberOption(options, "minimumFractionDigits", 0, 100, undefined);
      let maxFrac = getNumberOption(options, "maximumFractionDigits", 0, 100, undefined);
      if (minFrac === undefined && maxFrac === undefined) {
        minFrac = defMin;
        maxFrac = defMax;
      } else if (minFrac === undefined) {
        minFrac = Math.min(defMin, maxFrac);
      } else if (maxFrac === undefined) {
        maxFrac = Math.max(minFrac, defMax);
      } else if (minFrac > maxFrac) {
        throw new RangeError("maximumFractionDigits value is out of range.");
      }
      let useGrouping = options.useGrouping;
      if (useGrouping === undefined) useGrouping = "auto";
      else if (useGrouping === true || useGrouping === "true" || useGrouping === "false") useGrouping = "always";
      else if (useGrouping === false || useGrouping === null || useGrouping === 0 || useGrouping === "") useGrouping = false;
      else if (!["always", "auto", "min2"].includes(String(useGrouping))) {
        throw new RangeError(`Value ${String(useGrouping)} out of range for Intl.NumberFormat options property useGrouping`);
      }
      const signDisplay = getOption(options, "signDisplay", "string", ["auto", "never", "always", "exceptZero", "negative"], "auto");
      if (signDisplay !== "auto") throw unsupported(`signDisplay "${signDisplay}"`);
      const s = {
        locale: r.locale,
        icu: r.icu,
        numberingSystem: r.keys.get("nu"),
        style,
        currency: style === "currency" ? currency : undefined,
        currencyDisplay,
        currencySign,
        currencyDigits,
        minimumIntegerDigits: minInt,
        minimumFractionDigits: minFrac,
        maximumFractionDigits: maxFrac,
        useGrouping,
        bound: undefined,
      };
      this[NF] = s;
    }
    get format() {
      const s = brand(this, NF, "NumberFormat.prototype.format");
      if (s.bound === undefined) s.bound = (x) => formatNumber(s, x);
      return s.bound;
    }
    formatToParts(x) {
      return formatNumber(brand(this, NF, "NumberFormat.prototype.formatToParts"), x, true);
    }
    resolvedOptions() {
      const s = brand(this, NF, "NumberFormat.prototype.resolvedOptions");
      const o = { locale: s.locale, numberingSystem: s.numberingSystem || "latn" };
      o.style = s.style;
      if (s.style === "currency") Object.assign(o, { currency: s.currency, currencyDisplay: s.currencyDisplay, currencySign: s.currencySign });
      Object.assign(o, {
        minimumIntegerDigits: s.minimumIntegerDigits,
        minimumFractionDigits: s.minimumFractionDigits,
        maximumFractionDigits: s.maximumFractionDigits,
        useGrouping: s.useGrouping,
        notation: "standard",
        signDisplay: "auto",
        roundingMode: "halfExpand",
        roundingIncrement: 1,
        trailingZeroDisplay: "auto",
        roundingPriority: "auto",
      });
      return o;
    }
    static supportedLocalesOf(locales, options) {
      return supportedLocalesOf(locales, options);
    }
  }
  tag(NumberFormat, "Intl.NumberFormat");
  define(Intl, "NumberFormat", NumberFormat);

  define(Number.prototype, "toLocaleString", function toLocaleString(locales, options) {
    if (typeof this !== "number" && !(this instanceof Number)) {
      throw new TypeError("Number.prototype.toLocaleString requires that 'this' be a Number");
    }
    return new NumberFormat(locales, options).format(Number(this));
  });
  define(BigInt.prototype, "toLocaleString", function toLocaleString(locales, options) {
    const v = BigInt.prototype.valueOf.call(this);
    return new NumberFormat(locales, options).format(v);
  });

  // --- Intl.RelativeTimeFormat -------------------------------------------

  const RTF = Symbol("RelativeTimeFormat");
  const RELATIVE_UNITS = ["second", "minute", "hour", "day", "week", "month", "quarter", "year"];

  function formatRelative(s, value, unit, parts) {
    value = Number(value);
    if (!Number.isFinite(value)) throw new RangeError("Invalid time value");
    unit = String(unit);
    const u = unit.endsWith("s") && RELATIVE_UNITS.includes(unit.slice(0, -1)) ? unit.slice(0, -1) : unit;
    if (!RELATIVE_UNITS.includes(u)) throw new RangeError(`Invalid unit argument for ${parts ? "formatToParts" : "format"}() '${unit}'`);
    // -0 is in the past ("0 days ago"), as ECMA-402 says, but "today"
    // with numeric "auto" (ICU4X keeps no word for -0).
    if (Object.is(value, -0)) value = s.numeric === "auto" ? 0 : -Number.MIN_VALUE;
    const out = native.intlFormatRelative(s.icu, s.style, u, s.numeric === "auto", !!parts, value);
    if (!parts) return out;
    return out.map(([type, v]) => (type === "literal" ? { type, value: v } : { type, value: v, unit: u }));
  }

  class RelativeTimeFormat {
    constructor(locales, options) {
      if (new.target === undefined) throw new TypeError("Constructor Intl.RelativeTimeFormat requires 'new'");
      options = toObjectOptions(options);
      getOption(options, "localeMatcher", "string", ["lookup", "best fit"], "best fit");
      const nu = getOption(options, "numberingSystem", "string", undefined, undefined);
      if (nu !== undefined && !/^[a-z0-9]{3,8}(-[a-z0-9]{3,8})*$/i.test(nu)) throw new RangeError(`Invalid numberingSystem : ${nu}`);
      const r = resolveLocale(locales, ["nu"], { nu });
      const style = getOption(options, "style", "string", ["long", "short", "narrow"], "long");
      const numeric = getOption(options, "numeric", "string", ["always", "auto"], "always");
      this[RTF] = { locale: r.locale, icu: r.icu, numberingSystem: r.keys.get("nu"), style, numeric };
    }
    format(value, unit) {
      return formatRelative(brand(this, RTF, "RelativeTimeFormat.prototype.format"), value, unit, false);
    }
    formatToParts(value, unit) {
      return formatRelative(brand(this, RTF, "RelativeTimeFormat.prototype.formatToParts"), value, unit, true);
    }
    resolvedOptions() {
      const s = brand(this, RTF, "RelativeTimeFormat.prototype.resolvedOptions");
      return { locale: s.locale, style: s.style, numeric: s.numeric, numberingSystem: s.numberingSystem || "latn" };
    }
    static supportedLocalesOf(locales, options) {
      return supportedLocalesOf(locales, options);
    }
  }
  tag(RelativeTimeFormat, "Intl.RelativeTimeFormat");
  define(Intl, "RelativeTimeFormat", RelativeTimeFormat);

  // --- Intl.PluralRules ---------------------------------------------------

  const PR = Symbol("PluralRules");
  class PluralRules {
    constructor(locales, options) {
      if (new.target === undefined) throw new TypeError("Constructor Intl.PluralRules requires 'new'");
      options = toObjectOptions(options);
      getOption(options, "localeMatcher", "string", ["lookup", "best fit"], "best fit");
      const type = getOption(options, "type", "string", ["cardinal", "ordinal"], "cardinal");
      const r = resolveLocale(locales, [], {});
      const minInt = getNumberOption(options, "minimumIntegerDigits", 1, 21, 1);
      let minFrac = getNumberOption(options, "minimumFractionDigits", 0, 100, undefined);
      let maxFrac = getNumberOption(options, "maximumFractionDigits", 0, 100, undefined);
      if (minFrac === undefined && maxFrac === undefined) {
        minFrac = 0;
        maxFrac = 3;
      } else if (minFrac === undefined) minFrac = Math.min(0, maxFrac);
      else if (maxFrac === undefined) maxFrac = Math.max(minFrac, 3);
      else if (minFrac > maxFrac) throw new RangeError("maximumFractionDigits value is out of range.");
      this[PR] = { locale: r.locale, icu: r.icu, type, minimumIntegerDigits: minInt, minimumFractionDigits: minFrac, maximumFractionDigits: maxFrac };
    }
    select(n) {
      const s = brand(this, PR, "PluralRules.prototype.select");
      n = Number(n);
      if (!Number.isFinite(n)) return "other";
      return native.intlSelectPlural(s.icu, s.type === "ordinal", s.minimumFractionDigits, s.maximumFractionDigits, n);
    }
    resolvedOptions() {
      const s = brand(this, PR, "PluralRules.prototype.resolvedOptions");
      return {
        locale: s.locale,
        type: s.type,
        minimumIntegerDigits: s.minimumIntegerDigits,
        minimumFractionDigits: s.minimumFractionDigits,
        maximumFractionDigits: s.maximumFractionDigits,
      };
    }
    static supportedLocalesOf(locales, options) {
      return supportedLocalesOf(locales, options);
    }
  }
  tag(PluralRules, "Intl.PluralRules");
  define(Intl, "PluralRules", PluralRules);

  // --- Intl.Collator ------------------------------------------------------

  const CO = Symbol("Collator");
  class Collator {
    constructor(locales, options) {
      options = toObjectOptions(options);
      const usage = getOption(options, "usage", "string", ["sort", "search"], "sort");
      if (usage === "search") throw unsupported('usage "search"');
      getOption(options, "localeMatcher", "string", ["lookup", "best fit"], "best fit");
      const co = getOption(options, "collation", "string", undefined, undefined);
      if (co !== undefined) throw unsupported("collation");
      const numeric = getOption(options, "numeric", "boolean", undefined, undefined);
      const caseFirst = getOption(options, "caseFirst", "string", ["upper", "lower", "false"], undefined);
      const r = resolveLocale(locales, ["kn", "kf"], {
        kn: numeric === undefined ? undefined : String(numeric),
        kf: caseFirst,
      });
      const sensitivity = getOption(options, "sensitivity", "string", ["base", "accent", "case", "variant"], "variant");
      const ignorePunctuation = getOption(options, "ignorePunctuation", "boolean", undefined, false);
      const kn = r.keys.get("kn");
      this[CO] = {
        locale: r.locale,
        icu: r.icu,
        usage,
        sensitivity,
        ignorePunctuation,
        numeric: kn === "true",
        caseFirst: r.keys.get("kf") || "false",
        bound: undefined,
      };
    }
    get compare() {
      const s = brand(this, CO, "Collator.prototype.compare");
      if (s.bound === undefined) {
        s.bound = (a, b) => native.intlCompare(s.icu, s.sensitivity, s.ignorePunctuation, String(a), String(b));
      }
      return s.bound;
    }
    resolvedOptions() {
      const s = brand(this, CO, "Collator.prototype.resolvedOptions");
      return {
        locale: s.locale,
        usage: s.usage,
        sensitivity: s.sensitivity,
        ignorePunctuation: s.ignorePunctuation,
        collation: "default",
        numeric: s.numeric,
        caseFirst: s.caseFirst,
      };
    }
    static supportedLocalesOf(locales, options) {
      return supportedLocalesOf(locales, options);
    }
  }
  tag(Collator, "Intl.Collator");
  define(Intl, "Collator", Collator);

  define(String.prototype, "localeCompare", function localeCompare(that, locales, options) {
    if (this === undefined || this === null) {
      throw new TypeError("String.prototype.localeCompare called on null or undefined");
    }
    return new Collator(locales, options).compare(String(this), String(that));
  });

  // --- Intl.Segmenter -----------------------------------------------------

  const SG = Symbol("Segmenter");
  const SEGMENTS = Symbol("Segments");

  function segmentData(seg, i) {
    const { input, breaks, wordLike, granularity } = seg;
    const d = { segment: input.slice(breaks[i], breaks[i + 1]), index: breaks[i], input };
    if (granularity === "word") d.isWordLike = wordLike[i];
    return d;
  }

  class Segments {
    containing(index) {
      const seg = brand(this, SEGMENTS, "Segments.prototype.containing");
      let n = Math.trunc(Number(index)) || 0;
      if (n < 0 || n >= seg.input.length) return undefined;
      let i = 0;
      while (seg.breaks[i + 1] <= n) i++;
      return segmentData(seg, i);
    }
    *[Symbol.iterator]() {
      const seg = brand(this, SEGMENTS, "Segments.prototype[@@iterator]");
      for (let i = 0; i + 1 < seg.breaks.length; i++) yield segmentData(seg, i);
    }
  }

  class Segmenter {
    constructor(locales, options) {
      if (new.target === undefined) throw new TypeError("Constructor Intl.Segmenter requires 'new'");
      options = toObjectOptions(options);
      getOption(options, "localeMatcher", "string", ["lookup", "best fit"], "best fit");
      const r = resolveLocale(locales, [], {});
      const granularity = getOption(options, "granularity", "string", ["grapheme", "word", "sentence"], "grapheme");
      this[SG] = { locale: r.locale, granularity };
    }
    segment(input) {
      const s = brand(this, SG, "Segmenter.prototype.segment");
      input = String(input);
      const [breaks, wordLike] = native.intlSegment(s.granularity, input);
      const segments = Object.create(Segments.prototype);
      segments[SEGMENTS] = { input, breaks, wordLike, granularity: s.granularity };
      return segments;
    }
    resolvedOptions() {
      const s = brand(this, SG, "Segmenter.prototype.resolvedOptions");
      return { locale: s.locale, granularity: s.granularity };
    }
    static supportedLocalesOf(locales, options) {
      return supportedLocalesOf(locales, options);
    }
  }
  tag(Segmenter, "Intl.Segmenter");
  define(Intl, "Segmenter", Segmenter);

  // --- Intl.ListFormat ----------------------------------------------------

  const LF = Symbol("ListFormat");

  // The strings of an iterable (ECMA-402's StringListFromIterable).
  function stringList(list) {
    if (list === undefined) return [];
    const out = [];
    for (const item of list) {
      if (typeof item !== "string") throw new TypeError(`Iterable yielded ${typeof item === "symbol" ? "a Symbol" : String(item)} which is not a string`);
      out.push(item);
    }
    return out;
  }

  class ListFormat {
    constructor(locales, options) {
      if (new.target === undefined) throw new TypeError("Constructor Intl.ListFormat requires 'new'");
      if (options !== undefined && (options === null || typeof options !== "object")) throw new TypeError("Options must be an object");
      options = toObjectOptions(options);
      const r = resolveLocale(locales, [], {});
      getOption(options, "localeMatcher", "string", ["lookup", "best fit"], "best fit");
      const type = getOption(options, "type", "string", ["conjunction", "disjunction", "unit"], "conjunction");
      const style = getOption(options, "style", "string", ["long", "short", "narrow"], "long");
      this[LF] = { locale: r.locale, icu: r.icu, type, style };
    }
    format(list) {
      const s = brand(this, LF, "ListFormat.prototype.format");
      return native.intlFormatList(s.icu, s.type, s.style, stringList(list), false);
    }
    formatToParts(list) {
      const s = brand(this, LF, "ListFormat.prototype.formatToParts");
      return native.intlFormatList(s.icu, s.type, s.style, stringList(list), true).map(([type, value]) => ({ type, value }));
    }
    resolvedOptions() {
      const s = brand(this, LF, "ListFormat.prototype.resolvedOptions");
      return { locale: s.locale, type: s.type, style: s.style };
    }
    static supportedLocalesOf(locales, options) {
      return supportedLocalesOf(locales, options);
    }
  }
  tag(ListFormat, "Intl.ListFormat");
  define(Intl, "ListFormat", ListFormat);

  // --- Intl.DateTimeFormat ------------------------------------------------

  const DF = Symbol("DateTimeFormat");
  const STYLES = { full: 1, long: 2, medium: 3, short: 4 };
  const ZONE_STYLES = { short: 1, shortOffset: 2, longOffset: 3 };
  const SKELETON = {
    era: { short: "G" },
    weekday: { narrow: "EEEEE", short: "E", long: "EEEE" },
    year: { "2-digit": "yy", numeric: "y" },
    month: { "2-digit": "MM", numeric: "M", narrow: "MMMMM", short: "MMM", long: "MMMM" },
    day: { "2-digit": "dd", numeric: "d" },
    minute: { "2-digit": "mm", numeric: "mm" },
    second: { "2-digit": "ss", numeric: "ss" },
  };

  // required: "date", "time" or "any"; defaults: "date", "time" or "all".
  function dateTimeFormat(locales, options, required, defaults) {
    options = options === undefined ? Object.create(null) : toObjectOptions(options);
    getOption(options, "localeMatcher", "string", ["lookup", "best fit"], "best fit");
    const cal = getOption(options, "calendar", "string", undefined, undefined);
    if (cal !== undefined && cal !== "gregory") throw unsupported(`calendar "${cal}"`);
    const nu = getOption(options, "numberingSystem", "string", undefined, undefined);
    const hour12 = getOption(options, "hour12", "boolean", undefined, undefined);
    const hourCycle = getOption(options, "hourCycle", "string", ["h11", "h12", "h23", "h24"], undefined);
    let hc = hour12 === undefined ? hourCycle : hour12 ? "h12" : "h23";
    if (hc === "h11" || hc === "h24") throw unsupported(`hourCycle "${hc}"`);
    let tz = options.timeZone;
    if (tz === undefined) tz = "UTC";
    else {
      tz = String(tz);
      // The names of UTC are "UTC" (as node says); any other zone is the
      // tz database's, spelled as it spells it.
      if (/^(etc\/)?(utc|gmt|uct|zulu|universal|gmt[+-]?0|greenwich)$/i.test(tz)) tz = "UTC";
      else {
        const name = native.intlTimeZone(tz);
        if (name === undefined) throw new RangeError(`Invalid time zone specified: ${tz}`);
        tz = name;
      }
    }
    const fields = {};
    const weekday = getOption(options, "weekday", "string", ["narrow", "short", "long"], undefined);
    const era = getOption(options, "era", "string", ["narrow", "short", "long"], undefined);
    // ICU4X's skeletons have one era width, that of the pattern's length.
    if (era !== undefined && era !== "short") throw unsupported(`era "${era}"`);
    fields.weekday = weekday;
    fields.era = era;
    fields.year = getOption(options, "year", "string", ["2-digit", "numeric"], undefined);
    fields.month = getOption(options, "month", "string", ["2-digit", "numeric", "narrow", "short", "long"], undefined);
    fields.day = getOption(options, "day", "string", ["2-digit", "numeric"], undefined);
    const dayPeriod = getOption(options, "dayPeriod", "string", ["narrow", "short", "long"], undefined);
    if (dayPeriod !== undefined) throw unsupported("dayPeriod");
    fields.hour = getOption(options, "hour", "string", ["2-digit", "numeric"], undefined);
    fields.minute = getOption(options, "minute", "string", ["2-digit", "numeric"], undefined);
    fields.second = getOption(options, "second", "string", ["2-digit", "numeric"], undefined);
    if (options.fractionalSecondDigits !== undefined) throw unsupported("fractionalSecondDigits");
    const tzn = getOption(options, "timeZoneName", "string", ["short", "long", "shortOffset", "longOffset", "shortGeneric", "longGeneric"], undefined);
    // The long and generic names would link every zone's names in every
    // locale (megabytes): the short names and the offsets are kept.
    if (tzn !== undefined && !ZONE_STYLES[tzn]) throw unsupported(`timeZoneName "${tzn}"`);
    getOption(options, "formatMatcher", "string", ["basic", "best fit"], "best fit");
    const dateStyle = getOption(options, "dateStyle", "string", ["full", "long", "medium", "short"], undefined);
    const timeStyle = getOption(options, "timeStyle", "string", ["full", "long", "medium", "short"], undefined);
    const anyField = Object.values(fields).some((v) => v !== undefined) || tzn !== undefined;
    if (dateStyle !== undefined || timeStyle !== undefined) {
      if (anyField) throw new TypeError(`Can't set option ${Object.keys(fields).find((k) => fields[k] !== undefined) || "timeZoneName"} when ${dateStyle !== undefined ? "dateStyle" : "timeStyle"} is used`);
      if (required === "date" && dateStyle === undefined) throw new TypeError("Invalid option : timeStyle");
      if (required === "time" && timeStyle === undefined) throw new TypeError("Invalid option : dateStyle");
      if (timeStyle === "full") throw unsupported(`timeStyle "${timeStyle}"`);
    } else {
      let needDefaults = true;
      if (required !== "time" && (fields.weekday || fields.year || fields.month || fields.day)) needDefaults = false;
      if (required !== "date" && (fields.hour || fields.minute || fields.second)) needDefaults = false;
      if (needDefaults && (defaults === "date" || defaults === "all")) {
        fields.year = fields.month = fields.day = "numeric";
      }
      if (needDefaults && (defaults === "time" || defaults === "all")) {
        fields.hour = fields.minute = fields.second = "numeric";
      }
    }
    const r = resolveLocale(locales, ["nu", "hc"], { nu, hc });
    let skeleton = "";
    for (const k of ["era", "year", "month", "day", "weekday"]) {
      if (fields[k] !== undefined) skeleton += SKELETON[k][fields[k]];
    }
    if (fields.hour !== undefined) {
      const rhc = r.keys.get("hc");
      const h = rhc === "h12" ? "h" : rhc === "h23" ? "H" : "j";
      skeleton += fields.hour === "2-digit" ? h + h : h;
    }
    if (fields.minute !== undefined) skeleton += SKELETON.minute[fields.minute];
    if (fields.second !== undefined) skeleton += SKELETON.second[fields.second];
    return {
      locale: r.locale,
      icu: r.icu,
      numberingSystem: r.keys.get("nu"),
      hourCycle: r.keys.get("hc"),
      timeZone: tz,
      timeZoneName: timeStyle === "long" ? "short" : tzn,
      fields,
      dateStyle,
      timeStyle,
      skeleton,
      // timeStyle "long" is "medium" with the zone's short name.
      styles: [STYLES[dateStyle] || 0, STYLES[timeStyle === "long" ? "medium" : timeStyle] || 0, fields.year === "numeric" && era === undefined ? 1 : 0, 0, ZONE_STYLES[timeStyle === "long" ? "short" : tzn] || 0],
      bound: undefined,
    };
  }

  function formatDate(s, date, parts) {
    const t = date === undefined ? Date.now() : Number(date instanceof Date ? date.getTime() : date);
    if (!Number.isFinite(t) || Math.abs(t) > 8.64e15) throw new RangeError("Invalid time value");
    // The local time in the zone: the instant shifted by the zone's offset
    // then (the tz database's rules, through jiff), read as UTC.
    const offset = s.timeZone === "UTC" ? 0 : native.intlZoneOffset(s.timeZone, t);
    const d = new Date(t + offset * 1000);
    const fields = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()];
    const styles = s.styles.slice();
    styles[5] = offset;
    let out;
    if (styles[4] === 0) {
      styles[3] = parts ? 1 : 0;
      out = native.intlFormatDate(s.icu, styles, s.skeleton, fields, s.timeZone);
    } else {
      out = withZoneName(s, styles, fields);
      if (!parts) out = out.map((p) => p[1]).join("");
    }
    // V8 (node, Chrome) writes U+202F NARROW NO-BREAK SPACE, which CLDR 42
    // put before AM/PM and in other date patterns, as a plain space in
    // `format` (not in `formatToParts`).
    if (!parts) return out.replace(/\u202f/g, " ");
    return out.map(([type, value]) => ({ type, value }));
  }

  const TIME_PARTS = ["hour", "minute", "second", "dayPeriod"];

  // The parts of a date-time with its zone's name. ICU4X formats the date
  // and time alone exactly as it does without a zone; with a zone it pads
  // some numeric fields ("Jul 04") and glues a date alone to the zone with
  // a space. So the date and time come from the zone-less format, the
  // zone's name and where it goes (after the time, or before it as in zh)
  // from the zoned one, and a date alone is glued to the zone as ICU (node)
  // does: with the locale's date-time connector (", " in en, " " in ja).
  function withZoneName(s, styles, fields) {
    styles[3] = 1;
    const zoned = native.intlFormatDate(s.icu, styles, s.skeleton, fields, s.timeZone);
    const at = zoned.findIndex((p) => p[0] === "timeZoneName");
    let zone = zoned[at];
    // A zone at UTC+0 without a short name in the locale: ICU4X writes the
    // offset ("GMT+0"), ICU (node) the locale's zero format ("GMT").
    if (zone && styles[4] === 1 && styles[5] === 0) zone = [zone[0], zone[1].replace(/[+\u2212-]0$/, "")];
    styles[4] = 0;
    const plain = native.intlFormatDate(s.icu, styles, s.skeleton, fields, s.timeZone);
    if (at < 0) return plain;
    // The literal text next to the zone in the zoned format, less what the
    // zone-less format already has there ("23 Uhr" + " Uhr GMT+11").
    const glue = (p, had, after) => {
      let text = p && p[0] === "literal" ? p[1] : "";
      if (had && had[0] === "literal") {
        if (after && text.startsWith(had[1])) text = text.slice(had[1].length);
        if (!after && text.endsWith(had[1])) text = text.slice(0, -had[1].length);
      }
      return text;
    };
    const time = plain.findIndex((p) => TIME_PARTS.includes(p[0]));
    let out;
    if (time < 0) {
      const withHour = native.intlFormatDate(s.icu, styles, s.skeleton + "j", fields, s.timeZone);
      const hour = withHour.findIndex((p) => TIME_PARTS.includes(p[0]));
      out = [...plain, ["literal", glue(withHour[hour - 1], plain[plain.length - 1], true)], zone];
    } else if (at === zoned.length - 1) {
      out = [...plain, ["literal", glue(zoned[at - 1], plain[plain.length - 1], true)], zone];
    } else {
      out = [...plain.slice(0, time), zone, ["literal", glue(zoned[at + 1], plain[time - 1], false)], ...plain.slice(time)];
    }
    return out.filter((p) => p[1] !== "");
  }

  class DateTimeFormat {
    constructor(locales, options) {
      this[DF] = dateTimeFormat(locales, options, "any", "date");
    }
    get format() {
      const s = brand(this, DF, "DateTimeFormat.prototype.format");
      if (s.bound === undefined) s.bound = (date) => formatDate(s, date);
      return s.bound;
    }
    formatToParts(date) {
      return formatDate(brand(this, DF, "DateTimeFormat.prototype.formatToParts"), date, true);
    }
    resolvedOptions() {
      const s = brand(this, DF, "DateTimeFormat.prototype.resolvedOptions");
      const o = { locale: s.locale, calendar: "gregory", numberingSystem: s.numberingSystem || "latn" };
      o.timeZone = s.timeZone;
      if (s.timeStyle !== undefined || s.fields.hour !== undefined) {
        // The locale's own cycle when none was asked for: h12 if its hours
        // come with a day period (1 PM), else h23.
        const hc = s.hourCycle ?? (native.intlFormatDate(s.icu, [0, 0, 0, 1, 0, 0], "j", [2000, 1, 1, 13, 0, 0, 0], "UTC").some((p) => p[0] === "dayPeriod") ? "h12" : "h23");
        o.hourCycle = hc;
        o.hour12 = hc === "h12";
      }
      for (const k of ["weekday", "era", "year", "month", "day"]) {
        if (s.fields[k] !== undefined) o[k] = s.fields[k];
      }
      if (s.fields.hour !== undefined) o.hour = s.fields.hour;
      if (s.fields.minute !== undefined) o.minute = "2-digit";
      if (s.fields.second !== undefined) o.second = "2-digit";
      if (s.timeZoneName !== undefined && s.timeStyle === undefined) o.timeZoneName = s.timeZoneName;
      if (s.dateStyle !== undefined) o.dateStyle = s.dateStyle;
      if (s.timeStyle !== undefined) o.timeStyle = s.timeStyle;
      return o;
    }
    static supportedLocalesOf(locales, options) {
      return supportedLocalesOf(locales, options);
    }
  }
  tag(DateTimeFormat, "Intl.DateTimeFormat");
  define(Intl, "DateTimeFormat", DateTimeFormat);

  const dateMethod = (name, required, defaults) =>
    define(Date.prototype, name, {
      [name](locales, options) {
        const t = Date.prototype.getTime.call(this);
        if (Number.isNaN(t)) return "Invalid Date";
        return formatDate(dateTimeFormat(locales, options, required, defaults), t);
      },
    }[name]);
  dateMethod("toLocaleString", "any", "all");
  dateMethod("toLocaleDateString", "date", "date");
  dateMethod("toLocaleTimeString", "time", "time");
})
