import { rmSync } from 'node:fs';
import { BenchClient, percentile, rssMiB, startServer, stopServer } from './lib.ts';

/**
 * Issue 2 measurements: first start on an empty data folder (database creation, migrations, demo
 * data), warm restart, idle memory, and sign-in latency with the default argon2id parameters.
 */
export async function runStartupBench(): Promise<Record<string, string | number>> {
  const dir = `/tmp/opennrm-bench-${process.pid}`;
  rmSync(dir, { recursive: true, force: true });
  const env = {
    OPENNRM_DATA_DIR: dir,
    PORT: '3390',
    OPENNRM_DEMO_PASSWORD: 'bench-demo-password',
    OPENNRM_LOGIN_RATE_PER_MINUTE: '10000',
  };

  const first = await startServer(env);
  await stopServer(first.proc);
  const warm = await startServer(env);
  await new Promise((r) => setTimeout(r, 5000));
  const idleRss = rssMiB(warm.proc.pid!);

  const client = new BenchClient('http://127.0.0.1:3390');
  for (let i = 0; i < 5; i++) await client.login('shelter.worker', 'bench-demo-password');
  const times: number[] = [];
  for (let i = 0; i < 100; i++) {
    const c = new BenchClient('http://127.0.0.1:3390');
    await c.session();
    const t0 = performance.now();
    const res = await c.request('POST', '/api/auth/login', {
      login: 'shelter.worker',
      password: 'bench-demo-password',
    });
    await res.arrayBuffer();
    times.push(performance.now() - t0);
    if (!res.ok) throw new Error(`login failed: ${res.status}`);
  }
  times.sort((a, b) => a - b);
  const rssAfter = rssMiB(warm.proc.pid!);
  await stopServer(warm.proc);
  rmSync(dir, { recursive: true, force: true });
  return {
    'first start (empty data folder → ready), ms': Math.round(first.ms),
    'warm restart (→ ready), ms': Math.round(warm.ms),
    'idle RSS after warm start, MiB': idleRss,
    'RSS after 100 sign-ins, MiB': rssAfter,
    'sign-in p50, ms': Math.round(percentile(times, 50) * 10) / 10,
    'sign-in p95, ms': Math.round(percentile(times, 95) * 10) / 10,
    'argon2id parameters': 'm=19456 KiB, t=2, p=1 (defaults)',
  };
}
