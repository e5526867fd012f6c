import { execSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { runDuplicatesBench } from './duplicates/duplicates.bench.ts';
import { runDuplicatesPgBench } from './duplicates/duplicates-pg.bench.ts';
import { runLoadBench } from './load/load.bench.ts';
import { ensurePopulation } from './population.ts';
import { runStartupBench } from './startup.bench.ts';

/**
 * `npm run bench [name…]`: runs the benchmarks (all when none is named) and prints a Markdown
 * block to paste into docs/benchmarks.md with the date, commit and machine.
 */
const BENCHES: Record<string, () => Promise<Record<string, string | number>>> = {
  startup: runStartupBench,
  duplicates: runDuplicatesBench,
  'duplicates-pg': runDuplicatesPgBench,
  load: runLoadBench,
  statistics: (await import('./statistics/statistics.bench.ts')).runStatisticsBench,
  /** Generates (or confirms) the stored populations of BENCH_SIZES on BENCH_BACKENDS without measuring. */
  populate: async () => {
    const out: Record<string, string | number> = {};
    for (const size of (process.env.BENCH_SIZES ?? '10000').split(',').map(Number))
      for (const backend of (process.env.BENCH_BACKENDS ?? 'pg').split(',') as ('pg' | 'pglite')[]) {
        const t0 = performance.now();
        const t = await ensurePopulation(backend, size);
        out[`${backend} ${size}`] = `${JSON.stringify(t.env)} (${Math.round((performance.now() - t0) / 1000)} s)`;
      }
    return out;
  },
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : Object.keys(BENCHES).filter((n) => n !== 'populate');
const commit = (() => {
  try {
    return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
console.log(
  `date: ${new Date().toISOString()} · commit: ${commit} · ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB · node ${process.version}`,
);
for (const name of names) {
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`unknown benchmark "${name}"; known: ${Object.keys(BENCHES).join(', ')}`);
    process.exit(2);
  }
  const result = await bench();
  console.log(`\n### ${name}\n\n| measure | value |\n| --- | --- |`);
  for (const [k, v] of Object.entries(result)) console.log(`| ${k} | ${v} |`);
}
