// ComponentizeJS app A: top-level state (a table of primes) is computed when
// ComponentizeJS pre-initializes SpiderMonkey with Wizer, and kept in the snapshot.
const primes = [];
for (let n = 2; primes.length < 100; n++) {
  if (primes.every((p) => n % p !== 0)) primes.push(n);
}
const greeting = "Hello from app A";

export function hello(name) {
  return `${greeting}, ${name}! primes: ${primes.length}, last ${primes[primes.length - 1]}`;
}
