// luxon (an npm date library whose formatting is Intl's: DateTimeFormat,
// formatToParts, resolvedOptions().timeZone; its IANA zones are
// DateTimeFormat's timeZone and era), bundled by `jspkg build`;
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

  // IANA zones: offsets across the US spring change, names, conversions.
  const ny = DateTime.fromISO("2024-03-10T01:30:00", { zone: "America/New_York" });
  const later = ny.plus({ hours: 1 });
  console.log(ny.toISO(), ny.offset, ny.offsetNameShort, ny.isInDST);
  console.log(later.toISO(), later.offset, later.offsetNameShort, later.isInDST);
  console.log(dt.setZone("Asia/Tokyo").toFormat("yyyy-MM-dd HH:mm ZZ z"));
  console.log(dt.setZone("Europe/Berlin").toLocaleString(DateTime.DATETIME_FULL));
  console.log(dt.setZone("America/Los_Angeles").toLocaleString(DateTime.DATETIME_MED_WITH_SECONDS));
  console.log(DateTime.fromISO("2024-07-04T12:00:00", { zone: "Australia/Sydney" }).toUTC().toISO());
  console.log(DateTime.fromISO("2024-10-27T02:30:00", { zone: "Europe/Berlin" }).toISO());
  console.log(dt.setZone("Asia/Kathmandu").offset, dt.setZone("Pacific/Chatham").toFormat("ZZZ"));
}
