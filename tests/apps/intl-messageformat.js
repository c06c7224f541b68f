// formatjs's intl-messageformat (ICU MessageFormat on Intl: plurals,
// selectordinal, select, number and date skeletons, currencies), bundled
// by `jspkg build`; run by cli/tests/conformance.rs (`intl_formatjs`) in a
// project where npm installed it, and compared with node.
import { IntlMessageFormat } from "intl-messageformat";
export function main() {
  const msgs = [
    ["en", "You have {count, plural, =0 {no messages} one {# message} other {# messages}}.", { count: 1234 }],
    ["de", "Sie haben {count, plural, one {# Nachricht} other {# Nachrichten}}.", { count: 2 }],
    ["en", "Total: {total, number, ::currency/EUR}", { total: 1234.5 }],
    ["fr", "Le {d, date, long} à {d, time, short}", { d: new Date(Date.UTC(2024, 1, 28, 15, 7)) }],
    ["en", "{n, selectordinal, one {#st} two {#nd} few {#rd} other {#th}} place", { n: 23 }],
    ["ja", "{g, select, female {彼女} male {彼} other {その人}}は{n, number}個", { g: "male", n: 12345 }],
    ["en", "{p, number, percent} done", { p: 0.256 }],
    ["es", "{price, number, ::currency/USD}", { price: -3.5 }],
  ];
  for (const [loc, m, v] of msgs) console.log(new IntlMessageFormat(m, loc).format(v));
}
