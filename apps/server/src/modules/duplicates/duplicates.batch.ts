import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Queryable } from '../../db/client.ts';
import type { AppDeps } from '../../http/deps.ts';
import * as repo from './duplicates.repository.ts';
import {
  decryptRows,
  personBitsFor,
  ScanPersons,
  scoreBlocks,
  type TScanFlag,
  type TScanRow,
} from './duplicates.scan.ts';
import type { TScanWorkerMessage, TScanWorkerReply } from './duplicates.scan.worker.ts';

export interface TScanResult {
  persons: number;
  /** distinct pairs that shared a candidate key */
  candidatePairs: number;
  /** of those, the pairs whose compact bound left them a chance, scored exactly */
  scoredPairs: number;
  flagged: number;
  /** rows of duplicate_pairs written (new or changed) and open ones removed */
  written: number;
  removed: number;
  /** candidate keys shared by more than the block cap, not paired */
  skippedBlocks: number;
  largestBlock: number;
  /** worker threads that decrypted (0: the server's own thread did) */
  workers: number;
  ms: number;
  /** milliseconds per phase: read + decrypt + prepare, blocks, scoring, writing */
  phases: { read: number; blocks: number; score: number; write: number };
  /** CPU time of the whole process (all threads) during the batch, ms */
  cpuMs: number;
}

/** From this many persons on, the batch decrypts in worker threads (below, starting them costs more than it saves). */
export const PARALLEL_FROM = 20_000;

/**
 * The full batch (job `duplicates.scan`): every pair of persons sharing a candidate key is
 * considered and the flagged ones are recorded in `duplicate_pairs`. Each person is read,
 * decrypted and prepared once; the candidate keys (`batchKeysOf`: name pair, name token + exact
 * birth date, document, phone) are computed in memory and never stored; a pair is scored only when
 * the compact numbers of its other fields leave its names a chance (duplicates.scan.ts). With many
 * persons, worker threads (one per core, at most two, or `workers`) decrypt while this thread reads
 * the next page and prepares the last one. Persons added while the batch runs are paired by their
 * own `duplicates.person` job.
 */
export async function scanAllPairs(
  deps: Pick<AppDeps, 'keys'>,
  q: Queryable,
  opts: { maxBlockSize?: number; pageSize?: number; workers?: number } = {},
): Promise<TScanResult> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const maxBlock = opts.maxBlockSize ?? repo.MAX_BLOCK_SIZE;
  const pageSize = opts.pageSize ?? 5_000;
  const { config } = await repo.getMatchConfig(q);
  const [{ at: scanStart } = { at: '' }] = await q.query<{ at: string }>('select clock_timestamp()::text as at');
  const [{ n: count } = { n: 0 }] = await q.query<{ n: number }>('select count(*)::int as n from persons');
  const capacity = count + 1_024;
  const workers = Math.max(0, opts.workers ?? (count >= PARALLEL_FROM ? Math.min(2, availableParallelism()) : 0));
  const pool = workers ? new DecryptPool(deps.keys, workers) : null;
  const persons = new ScanPersons(capacity, personBitsFor(capacity), config);
  try {
    // 1. read pages in key order; decrypt (in the workers, while the next page is read) and prepare
    const ids: string[] = [];
    const pending = new Set<Promise<void>>();
    let last: string | null = null;
    while (ids.length < capacity) {
      const limit = Math.min(pageSize, capacity - ids.length);
      const rows: TScanRow[] = await q.query<TScanRow>(
        `select id as person_id, data_key, pii, sex, citizenships from persons
          ${last ? 'where id > $2::uuid' : ''} order by id limit $1`,
        last ? [limit, last] : [limit],
      );
      if (!rows.length) break;
      last = rows[rows.length - 1]!.person_id;
      const first = ids.length;
      for (const r of rows) ids.push(r.person_id);
      if (!pool) {
        persons.add(first, decryptRows(deps.keys, rows));
        continue;
      }
      const done: Promise<void> = pool.decrypt(rows).then((json) => {
        persons.add(first, json);
        pending.delete(done);
      });
      done.catch(() => {}); // a failure surfaces through the race below, not as an unhandled rejection
      pending.add(done);
      // at most two pages per worker in flight
      while (pending.size > 2 * workers) await Promise.race(pending);
    }
    await Promise.all(pending);
    await pool?.close();
    const tRead = performance.now();

    // 2. blocks
    const blocks = persons.blocks(ids.length, maxBlock);
    const tBlocks = performance.now();

    // 3. score
    const scored = scoreBlocks(persons, blocks, config);
    const tScore = performance.now();

    // 4. the flagged pairs become the open queue (open pairs that no longer score — an edit, a new
    // configuration — leave it; decided ones stay)
    const recorded = await repo.replaceOpenPairs(
      q,
      scored.flagged.map((f: TScanFlag) => ({ ...f, a: ids[f.a]!, b: ids[f.b]! })),
      config.version,
      scanStart,
    );
    const done = performance.now();
    const used = process.cpuUsage(cpu);
    return {
      persons: ids.length,
      candidatePairs: scored.pairs,
      scoredPairs: scored.scored,
      flagged: scored.flagged.length,
      written: recorded.written,
      removed: recorded.removed,
      skippedBlocks: blocks.skippedBlocks,
      largestBlock: blocks.largestBlock,
      workers,
      ms: Math.round(done - started),
      cpuMs: Math.round((used.user + used.system) / 1000),
      phases: {
        read: Math.round(tRead - started),
        blocks: Math.round(tBlocks - tRead),
        score: Math.round(tScore - tBlocks),
        write: Math.round(done - tScore),
      },
    };
  } finally {
    await pool?.close();
  }
}

/**
 * Worker threads that decrypt pages of persons (duplicates.scan.worker.ts), round robin. Replies
 * come back in the order of the requests, one queue per worker.
 */
class DecryptPool {
  private readonly workers: Worker[] = [];
  private readonly waiting: { resolve: (json: string[]) => void; reject: (e: Error) => void }[][] = [];
  private next = 0;
  private failed: Error | null = null;
  private closed: Promise<unknown> | null = null;

  constructor(keys: AppDeps['keys'], size: number) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL('./duplicates.scan.worker.mjs', import.meta.url), {
        workerData: { master: keys.master, index: keys.index },
      });
      const queue: DecryptPool['waiting'][number] = [];
      worker.on('message', (r: TScanWorkerReply) => {
        const w = queue.shift();
        if ('error' in r) w?.reject(this.fail(new Error(`duplicates scan worker failed: ${r.error}`)));
        else w?.resolve(r.persons);
      });
      worker.on('error', (e) => this.fail(e));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`duplicates scan worker exited with ${code}`));
      });
      this.workers.push(worker);
      this.waiting.push(queue);
    }
  }

  private fail(e: Error): Error {
    this.failed ??= e;
    for (const queue of this.waiting) for (const w of queue.splice(0)) w.reject(this.failed);
    return this.failed;
  }

  decrypt(rows: TScanRow[]): Promise<string[]> {
    if (this.failed) return Promise.reject(this.failed);
    const i = this.next++ % this.workers.length;
    return new Promise<string[]>((resolve, reject) => {
      this.waiting[i]!.push({ resolve, reject });
      this.workers[i]!.postMessage({ rows } satisfies TScanWorkerMessage);
    });
  }

  close(): Promise<unknown> {
    this.failed ??= new Error('closed');
    this.closed ??= Promise.all(this.workers.map((w) => w.terminate()));
    return this.closed;
  }
}
