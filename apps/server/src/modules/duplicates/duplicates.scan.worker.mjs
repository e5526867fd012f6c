// Entry of a worker thread of the duplicates batch: TypeScript loaders given to the server's own
// thread (tsx) do not reach worker threads on Node 20, so the worker registers tsx itself and then
// loads the TypeScript worker (duplicates.scan.worker.ts).
import { register } from 'tsx/esm/api';

register();
await import('./duplicates.scan.worker.ts');
