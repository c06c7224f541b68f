//! The host side of `Intl` (`intl.js`), on ICU4X 2.x (`icu_decimal`,
//! `icu_datetime`, `icu_plurals`, `icu_collator`, `icu_segmenter`,
//! `icu_locale`, and `icu_experimental`'s relative time and percent
//! formatters) and its compiled data: no locale data is written here.
//!
//! `intl.js` does the ECMA-402 option reading and hands these functions a
//! BCP 47 locale (with `-u-` keywords for the preferences ICU4X reads from
//! the locale: `hc`, `kn`, `kf`, `nu`) and a few plain options. Formatters
//! are made on first use and kept in a per-instance cache keyed by locale
//! and options, so nothing of ICU4X runs at engine start or for apps that
//! do not use `Intl`.

use fixed_decimal::{Decimal, FloatPrecision, SignedRoundingMode, UnsignedRoundingMode};
use icu_calendar::Iso;
use icu_collator::options::{AlternateHandling, CaseLevel, CollatorOptions, Strength};
use icu_collator::{Collator, CollatorBorrowed, CollatorPreferences};
use icu_datetime::fieldbag::DateTimeFieldBag;
use icu_datetime::fieldsets::builder::{DateFields, FieldSetBuilder};
use icu_datetime::fieldsets::enums::{
    CompositeDateTimeFieldSet, DateAndTimeFieldSet, DateFieldSet, TimeFieldSet,
};
use icu_datetime::fieldsets::{Combo, zone};
use icu_datetime::options::{Length, TimePrecision, YearStyle};
use icu_datetime::{
    DateTimeFormatter, DateTimeFormatterLoadError, DateTimeFormatterPreferences, FormattedDateTime,
};
use icu_decimal::options::{DecimalFormatterOptions, GroupingStrategy};
use icu_decimal::{DecimalFormatter, DecimalFormatterPreferences};
use icu_experimental::dimension::currency::CurrencyType;
use icu_experimental::dimension::currency::formatter::{
    CurrencyFormatter, CurrencyFormatterPreferences,
};
use icu_experimental::dimension::currency::options::{CurrencyFormatterOptions, CurrencyUsage};
use icu_experimental::dimension::percent::formatter::{
    PercentFormatter, PercentFormatterPreferences,
};
use icu_experimental::dimension::percent::options::PercentFormatterOptions;
use icu_experimental::dimension::provider::currency::fractions::CurrencyFractionsV1;
use icu_experimental::relativetime::options::Numeric;
use icu_experimental::relativetime::{
    RelativeTimeFormatter, RelativeTimeFormatterOptions, RelativeTimeFormatterPreferences,
};
use icu_list::options::{ListFormatterOptions, ListLength};
use icu_list::{ListFormatter, ListFormatterPreferences};
use icu_locale::{Locale, LocaleCanonicalizer};
use icu_plurals::{PluralCategory, PluralRuleType, PluralRules, PluralRulesPreferences};
use icu_segmenter::options::{SentenceBreakInvariantOptions, WordBreakInvariantOptions};
use icu_segmenter::{GraphemeClusterSegmenter, SentenceSegmenter, WordSegmenter};
use icu_time::zone::UtcOffset;
use icu_time::zone::models::AtTime;
use icu_time::{TimeZone, TimeZoneInfo, ZonedDateTime};
use rquickjs::{Array, Ctx, Exception, Function, Object, Result, Value};
use std::cell::RefCell;
use std::collections::HashMap;
use writeable::{Part, PartsWrite, Writeable};

/// The formatters made so far, by kind, locale and options.
#[derive(Default)]
struct Cache {
    decimal: HashMap<(String, u8), DecimalFormatter>,
    percent: HashMap<(String, u8), PercentFormatter<DecimalFormatter>>,
    currency: HashMap<String, CurrencyFormatter<DecimalFormatter>>,
    relative: HashMap<String, RelativeTimeFormatter>,
    datetime: HashMap<String, DateTimeFormatter<CompositeDateTimeFieldSet>>,
    zoned: HashMap<String, ZonedFormatter>,
    zones: HashMap<String, jiff::tz::TimeZone>,
    plural: HashMap<(String, bool), PluralRules>,
    collator: HashMap<String, CollatorBorrowed<'static>>,
    list: HashMap<String, ListFormatter>,
}

thread_local! {
    static CACHE: RefCell<Cache> = RefCell::new(Cache::default());
}

fn range_error(ctx: &Ctx<'_>, msg: &str) -> rquickjs::Error {
    Exception::throw_range(ctx, msg)
}

/// A `PartsWrite` sink keeping the text and where each part of one
/// category (`decimal`, `datetime`) starts and ends.
struct Parts {
    category: &'static str,
    text: String,
    spans: Vec<(usize, usize, &'static str)>,
}

impl std::fmt::Write for Parts {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.text.push_str(s);
        Ok(())
    }
}

impl PartsWrite for Parts {
    type SubPartsWrite = Self;
    fn with_part(
        &mut self,
        part: Part,
        mut f: impl FnMut(&mut Self) -> std::fmt::Result,
    ) -> std::fmt::Result {
        let start = self.text.len();
        f(self)?;
        if part.category == self.category {
            self.spans.push((start, self.text.len(), part.value));
        }
        Ok(())
    }
}

/// The ECMA-402 parts of a formatted value: `[type, text]` pairs, the
/// innermost part of the category naming each piece (a `group` within an
/// `integer`), `literal` for the text between parts.
fn to_parts<'js>(ctx: &Ctx<'js>, category: &'static str, w: &impl Writeable) -> Result<Array<'js>> {
    let mut sink = Parts {
        category,
        text: String::new(),
        spans: Vec::new(),
    };
    w.write_to_parts(&mut sink)
        .map_err(|_| range_error(ctx, "formatting failed"))?;
    let mut label = vec!["literal"; sink.text.len()];
    // Longest first, so that inner parts are painted over outer ones.
    sink.spans
        .sort_by_key(|&(a, b, _)| std::cmp::Reverse(b - a));
    for &(a, b, v) in &sink.spans {
        label[a..b].fill(v);
    }
    let out = Array::new(ctx.clone())?;
    let mut start = 0;
    for i in 1..=label.len() {
        if i == label.len() || label[i] != label[start] {
            let pair = Array::new(ctx.clone())?;
            pair.set(0, label[start])?;
            pair.set(1, &sink.text[start..i])?;
            out.set(out.len(), pair)?;
            start = i;
        }
    }
    Ok(out)
}

/// A formatted value for JS: with `parts`, its `[type, text]` pairs (as
/// [`to_parts`]), else its text.
fn formatted_value<'js>(
    ctx: &Ctx<'js>,
    category: &'static str,
    parts: bool,
    w: &impl Writeable,
) -> Result<Value<'js>> {
    if parts {
        return Ok(to_parts(ctx, category, w)?.into_value());
    }
    rquickjs::String::from_str(ctx.clone(), &w.write_to_string()).map(|s| s.into_value())
}

/// Parses and canonicalizes a BCP 47 tag (`Intl.getCanonicalLocales`).
fn parse_locale(ctx: &Ctx<'_>, tag: &str) -> Result<Locale> {
    let mut locale = Locale::try_from_str(tag).map_err(|_| {
        range_error(
            ctx,
            &format!("Incorrect locale information provided: {tag}"),
        )
    })?;
    LocaleCanonicalizer::new_common().canonicalize(&mut locale);
    Ok(locale)
}

/// `canonicalize(tag)`: the canonical form of a tag, or a RangeError.
fn canonicalize(ctx: Ctx<'_>, tag: String) -> Result<String> {
    Ok(parse_locale(&ctx, &tag)?.to_string())
}

/// The number `value` (a JS number, or a BigInt's decimal digits in
/// `digits`) rounded half away from zero to at most `max_frac` fraction
/// digits and padded to `min_frac`, times 100 for `percent`.
fn decimal(
    value: f64,
    digits: Option<&str>,
    percent: bool,
    min_int: i16,
    min_frac: i16,
    max_frac: i16,
) -> Option<Decimal> {
    let mut d = match digits {
        Some(s) => Decimal::try_from_str(s).ok()?,
        None => Decimal::try_from_f64(value, FloatPrecision::RoundTrip).ok()?,
    };
    if percent {
        d.multiply_pow10(2);
    }
    d.round_with_mode(
        -max_frac,
        SignedRoundingMode::Unsigned(UnsignedRoundingMode::HalfExpand),
    );
    d.absolute.trim_end();
    d.absolute.pad_end(-min_frac);
    d.absolute.pad_start(min_int);
    Some(d)
}

/// `formatNumber(locale, [grouping, percent, minInt, minFrac, maxFrac,
/// parts], value, digits)`: the digits of a finite number in the locale's numbering
/// system with its separators. `grouping` is 0 (never), 1 (always), 2
/// (min2) or 3 (auto). `intl.js` handles NaN and
/// infinities. With `parts`, the `[type, text]` pairs of `formatToParts`.
fn format_number<'js>(
    ctx: Ctx<'js>,
    locale: String,
    options: Vec<i32>,
    value: f64,
    digits: Option<String>,
) -> Result<Value<'js>> {
    let [grouping, percent, min_int, min_frac, max_frac, parts] = options[..] else {
        return Err(range_error(&ctx, "bad number options"));
    };
    // `percent` 1: times 100 in the locale's percent pattern; 2: times 100
    // in the plain decimal format (the number's parts for formatToParts).
    let (grouping, times100, percent) = (grouping as u8, percent != 0, percent == 1);
    let d = decimal(
        value,
        digits.as_deref(),
        times100,
        min_int as i16,
        min_frac as i16,
        max_frac as i16,
    )
    .ok_or_else(|| range_error(&ctx, "the number cannot be formatted"))?;
    let strategy = match grouping {
        0 => GroupingStrategy::Never,
        1 => GroupingStrategy::Always,
        2 => GroupingStrategy::Min2,
        _ => GroupingStrategy::Auto,
    };
    CACHE.with_borrow_mut(|cache| {
        let key = (locale, grouping);
        if percent {
            if !cache.percent.contains_key(&key) {
                let loc = parse_locale(&ctx, &key.0)?;
                let df = DecimalFormatter::try_new(
                    DecimalFormatterPreferences::from(&loc),
                    DecimalFormatterOptions::from(strategy),
                )
                .map_err(|e| range_error(&ctx, &e.to_string()))?;
                let f = PercentFormatter::try_new_with_decimal_formatter(
                    PercentFormatterPreferences::from(&loc),
                    df,
                    PercentFormatterOptions::default(),
                )
                .map_err(|e| range_error(&ctx, &e.to_string()))?;
                cache.percent.insert(key.clone(), f);
            }
            // ICU4X's percent formatter has no parts: intl.js finds the
            // number's parts (`percent` 2) in this text.
            let formatted = cache.percent[&key].format(&d);
            let s = formatted.write_to_string();
            return rquickjs::String::from_str(ctx.clone(), &s).map(|s| s.into_value());
        }
        if !cache.decimal.contains_key(&key) {
            let loc = parse_locale(&ctx, &key.0)?;
            let f = DecimalFormatter::try_new(
                DecimalFormatterPreferences::from(&loc),
                DecimalFormatterOptions::from(strategy),
            )
            .map_err(|e| range_error(&ctx, &e.to_string()))?;
            cache.decimal.insert(key.clone(), f);
        }
        let formatted = cache.decimal[&key].format(&d);
        formatted_value(&ctx, "decimal", parts != 0, &formatted)
    })
}

/// An ISO 4217 code (`USD`), as ICU4X's currency type.
fn currency_type(ctx: &Ctx<'_>, code: &str) -> Result<CurrencyType> {
    CurrencyType::try_from_str(code)
        .map_err(|_| range_error(ctx, &format!("Invalid currency code : {code}")))
}

/// `currencyDigits(code)`: how many fraction digits amounts in a currency
/// have (CLDR's supplemental currency data: 2, 0 for JPY, 3 for KWD).
fn currency_digits(ctx: Ctx<'_>, code: String) -> Result<i32> {
    use icu_provider::DataProvider;
    let currency = currency_type(&ctx, &code)?;
    let fractions: icu_provider::DataResponse<CurrencyFractionsV1> =
        icu_experimental::provider::Baked
            .load(Default::default())
            .map_err(|e| range_error(&ctx, &e.to_string()))?;
    Ok(fractions.payload.get().resolve(currency).digits.into())
}

/// `formatCurrency(locale, code, [accounting, currencyDigits], display,
/// value, digits)`: an amount (a number, or the decimal `digits` of a
/// BigInt) rounded to the currency's digits, with the currency's symbol
/// (`display` "symbol"), narrow symbol or code, in the locale's
/// standard or accounting pattern. ICU4X's currency formatter always shows
/// the currency's digits: `intl.js` puts the number formatted with the
/// caller's digit options in their place. Not the currency's name: the
/// names of every currency in every locale, with their plural forms, would
/// add 1.7 MB to the engine.
fn format_currency(
    ctx: Ctx<'_>,
    locale: String,
    code: String,
    options: Vec<i32>,
    display: String,
    value: f64,
    digits: Option<String>,
) -> Result<String> {
    let [accounting, currency_digits] = options[..] else {
        return Err(range_error(&ctx, "bad currency options"));
    };
    let d = currency_digits as i16;
    let value = decimal(value, digits.as_deref(), false, 1, d, d)
        .ok_or_else(|| range_error(&ctx, "the number cannot be formatted"))?;
    let key = format!("{locale}|{code}|{display}|{accounting}");
    CACHE.with_borrow_mut(|cache| {
        if !cache.currency.contains_key(&key) {
            let loc = parse_locale(&ctx, &locale)?;
            let prefs = CurrencyFormatterPreferences::from(&loc);
            let currency = currency_type(&ctx, &code)?;
            let options = CurrencyFormatterOptions::from(if accounting != 0 {
                CurrencyUsage::Accounting
            } else {
                CurrencyUsage::Standard
            });
            let f = match display.as_str() {
                "code" => CurrencyFormatter::try_new_code(prefs, currency, options),
                "narrowSymbol" => {
                    CurrencyFormatter::try_new_symbol_narrow(prefs, currency, options)
                }
                _ => CurrencyFormatter::try_new_symbol(prefs, currency, options),
            }
            .map_err(|e| range_error(&ctx, &e.to_string()))?;
            cache.currency.insert(key.clone(), f);
        }
        Ok(cache.currency[&key]
            .format_fixed_decimal(&value)
            .write_to_string()
            .into_owned())
    })
}

/// `selectPlural(locale, ordinal, minFrac, maxFrac, value)`: `zero`,
/// `one`, `two`, `few`, `many` or `other`.
fn select_plural(
    ctx: Ctx<'_>,
    locale: String,
    ordinal: bool,
    min_frac: i32,
    max_frac: i32,
    value: f64,
) -> Result<&'static str> {
    let d = decimal(
        value.abs(),
        None,
        false,
        1,
        min_frac as i16,
        max_frac as i16,
    )
    .ok_or_else(|| range_error(&ctx, "the number cannot be selected"))?;
    CACHE.with_borrow_mut(|cache| {
        let key = (locale, ordinal);
        if !cache.plural.contains_key(&key) {
            let loc = parse_locale(&ctx, &key.0)?;
            let kind = if ordinal {
                PluralRuleType::Ordinal
            } else {
                PluralRuleType::Cardinal
            };
            let r = PluralRules::try_new(PluralRulesPreferences::from(&loc), kind.into())
                .map_err(|e| range_error(&ctx, &e.to_string()))?;
            cache.plural.insert(key.clone(), r);
        }
        Ok(match cache.plural[&key].category_for(&d) {
            PluralCategory::Zero => "zero",
            PluralCategory::One => "one",
            PluralCategory::Two => "two",
            PluralCategory::Few => "few",
            PluralCategory::Many => "many",
            PluralCategory::Other => "other",
        })
    })
}

/// `compare(locale, sensitivity, ignorePunctuation, a, b)`: -1, 0 or 1.
/// `sensitivity` is `base`, `accent`, `case` or `variant`; numeric
/// ordering and case first come in the locale (`-u-kn`, `-u-kf`).
fn compare(
    ctx: Ctx<'_>,
    locale: String,
    sensitivity: String,
    ignore_punctuation: bool,
    a: String,
    b: String,
) -> Result<i32> {
    CACHE.with_borrow_mut(|cache| {
        let key = format!("{locale}|{sensitivity}|{ignore_punctuation}");
        if !cache.collator.contains_key(&key) {
            let loc = parse_locale(&ctx, &locale)?;
            let mut options = CollatorOptions::default();
            let (strength, case_level) = match sensitivity.as_str() {
                "base" => (Strength::Primary, CaseLevel::Off),
                "accent" => (Strength::Secondary, CaseLevel::Off),
                "case" => (Strength::Primary, CaseLevel::On),
                _ => (Strength::Tertiary, CaseLevel::Off),
            };
            options.strength = Some(strength);
            options.case_level = Some(case_level);
            if ignore_punctuation {
                options.alternate_handling = Some(AlternateHandling::Shifted);
            }
            let c = Collator::try_new(CollatorPreferences::from(&loc), options)
                .map_err(|e| range_error(&ctx, &e.to_string()))?;
            cache.collator.insert(key.clone(), c);
        }
        Ok(cache.collator[&key].compare(&a, &b) as i32)
    })
}

/// `segment(granularity, text)`: the segments' boundaries in UTF-16 code
/// units, `[0, b1, b2, ..., length]`, and for `word` an array of
/// `isWordLike` flags, one per segment.
fn segment<'js>(ctx: Ctx<'js>, granularity: String, text: String) -> Result<Array<'js>> {
    let utf16: Vec<u16> = text.encode_utf16().collect();
    let out = Array::new(ctx.clone())?;
    let breaks = Array::new(ctx.clone())?;
    let word_like = Array::new(ctx.clone())?;
    let push = |i: usize, like: Option<bool>| -> Result<()> {
        breaks.set(breaks.len(), i as u32)?;
        if let Some(l) = like {
            word_like.set(word_like.len(), l)?;
        }
        Ok(())
    };
    match granularity.as_str() {
        "grapheme" => {
            for i in GraphemeClusterSegmenter::new().segment_utf16(&utf16) {
                push(i, None)?;
            }
        }
        "word" => {
            let seg =
                WordSegmenter::new_for_non_complex_scripts(WordBreakInvariantOptions::default());
            let mut it = seg.segment_utf16(&utf16);
            if let Some(first) = it.next() {
                push(first, None)?;
            }
            while let Some(i) = it.next() {
                push(i, Some(it.is_word_like()))?;
            }
        }
        "sentence" => {
            for i in SentenceSegmenter::new(SentenceBreakInvariantOptions::default())
                .segment_utf16(&utf16)
            {
                push(i, None)?;
            }
        }
        _ => return Err(range_error(&ctx, "Invalid granularity")),
    }
    out.set(0, breaks)?;
    out.set(1, word_like)?;
    Ok(out)
}

/// The field set of a `dateStyle`/`timeStyle` pair (0 none, 1 full, 2
/// long, 3 medium, 4 short) or of a skeleton (`yMMMd`, `jms`, ...) built
/// by `intl.js` from the component options.
fn field_set(
    date_style: i32,
    time_style: i32,
    skeleton: &str,
    full_year: bool,
) -> Option<CompositeDateTimeFieldSet> {
    if date_style == 0 && time_style == 0 {
        let bag = DateTimeFieldBag::try_from_skeleton(skeleton).ok()?;
        let mut b = bag.to_field_set_builder();
        if full_year {
            b.year_style = Some(YearStyle::Full);
        }
        return b.build_composite_datetime().ok();
    }
    let mut b = FieldSetBuilder::new();
    let style = if date_style != 0 {
        date_style
    } else {
        time_style
    };
    b.length = Some(match style {
        1 | 2 => Length::Long,
        3 => Length::Medium,
        _ => Length::Short,
    });
    b.date_fields = match date_style {
        0 => None,
        1 => Some(DateFields::YMDE),
        _ => Some(DateFields::YMD),
    };
    b.time_precision = match time_style {
        0 => None,
        4 => Some(TimePrecision::Minute),
        _ => Some(TimePrecision::Second),
    };
    b.build_composite_datetime().ok()
}

/// A local date-time with its zone: the id, the offset in effect and the
/// instant (which names a zone had then).
type ZonedInput = ZonedDateTime<Iso, TimeZoneInfo<AtTime>>;

/// Date-time formatters that also name the time zone (`timeZoneName`),
/// one variant per kind of field set and zone style. They use ICU4X's
/// static zone field sets rather than its dynamic `CompositeFieldSet`, so
/// that only the data of these styles is linked: the long names and
/// exemplar cities of every zone in every locale would add megabytes.
macro_rules! zoned_formatters {
    ($($variant:ident: $kind:ident($set:ty) + $zone:ident = $style:literal,)*) => {
        enum ZonedFormatter {
            $($variant(DateTimeFormatter<Combo<$set, zone::$zone>>),)*
        }

        impl ZonedFormatter {
            /// The formatter of `fields` with the zone in `style` (1
            /// `short`, 2 `shortOffset`, 3 `longOffset`); `None` for the
            /// field sets that take no zone (a year and month alone).
            fn new(
                prefs: DateTimeFormatterPreferences,
                fields: CompositeDateTimeFieldSet,
                style: i32,
            ) -> Option<std::result::Result<Self, DateTimeFormatterLoadError>> {
                Some(match (fields, style) {
                    $((CompositeDateTimeFieldSet::$kind(f), $style) => {
                        DateTimeFormatter::try_new(prefs, f.with_zone(zone::$zone)).map(Self::$variant)
                    })*
                    _ => return None,
                })
            }

            fn format<'a>(&'a self, input: &ZonedInput) -> FormattedDateTime<'a> {
                match self {
                    $(Self::$variant(f) => f.format(input),)*
                }
            }
        }
    };
}

zoned_formatters! {
    DateShort: Date(DateFieldSet) + SpecificShort = 1,
    DateShortOffset: Date(DateFieldSet) + LocalizedOffsetShort = 2,
    DateLongOffset: Date(DateFieldSet) + LocalizedOffsetLong = 3,
    TimeShort: Time(TimeFieldSet) + SpecificShort = 1,
    TimeShortOffset: Time(TimeFieldSet) + LocalizedOffsetShort = 2,
    TimeLongOffset: Time(TimeFieldSet) + LocalizedOffsetLong = 3,
    DateTimeShort: DateTime(DateAndTimeFieldSet) + SpecificShort = 1,
    DateTimeShortOffset: DateTime(DateAndTimeFieldSet) + LocalizedOffsetShort = 2,
    DateTimeLongOffset: DateTime(DateAndTimeFieldSet) + LocalizedOffsetLong = 3,
}

/// The tz database's zone of an IANA name (any case), made once.
fn with_zone<T>(name: &str, f: impl FnOnce(&jiff::tz::TimeZone) -> T) -> Option<T> {
    CACHE.with_borrow_mut(|cache| {
        if !cache.zones.contains_key(name) {
            let tz = jiff::tz::db().get(name).ok()?;
            cache.zones.insert(name.to_owned(), tz);
        }
        Some(f(&cache.zones[name]))
    })
}

/// `timeZone(name)`: the IANA name of a zone as the tz database spells it
/// (`america/new_york` → `America/New_York`), or `undefined` if there is
/// no such zone.
fn time_zone(name: String) -> Option<String> {
    with_zone(&name, |tz| tz.iana_name().unwrap_or(&name).to_owned())
}

/// `zoneOffset(name, ms)`: the offset from UTC, in seconds, in effect in a
/// zone at an instant (milliseconds since the epoch).
fn zone_offset(ctx: Ctx<'_>, name: String, ms: f64) -> Result<i32> {
    let ts = jiff::Timestamp::from_millisecond(ms as i64)
        .map_err(|_| range_error(&ctx, "Invalid time value"))?;
    with_zone(&name, |tz| tz.to_offset(ts).seconds())
        .ok_or_else(|| range_error(&ctx, &format!("Invalid time zone specified: {name}")))
}

/// `formatDate(locale, [dateStyle, timeStyle, fullYear, parts, zoneStyle,
/// offset], skeleton, [year, month, day, hour, minute, second, millisecond],
/// zone)`: a local date-time in the proleptic Gregorian calendar's fields
/// (computed by `intl.js` in the zone), in the locale's calendar.
/// `fullYear` asks for all the digits of the year where the style would
/// shorten it (the ECMA-402 `year: "numeric"`); `parts` asks for the
/// `[type, text]` pairs of `formatToParts`; `zoneStyle` (0 none, else as in
/// [`ZonedFormatter::new`]) names the IANA `zone`, whose offset from UTC at
/// that time is `offset` seconds.
fn format_date<'js>(
    ctx: Ctx<'js>,
    locale: String,
    styles: Vec<i32>,
    skeleton: String,
    fields: Vec<i32>,
    zone: String,
) -> Result<Value<'js>> {
    let [date_style, time_style, full_year, parts, zone_style, offset] = styles[..] else {
        return Err(range_error(&ctx, "bad date-time options"));
    };
    let full_year = full_year != 0;
    let [year, month, day, hour, minute, second, ms] = fields[..] else {
        return Err(range_error(&ctx, "bad date fields"));
    };
    let date = icu_calendar::Date::try_new_iso(year, month as u8, day as u8)
        .map_err(|_| range_error(&ctx, "Invalid time value"))?;
    let time = icu_time::Time::try_new(
        hour as u8,
        minute as u8,
        second as u8,
        ms as u32 * 1_000_000,
    )
    .map_err(|_| range_error(&ctx, "Invalid time value"))?;
    let input = icu_time::DateTime { date, time };
    let fields_of = |ctx: &Ctx<'_>| {
        field_set(date_style, time_style, &skeleton, full_year)
            .ok_or_else(|| range_error(ctx, "unsupported date-time options"))
    };
    let key = format!("{locale}|{date_style}|{time_style}|{skeleton}|{full_year}|{zone_style}");
    CACHE.with_borrow_mut(|cache| {
        let loc = || parse_locale(&ctx, &locale);
        let formatted = if zone_style == 0 {
            if !cache.datetime.contains_key(&key) {
                let prefs = DateTimeFormatterPreferences::from(&loc()?);
                let f = DateTimeFormatter::try_new(prefs, fields_of(&ctx)?)
                    .map_err(|e| range_error(&ctx, &e.to_string()))?;
                cache.datetime.insert(key.clone(), f);
            }
            cache.datetime[&key].format(&input)
        } else {
            if !cache.zoned.contains_key(&key) {
                let prefs = DateTimeFormatterPreferences::from(&loc()?);
                let f = ZonedFormatter::new(prefs, fields_of(&ctx)?, zone_style)
                    .ok_or_else(|| {
                        range_error(
                            &ctx,
                            "timeZoneName with only a year and month is not supported by jspkg",
                        )
                    })?
                    .map_err(|e| range_error(&ctx, &e.to_string()))?;
                cache.zoned.insert(key.clone(), f);
            }
            let offset = UtcOffset::try_from_seconds(offset).ok();
            let input = ZonedDateTime {
                date: input.date,
                time: input.time,
                zone: TimeZone::from_iana_id(&zone)
                    .with_offset(offset)
                    .at_date_time(input),
            };
            cache.zoned[&key].format(&input)
        };
        formatted_value(&ctx, "datetime", parts != 0, &formatted)
    })
}

/// A relative time formatter of ICU4X for a style (`long`, `short`,
/// `narrow`) and a unit (`second` ... `year`).
fn relative_formatter(
    prefs: RelativeTimeFormatterPreferences,
    style: &str,
    unit: &str,
    options: RelativeTimeFormatterOptions,
) -> Option<std::result::Result<RelativeTimeFormatter, icu_provider::DataError>> {
    type New = fn(
        RelativeTimeFormatterPreferences,
        RelativeTimeFormatterOptions,
    ) -> std::result::Result<RelativeTimeFormatter, icu_provider::DataError>;
    let new: New = match (style, unit) {
        ("long", "second") => RelativeTimeFormatter::try_new_long_second,
        ("long", "minute") => RelativeTimeFormatter::try_new_long_minute,
        ("long", "hour") => RelativeTimeFormatter::try_new_long_hour,
        ("long", "day") => RelativeTimeFormatter::try_new_long_day,
        ("long", "week") => RelativeTimeFormatter::try_new_long_week,
        ("long", "month") => RelativeTimeFormatter::try_new_long_month,
        ("long", "quarter") => RelativeTimeFormatter::try_new_long_quarter,
        ("long", "year") => RelativeTimeFormatter::try_new_long_year,
        ("short", "second") => RelativeTimeFormatter::try_new_short_second,
        ("short", "minute") => RelativeTimeFormatter::try_new_short_minute,
        ("short", "hour") => RelativeTimeFormatter::try_new_short_hour,
        ("short", "day") => RelativeTimeFormatter::try_new_short_day,
        ("short", "week") => RelativeTimeFormatter::try_new_short_week,
        ("short", "month") => RelativeTimeFormatter::try_new_short_month,
        ("short", "quarter") => RelativeTimeFormatter::try_new_short_quarter,
        ("short", "year") => RelativeTimeFormatter::try_new_short_year,
        ("narrow", "second") => RelativeTimeFormatter::try_new_narrow_second,
        ("narrow", "minute") => RelativeTimeFormatter::try_new_narrow_minute,
        ("narrow", "hour") => RelativeTimeFormatter::try_new_narrow_hour,
        ("narrow", "day") => RelativeTimeFormatter::try_new_narrow_day,
        ("narrow", "week") => RelativeTimeFormatter::try_new_narrow_week,
        ("narrow", "month") => RelativeTimeFormatter::try_new_narrow_month,
        ("narrow", "quarter") => RelativeTimeFormatter::try_new_narrow_quarter,
        ("narrow", "year") => RelativeTimeFormatter::try_new_narrow_year,
        _ => return None,
    };
    Some(new(prefs, options))
}

/// `formatRelative(locale, style, unit, auto, parts, value)`: `value`
/// (rounded to at most 3 fraction digits, as ECMA-402's default number
/// format does) `unit`s from now; with `auto`, the locale's words for
/// -2..2 where it has them ("yesterday"). With `parts`, the `[type,
/// text]` pairs, the number's parts typed as in NumberFormat.
fn format_relative<'js>(
    ctx: Ctx<'js>,
    locale: String,
    style: String,
    unit: String,
    auto: bool,
    parts: bool,
    value: f64,
) -> Result<Value<'js>> {
    let d = decimal(value, None, false, 1, 0, 3)
        .ok_or_else(|| range_error(&ctx, "the number cannot be formatted"))?;
    CACHE.with_borrow_mut(|cache| {
        let key = format!("{locale}|{style}|{unit}|{auto}");
        if !cache.relative.contains_key(&key) {
            let loc = parse_locale(&ctx, &locale)?;
            let numeric = if auto { Numeric::Auto } else { Numeric::Always };
            let options = RelativeTimeFormatterOptions::default().with_numeric(numeric);
            let f = relative_formatter(
                RelativeTimeFormatterPreferences::from(&loc),
                &style,
                &unit,
                options,
            )
            .ok_or_else(|| range_error(&ctx, &format!("Invalid unit argument '{unit}'")))?
            .map_err(|e| range_error(&ctx, &e.to_string()))?;
            cache.relative.insert(key.clone(), f);
        }
        let formatted = cache.relative[&key].format(d);
        formatted_value(&ctx, "decimal", parts, &formatted)
    })
}

/// `formatList(locale, type, style, items, parts)`: the items joined as the
/// locale writes a list (`type` "conjunction" — a, b, and c —,
/// "disjunction" or "unit"; `style` "long", "short" or "narrow"); with
/// `parts`, the `[type, text]` pairs of `formatToParts` (`element`,
/// `literal`).
fn format_list<'js>(
    ctx: Ctx<'js>,
    locale: String,
    kind: String,
    style: String,
    items: Vec<String>,
    parts: bool,
) -> Result<Value<'js>> {
    let key = format!("{locale}|{kind}|{style}");
    CACHE.with_borrow_mut(|cache| {
        if !cache.list.contains_key(&key) {
            let loc = parse_locale(&ctx, &locale)?;
            let prefs = ListFormatterPreferences::from(&loc);
            let options = ListFormatterOptions::default().with_length(match style.as_str() {
                "short" => ListLength::Short,
                "narrow" => ListLength::Narrow,
                _ => ListLength::Wide,
            });
            let f = match kind.as_str() {
                "disjunction" => ListFormatter::try_new_or(prefs, options),
                "unit" => ListFormatter::try_new_unit(prefs, options),
                _ => ListFormatter::try_new_and(prefs, options),
            }
            .map_err(|e| range_error(&ctx, &e.to_string()))?;
            cache.list.insert(key.clone(), f);
        }
        let formatted = cache.list[&key].format(items.iter().map(String::as_str));
        formatted_value(&ctx, "list", parts, &formatted)
    })
}

/// Adds the `Intl` natives to the object handed to the JS side.
pub fn register<'js>(ctx: &Ctx<'js>, o: &Object<'js>) -> Result<()> {
    macro_rules! natives {
        ($($name:literal => $f:ident,)*) => {
            $(o.set($name, Function::new(ctx.clone(), $f)?)?;)*
        };
    }
    natives! {
        "intlCanonicalize" => canonicalize,
        "intlFormatNumber" => format_number,
        "intlCurrencyDigits" => currency_digits,
        "intlFormatCurrency" => format_currency,
        "intlSelectPlural" => select_plural,
        "intlCompare" => compare,
        "intlSegment" => segment,
        "intlFormatDate" => format_date,
        "intlTimeZone" => time_zone,
        "intlZoneOffset" => zone_offset,
        "intlFormatRelative" => format_relative,
        "intlFormatList" => format_list,
    }
    Ok(())
}
