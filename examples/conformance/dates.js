// Date math with fixed timestamps only (never "now"), and only UTC methods and
// ISO strings, so the machine's time zone cannot change the output.

const DAY = 24 * 60 * 60 * 1000;
const epoch2000 = Date.UTC(2000, 0, 1);

export function main() {
  const d = new Date(Date.UTC(2024, 1, 28, 23, 30, 15, 250));
  console.log("iso:", d.toISOString(), "ms:", d.getTime(), "json:", JSON.stringify(d));
  console.log(
    "utc parts:",
    d.getUTCFullYear(),
    d.getUTCMonth(),
    d.getUTCDate(),
    d.getUTCDay(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  );
  const next = new Date(d.getTime() + DAY);
  console.log("leap day:", next.toISOString(), "then:", new Date(next.getTime() + DAY).toISOString());
  const m = new Date(Date.UTC(2023, 0, 31));
  m.setUTCMonth(1);
  console.log("month overflow:", m.toISOString());
  const days = (Date.UTC(2024, 11, 25) - Date.UTC(2024, 0, 1)) / DAY;
  console.log("days to christmas 2024:", days, "since 2000:", Math.floor((d - epoch2000) / DAY));
  console.log("parse:", Date.parse("2021-06-15T12:00:00Z"), Date.parse("2021-06-15T12:00:00.123+02:00"), Date.parse("2021-06-15"));
  console.log("invalid:", isNaN(new Date("not a date")), String(new Date(NaN)));
  console.log("utc string:", new Date(0).toUTCString(), new Date(-1).toISOString());
  console.log("extremes:", new Date(8.64e15).toISOString(), new Date(-8.64e15).toISOString(), isNaN(new Date(8.64e15 + 1)));
  console.log("year 10000:", new Date(Date.UTC(10000, 0, 1)).toISOString(), new Date(Date.UTC(-1, 5, 1)).toISOString());
  console.log("two-digit year:", new Date(Date.UTC(99, 0, 1)).getUTCFullYear());
  const weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const firsts = Array.from({ length: 12 }, (_, i) => weekdays[new Date(Date.UTC(2025, i, 1)).getUTCDay()]);
  console.log("first weekdays of 2025:", firsts.join(" "));
  const isLeap = (y) => new Date(Date.UTC(y, 1, 29)).getUTCMonth() === 1;
  console.log("leap years:", [1900, 2000, 2023, 2024, 2100].filter(isLeap).join(","));
  const sorted = ["2020-05-01T00:00:00Z", "2019-12-31T23:59:59Z", "2020-01-01T00:00:00Z"]
    .map((s) => new Date(s))
    .sort((a, b) => a - b)
    .map((x) => x.toISOString().slice(0, 10));
  console.log("sorted:", sorted.join(" < "));
  console.log("valueOf/number:", +new Date(1e12), new Date(1e12).valueOf() === 1e12);
}
