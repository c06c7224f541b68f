// String building, regular expressions, split/join (SunSpider string-* and
// regexp-* style).
export function main(args) {
  const n = Number(args[0] ?? 5000);
  const t0 = performance.now();
  const words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"];
  let checksum = 0;
  for (let i = 0; i < n; i++) {
    let text = "";
    for (let j = 0; j < 50; j++) text += words[(i + j) % words.length] + (j % 5 === 0 ? ". " : " ");
    const sentences = text.split(". ").map((s) => s.charAt(0).toUpperCase() + s.slice(1));
    const joined = sentences.join(". ");
    const vowels = joined.replace(/[aeiou]/g, "").length;
    const matches = joined.match(/\b[A-Z][a-z]+\b/g) || [];
    checksum += vowels + matches.length + joined.indexOf("theta");
  }
  console.log(`strings result=${checksum} ms=${(performance.now() - t0).toFixed(1)}`);
}
