import { parentPort, workerData } from 'node:worker_threads';
import { decryptRows, type TScanRow } from './duplicates.scan.ts';

/**
 * A worker thread of the full batch (duplicates.batch.ts): decrypts the pages of persons it is
 * given — the largest cost per person — and returns them as JSON to the server's thread, which
 * prepares and pairs them meanwhile. It receives the keys from the server's thread (workerData)
 * and never touches the database.
 */
export type TScanWorkerMessage = { rows: TScanRow[] };
export type TScanWorkerReply = { persons: string[] } | { error: string };

const data = workerData as { master: Uint8Array; index: Uint8Array };
const keys = { master: Buffer.from(data.master), index: Buffer.from(data.index) };
const port = parentPort!;

port.on('message', (m: TScanWorkerMessage) => {
  try {
    port.postMessage({ persons: decryptRows(keys, m.rows) } satisfies TScanWorkerReply);
  } catch (err) {
    // the error's type only: messages can quote data
    port.postMessage({ error: (err as Error).name ?? 'Error' } satisfies TScanWorkerReply);
  }
});
