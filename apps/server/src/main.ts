import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './env.ts';
import { prepare, startBackground } from './server.ts';

const demo = process.argv.includes('--demo');
let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env, demo ? 'demo' : 'production');
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`OpenNRM cannot start.\n${err.message}`);
    process.exit(1);
  }
  throw err;
}

const say = (msg: string) => console.log(`[opennrm] ${msg}`);
const deps = await prepare(config, say);
const app = await buildApp(deps);
const stopBackground = startBackground(deps, (err) =>
  app.log.error({ err: { type: (err as Error).name } }, 'background job failed'),
);

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  await app.close();
  await stopBackground();
  await deps.db.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

await app.listen({ port: config.port, host: config.host });
say(
  `${config.mode === 'demo' ? 'DEMO MODE — ' : ''}listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port} (database: ${deps.db.kind === 'pg' ? 'PostgreSQL server' : `embedded PGlite in ${config.dataDir}`})`,
);
