// Intl (ECMA-402) on ICU4X 2.x (intl_natives.rs): the option reading of
// the standard is here, the locale data and the algorithms are ICU4X's.
//
//   Intl.getCanonicalLocales
//   Intl.NumberFormat     style decimal and percent; minimumIntegerDigits,
//                         minimum/maximumFractionDigits, useGrouping;
//                         format, formatToParts, resolvedOptions (no currency,
//                         unit, significant digits, notation, signDisplay:
//                         RangeError)
//   Intl.RelativeTimeFormat  second ... year (and plurals); style long,
//                         short, narrow; numeric always, auto; format,
//                         formatToParts, resolvedOptions
//   Intl.DateTimeFormat   dateStyle, timeStyle (short, medium), weekday,
//                         year, month, day, hour, minute, second, hour12;
//                         timeZone "UTC" only (the default: WASI has no
//                         local time zone); format, formatToParts,
//                         resolvedOptions
//   Intl.PluralRules      cardinal and ordinal; select, resolvedOptions
//   Intl.Collator         sensitivity, numeric, caseFirst,
//                         ignorePunctuation; compare, resolvedOptions
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

  function formatNumber(s, x, parts) {
    let digits = null;
    if (typeof x === "bigint") digits = String(x);
    else x = Number(x);
    if (digits === null && !Number.isFinite(x)) {
      const body = Number.isNaN(x) ? "NaN" : "∞";
      const neg = x === -Infinity;
      if (!parts) return (neg ? "-" : "") + body;
      const p = [{ type: Number.isNaN(x) ? "nan" : "infinity", value: body }];
      if (neg) p.unshift({ type: "minusSign", value: "-" });
      return p;
    }
    const percent = s.style === "percent";
    const opts = [GROUPING[String(s.useGrouping)], percent ? 1 : 0, s.minimumIntegerDigits, s.minimumFractionDigits, s.maximumFractionDigits, parts && !percent ? 1 : 0];
    const out = native.intlFormatNumber(s.icu, opts, digits === null ? x : 0, digits);
    if (!parts) return out;
    if (!percent) return out.map(([type, value]) => ({ type, value }));
    // ICU4X's percent formatter gives no parts: the number's own parts
    // (those of |x| times 100) are found in its text, and the rest is the
    // percent sign, the minus sign or literal text.
    opts[1] = 2;
    opts[5] = 1;
    const abs = digits === null ? Math.abs(x) : 0;
    const num = native.intlFormatNumber(s.icu, opts, abs, digits === null ? null : digits.replace(/^-/, ""));
    const numText = num.map((p) => p[1]).join("");
    const at = out.indexOf(numText);
    if (at < 0) return [{ type: "literal", value: out }];
    const affix = (text) => {
      const res = [];
      for (const ch of text) {
        const type = ch === "%" || ch === "٪" ? "percentSign" : ch === "-" || ch === "\u2212" ? "minusSign" : "literal";
        const last = res[res.length - 1];
        if (last && last.type === type && type === "literal") last.value += ch;
        else res.push({ type, value: ch });
      }
      return res;
    };
    return [
      ...affix(out.slice(0, at)),
      ...num.map(([type, value]) => ({ type, value })),
      ...affix(out.slice(at + numText.length)),
    ];
  }

  class NumberFormat {
    constructor(locales, options) {
      options = toObjectOptions(options);
      getOption(options, "localeMatcher", "string", ["lookup", "best fit"], "best fit");
      const nu = getOption(options, "numberingSystem", "string", undefined, undefined);
      if (nu !== undefined && !/^[a-z0-9]{3,8}(-[a-z0-9]{3,8})*$/i.test(nu)) throw new RangeError(`Invalid numberingSystem : ${nu}`);
      const r = resolveLocale(locales, ["nu"], { nu });
      const style = getOption(options, "style", "string", ["decimal", "percent", "currency", "unit"], "decimal");
      // Percent is icu_experimental's percent formatter; currency and unit
      // are not done yet.
      if (style !== "decimal" && style !== "percent") throw unsupported(`style "${style}"`);
      if (options.currency !== undefined) throw unsupported("currency");
      const notation = getOption(options, "notation", "string", ["standard", "scientific", "engineering", "compact"], "standard");
      if (notation !== "standard") throw unsupported(`notation "${notation}"`);
      const minInt = getNumberOption(options, "minimumIntegerDigits", 1, 21, 1);
      if (options.minimumSignificantDigits !== undefined || options.maximumSignificantDigits !== undefined) {
        throw unsupported("significant digits");
      }
      const defMax = style === "percent" ? 0 : 3;
      let minFrac = getNumberOption(options, "minimumFractionDigits", 0, 100, undefined);
      let maxFrac = getNumberOption(options, "maximumFractionDigits", 0, 100, undefined);
      if (minFrac === undefined && maxFrac === undefined) {
        minFrac = 0;
        maxFrac = defMax;
      } else if (minFrac === undefined) {
        minFrac = Math.min(0, maxFrac);
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
      Object.assign(o, {
        style: s.style,
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

  // --- Intl.DateTimeFormat ------------------------------------------------

  const DF = Symbol("DateTimeFormat");
  const STYLES = { full: 1, long: 2, medium: 3, short: 4 };
  const SKELETON = {
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
      if (!/^(utc|etc\/utc|gmt|etc\/gmt)$/i.test(tz)) throw new RangeError(`Invalid time zone specified: ${tz}`);
      tz = "UTC";
    }
    const fields = {};
    const weekday = getOption(options, "weekday", "string", ["narrow", "short", "long"], undefined);
    const era = getOption(options, "era", "string", ["narrow", "short", "long"], undefined);
    if (era !== undefined) throw unsupported("era");
    fields.weekday = weekday;
    fields.year = getOption(options, "year", "string", ["2-digit", "numeric"], undefined);
    fields.month = getOption(options, "month", "string", ["2-digit", "numeric", "narrow", "short", "long"], undefined);
    fields.day = getOption(options, "day", "string", ["2-digit", "numeric"], undefined);
    const dayPeriod = getOption(options, "dayPeriod", "string", ["narrow", "short", "long"], undefined);
    if (dayPeriod !== undefined) throw unsupported("dayPeriod");
    fields.hour = getOption(options, "hour", "string", ["2-digit", "numeric"], undefined);
    fields.minute = getOption(options, "minute", "string", ["2-digit", "numeric"], undefined);
    fields.second = getOption(options, "second", "string", ["2-digit", "numeric"], undefined);
    if (options.fractionalSecondDigits !== undefined) throw unsupported("fractionalSecondDigits");
    const tzn = getOption(options, "timeZoneName", "string", undefined, undefined);
    if (tzn !== undefined) throw unsupported("timeZoneName");
    getOption(options, "formatMatcher", "string", ["basic", "best fit"], "best fit");
    const dateStyle = getOption(options, "dateStyle", "string", ["full", "long", "medium", "short"], undefined);
    const timeStyle = getOption(options, "timeStyle", "string", ["full", "long", "medium", "short"], undefined);
    const anyField = Object.values(fields).some((v) => v !== undefined);
    if (dateStyle !== undefined || timeStyle !== undefined) {
      if (anyField) throw new TypeError(`Can't set option ${Object.keys(fields).find((k) => fields[k] !== undefined)} when ${dateStyle !== undefined ? "dateStyle" : "timeStyle"} is used`);
      if (required === "date" && dateStyle === undefined) throw new TypeError("Invalid option : timeStyle");
      if (required === "time" && timeStyle === undefined) throw new TypeError("Invalid option : dateStyle");
      if (timeStyle === "long" || timeStyle === "full") throw unsupported(`timeStyle "${timeStyle}"`);
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
    for (const k of ["year", "month", "day", "weekday"]) {
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
      fields,
      dateStyle,
      timeStyle,
      skeleton,
      styles: [STYLES[dateStyle] || 0, STYLES[timeStyle] || 0, fields.year === "numeric" ? 1 : 0],
      bound: undefined,
    };
  }

  function formatDate(s, date, parts) {
    const t = date === undefined ? Date.now() : Number(date instanceof Date ? date.getTime() : date);
    if (!Number.isFinite(t) || Math.abs(t) > 8.64e15) throw new RangeError("Invalid time value");
    const d = new Date(t);
    const fields = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()];
    // V8 (node, Chrome) writes U+202F NARROW NO-BREAK SPACE, which CLDR 42
    // put before AM/PM and in other date patterns, as a plain space in
    // `format` (not in `formatToParts`).
    const out = native.intlFormatDate(s.icu, [...s.styles, parts ? 1 : 0], s.skeleton, fields);
    if (!parts) return out.replace(/\u202f/g, " ");
    return out.map(([type, value]) => ({ type, value }));
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
      if (s.hourCycle !== undefined && (s.timeStyle !== undefined || s.fields.hour !== undefined)) {
        o.hourCycle = s.hourCycle;
        o.hour12 = s.hourCycle === "h12";
      }
      for (const k of ["weekday", "year", "month", "day"]) {
        if (s.fields[k] !== undefined) o[k] = s.fields[k];
      }
      if (s.fields.hour !== undefined) o.hour = s.fields.hour;
      if (s.fields.minute !== undefined) o.minute = "2-digit";
      if (s.fields.second !== undefined) o.second = "2-digit";
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
