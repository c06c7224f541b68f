export interface Greeting {
  word: string;
  fallback: string;
}

export function greet(g: Greeting, names: readonly string[]): string {
  const who = names.length > 0 ? names.join(" ") : g.fallback;
  return `${g.word}, ${who}!`;
}
