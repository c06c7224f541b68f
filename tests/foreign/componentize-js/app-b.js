// ComponentizeJS app B: same world as app A, different top-level state
// (a word-frequency map built at pre-initialization time).
const text = "the quick brown fox jumps over the lazy dog the end";
const counts = new Map();
for (const w of text.split(" ")) counts.set(w, (counts.get(w) ?? 0) + 1);
const greeting = "Greetings from app B";

export function hello(name) {
  const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  return `${greeting}, ${name}! words: ${counts.size}, most frequent: ${top[0]}x${top[1]}`;
}
