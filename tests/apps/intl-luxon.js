// luxon (an npm date library whose formatting is Intl's: DateTimeFormat,
// formatToParts, resolvedOptions().timeZone), bundled by `jspkg build`;
// run by cli/tests/conformance.rs (`intl_luxon`) in a project where npm
// installed luxon, and compared with node.
import { DateTime, Settings } from "luxon";

export function main() {
  const dt = DateTime.fromISO("2024-02-28T15:07:09Z", { zone: "utc" });
  console.log(dt.toLocaleString(DateTime.DATE_FULL));
  console.log(dt.setLocale("de").toLocaleString(DateTime.DATE_FULL));
  console.log(dt.setLocale("fr").toLocaleString(DateTime.DATE_MED));
  console.log(dt.toLocaleString(DateTime.TIME_SIMPLE));
  console.log(dt.setLocale("en-GB").toLocaleString(DateTime.DATETIME_MED));
  console.log(dt.toFormat("cccc, LLLL d, yyyy"));
  console.log(dt.setLocale("es").toFormat("cccc d 'de' LLLL"));
  console.log(dt.plus({ days: 3 }).setLocale("ja").toLocaleString(DateTime.DATE_HUGE));
  console.log(DateTime.utc(2024, 1, 1).zoneName, Settings.defaultZone.name);
  console.log(dt.toISO(), dt.weekdayLong, dt.setLocale("ru").monthLong);
}
