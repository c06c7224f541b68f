// Splay tree (in the style of Octane's splay): allocation and pointer
// chasing, a garbage-collector workout.
class Node { constructor(key, value) { this.key = key; this.value = value; this.left = null; this.right = null; } }
class SplayTree {
  constructor() { this.root = null; }
  splay(key) {
    if (!this.root) return;
    const dummy = new Node(null, null);
    let left = dummy, right = dummy, current = this.root;
    for (;;) {
      if (key < current.key) {
        if (!current.left) break;
        if (key < current.left.key) { const t = current.left; current.left = t.right; t.right = current; current = t; if (!current.left) break; }
        right.left = current; right = current; current = current.left;
      } else if (key > current.key) {
        if (!current.right) break;
        if (key > current.right.key) { const t = current.right; current.right = t.left; t.left = current; current = t; if (!current.right) break; }
        left.right = current; left = current; current = current.right;
      } else break;
    }
    left.right = current.left; right.left = current.right;
    current.left = dummy.right; current.right = dummy.left;
    this.root = current;
  }
  insert(key, value) {
    if (!this.root) { this.root = new Node(key, value); return; }
    this.splay(key);
    if (this.root.key === key) return;
    const node = new Node(key, value);
    if (key > this.root.key) { node.left = this.root; node.right = this.root.right; this.root.right = null; }
    else { node.right = this.root; node.left = this.root.left; this.root.left = null; }
    this.root = node;
  }
  remove(key) {
    this.splay(key);
    if (!this.root || this.root.key !== key) return null;
    const removed = this.root;
    if (!this.root.left) this.root = this.root.right;
    else { const right = this.root.right; this.root = this.root.left; this.splay(key); this.root.right = right; }
    return removed;
  }
  max() { let n = this.root; while (n && n.right) n = n.right; return n; }
}
function payload(depth, tag) {
  if (depth === 0) return { array: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], string: "String for key " + tag };
  return { left: payload(depth - 1, tag), right: payload(depth - 1, tag) };
}
export function main(args) {
  const n = Number(args[0] ?? 20000);
  const t0 = performance.now();
  let seed = 49734321;
  const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  const tree = new SplayTree();
  for (let i = 0; i < 8000; i++) tree.insert(random(), payload(3, i));
  let checksum = 0;
  for (let i = 0; i < n; i++) {
    const key = random();
    tree.insert(key, payload(3, i));
    const m = tree.max();
    if (tree.remove(m.key)) checksum++;
  }
  console.log(`splay result=${checksum} ms=${(performance.now() - t0).toFixed(1)}`);
}
