// date-fns-tz (an npm time zone library on Intl.DateTimeFormat's timeZone,
// formatToParts and timeZoneName) with date-fns, bundled by `jspkg build`;
// run by cli/tests/conformance.rs (`intl_date_fns_tz`) in a project where
// npm installed them, and compared with node.
import { formatInTimeZone, fromZonedTime, getTimezoneOffset, toZonedTime } from "date-fns-tz";

export function main() {
  const d = new Date("2024-02-28T15:07:09Z");
  const summer = new Date("2024-07-04T15:07:09Z");
  for (const zone of ["America/New_York", "Europe/Paris", "Asia/Kolkata", "Australia/Sydney", "America/Los_Angeles", "UTC"]) {
    console.log(zone, formatInTimeZone(d, zone, "yyyy-MM-dd HH:mm:ss zzz"), formatInTimeZone(summer, zone, "yyyy-MM-dd HH:mm:ssXXX z"));
  }
  console.log(formatInTimeZone(d, "Europe/Paris", "PPpp"));
  console.log(fromZonedTime("2024-03-10 02:30:00", "America/New_York").toISOString());
  console.log(fromZonedTime("2024-11-03 01:30:00", "America/New_York").toISOString());
  console.log(toZonedTime(d, "Australia/Sydney").toISOString());
  console.log(getTimezoneOffset("America/Los_Angeles", d), getTimezoneOffset("Asia/Kathmandu", d), getTimezoneOffset("-05:00"));
  try {
    formatInTimeZone(d, "Not/A_Zone", "yyyy");
  } catch (e) {
    console.log(e.constructor.name);
  }
}
