// Runs the server's HTTP tests again against the PostgreSQL server in TEST_DATABASE_URL.
import { spawnSync } from 'node:child_process';

if (!process.env.TEST_DATABASE_URL) {
  console.log('TEST_DATABASE_URL is not set: skipping the PostgreSQL run of the HTTP tests (PGlite run done).');
  process.exit(0);
}
const res = spawnSync('npx', ['vitest', 'run', 'apps/server'], { stdio: 'inherit', env: process.env });
process.exit(res.status ?? 1);
