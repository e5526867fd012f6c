import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

// E2E_PORT lets two runs share a machine (each gets its own server and data folder).
const PORT = Number(process.env.E2E_PORT ?? 3210);
const DATA = `/tmp/opennrm-e2e-${PORT}`;
const root = fileURLToPath(new URL('..', import.meta.url));

/** End-to-end flows against the real server in demo mode, with Debian's Chromium (never a downloaded browser). */
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // a journey signs in as four or five users; at ~0.5 s per browser step on two shared cores the
  // longest take 25–32 s (server requests take milliseconds: see the trace), so 30 s was too tight
  timeout: 60_000,
  expect: { timeout: 7_000 },
  reporter: [['list']],
  outputDir: `../test-results/${PORT}`,
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    locale: 'en-GB',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `rm -rf ${DATA} && OPENNRM_DATA_DIR=${DATA} OPENNRM_DEMO_PASSWORD=${'e2e-demo-password'} PORT=${PORT} OPENNRM_LOGIN_RATE_PER_MINUTE=1000 npx tsx apps/server/src/main.ts --demo`,
    cwd: root,
    url: `http://127.0.0.1:${PORT}/readyz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
