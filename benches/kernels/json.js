// JSON.stringify / JSON.parse round trips of a document of records.
export function main(args) {
  const n = Number(args[0] ?? 100);
  const t0 = performance.now();
  const records = [];
  for (let i = 0; i < 500; i++) {
    records.push({ id: i, name: `user-${i}`, email: `user${i}@example.com`, active: i % 3 === 0,
      scores: [i % 7, i % 11, i % 13], address: { street: `${i} Main St`, zip: String(10000 + i) } });
  }
  let total = 0;
  for (let k = 0; k < n; k++) {
    const text = JSON.stringify({ k, records });
    const back = JSON.parse(text);
    total += back.records.length + back.records[k % 500].scores[1] + text.length;
  }
  console.log(`json result=${total} ms=${(performance.now() - t0).toFixed(1)}`);
}
