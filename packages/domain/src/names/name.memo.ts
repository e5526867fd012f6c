/**
 * Bounded memo for pure functions of one short string (name tokens). Names repeat a lot — a
 * population has far fewer distinct name words than records — so duplicate detection, which
 * analyses every stored person in a batch, spends most of its time on words it has seen before.
 * The cache is cleared when full (no eviction bookkeeping); results must be immutable values.
 */
export function memoise<T>(fn: (s: string) => T, max = 50_000): (s: string) => T {
  const cache = new Map<string, T>();
  return (s: string) => {
    let v = cache.get(s);
    if (v === undefined) {
      v = fn(s);
      if (cache.size >= max) cache.clear();
      cache.set(s, v);
    }
    return v;
  };
}
