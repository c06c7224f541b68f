// A task scheduler in the style of Octane's richards: objects, method
// dispatch through a class hierarchy, queues.
class Task {
  constructor(id, priority, work) { this.id = id; this.priority = priority; this.work = work; this.queue = []; this.count = 0; }
  run(scheduler) { this.count++; return this.work(this, scheduler); }
}
class Scheduler {
  constructor() { this.tasks = []; this.holdCount = 0; this.queueCount = 0; }
  add(task) { this.tasks.push(task); this.tasks.sort((a, b) => b.priority - a.priority); }
  send(to, packet) { this.queueCount++; this.tasks[to % this.tasks.length].queue.push(packet); }
  schedule(rounds) {
    for (let r = 0; r < rounds; r++) {
      for (const t of this.tasks) {
        if (t.queue.length === 0 && t.id % 2 === 1) { this.holdCount++; continue; }
        t.run(this);
      }
    }
  }
}
const idle = (t, s) => { s.send(t.id + 1, { kind: "work", data: [t.count & 7, 1, 2, 3] }); };
const worker = (t, s) => {
  const p = t.queue.shift();
  if (!p) return;
  let sum = 0;
  for (const d of p.data) sum = (sum * 31 + d) & 0xffff;
  p.data[0] = sum & 7;
  s.send(t.id + 2, p);
};
const device = (t, s) => { const p = t.queue.shift(); if (p && p.data[0] % 3 === 0) s.send(0, p); };
export function main(args) {
  const n = Number(args[0] ?? 20000);
  const t0 = performance.now();
  const s = new Scheduler();
  for (let i = 0; i < 12; i++) s.add(new Task(i, (i * 7) % 5, [idle, worker, device][i % 3]));
  s.schedule(n);
  console.log(`richards result=${s.queueCount}/${s.holdCount} ms=${(performance.now() - t0).toFixed(1)}`);
}
