import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const ROOT = new URL('..', import.meta.url).pathname;

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  const idx = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, idx)]!;
}

export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round((kb / 1024) * 10) / 10;
}

/** Starts the server (node + tsx loader, so the pid is the server itself) and waits until /readyz answers. */
export async function startServer(
  env: Record<string, string>,
  args: string[] = ['--demo'],
): Promise<{ proc: ChildProcess; ms: number; output: () => string }> {
  const t0 = performance.now();
  let out = '';
  // BENCH_NODE_ARGS: extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'apps/server/src/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, OPENNRM_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout?.on('data', (d) => (out += d));
  proc.stderr?.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${env.PORT}/readyz`;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited: ${out}`);
    try {
      const res = await fetch(url);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { proc, ms: performance.now() - t0, output: () => out };
}

export async function stopServer(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  const done = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await done;
}

/** A tiny cookie-and-CSRF aware client for benchmarks. */
export class BenchClient {
  private cookies = new Map<string, string>();
  csrf = '';
  constructor(readonly base: string) {}

  async request(method: string, path: string, body?: unknown): Promise<Response> {
    const res = await fetch(this.base + path, {
      method,
      headers: {
        'content-type': 'application/json',
        'x-csrf-token': this.csrf,
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = (pair ?? '').split('=');
      if (k) this.cookies.set(k, v ?? '');
    }
    return res;
  }

  async session() {
    const s = (await (await this.request('GET', '/api/auth/session')).json()) as { csrfToken: string };
    this.csrf = s.csrfToken;
    return s;
  }

  async login(login: string, password: string): Promise<number> {
    await this.session();
    const res = await this.request('POST', '/api/auth/login', { login, password });
    await res.arrayBuffer();
    if (res.ok) await this.session();
    return res.status;
  }
}
