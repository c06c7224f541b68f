// BigInt: arbitrary precision arithmetic, mixing rules, conversions,
// asIntN/asUintN, comparisons.
// args: 30

function factorial(n) {
  let r = 1n;
  for (let i = 2n; i <= n; i++) r *= i;
  return r;
}
function modpow(base, exp, mod) {
  let result = 1n;
  base %= mod;
  while (exp > 0n) {
    if (exp & 1n) result = (result * base) % mod;
    base = (base * base) % mod;
    exp >>= 1n;
  }
  return result;
}

// computed at build time
const f50 = factorial(50n);

export function main(args) {
  const n = BigInt(args[0] ?? 25);
  console.log("50! =", f50.toString());
  console.log(`${n}! =`, factorial(n).toString(), "digits:", factorial(n).toString().length);
  console.log("2^127-1 =", (2n ** 127n - 1n).toString());
  console.log("division truncates:", (-7n / 2n).toString(), (-7n % 2n).toString(), (7n / -2n).toString());
  console.log("modpow:", modpow(3n, 1000n, 1000000007n).toString());
  console.log("hex/bin:", (255n).toString(16), (-255n).toString(2), BigInt("0x1fffffffffffff").toString());
  console.log("asIntN:", BigInt.asIntN(8, 255n).toString(), BigInt.asUintN(8, -1n).toString(), BigInt.asUintN(64, -1n).toString());
  console.log("compare:", 1n < 2, 2n == 2, 2n === 2, typeof 1n, 0n ? "truthy" : "falsy");
  console.log("conversion:", Number(2n ** 64n), BigInt(Number.MAX_SAFE_INTEGER) + 2n + "", parseInt("123n"));
  console.log("shifts:", (1n << 100n).toString(), (-(1n << 70n) >> 3n).toString(), (0xffn & 0x0fn | 0x100n).toString());
  try {
    console.log(1n + 1);
  } catch (e) {
    console.log("mixing ->", e.name);
  }
  try {
    BigInt(1.5);
  } catch (e) {
    console.log("BigInt(1.5) ->", e.name);
  }
  console.log("JSON via toString:", JSON.stringify({ v: (2n ** 80n).toString() }));
  console.log("sort:", [10n, -3n, 2n ** 70n, 0n].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).join(","));
  console.log(123n, [1n, 2n]);
}
