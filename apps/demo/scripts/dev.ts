/**
 * `npm run demo`: embedded broker + local token authority + token API + Vite, in one process.
 * `npm run demo -- --prod` serves a production build of the pages instead of the dev server.
 * Prints the host and guest URLs; Ctrl-C stops everything.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DemoConfigError, loadDemoConfig } from './demoConfig';
import { PortInUseError } from './listen';
import { demoRoot, startDemo, type RunningDemo } from './startDemo';

const envFile = join(demoRoot, '.env');
// Real environment variables win over the file (loadEnvFile does not override them).
if (existsSync(envFile)) process.loadEnvFile(envFile);

function fail(message: string): never {
  console.error(`\ncoplay demo: ${message}\n`);
  process.exit(1);
}

let demo: RunningDemo | undefined;
let stopping = false;

async function shutdown(signal: string): Promise<void> {
  if (stopping) {
    console.error(`coplay demo: ${signal} again, exiting without waiting`);
    process.exit(130);
  }
  stopping = true;
  console.log(`\ncoplay demo: stopping (${signal})...`);
  const force = setTimeout(() => {
    console.error('coplay demo: shutdown took more than 5 s, exiting');
    process.exit(1);
  }, 5000);
  force.unref();
  await demo?.close();
  console.log('coplay demo: stopped');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--prod');
if (unknown.length) fail(`unknown argument ${unknown.join(' ')} (the only one is --prod: serve a production build)`);
const pages = args.includes('--prod') ? 'prod' : 'dev';

try {
  const config = loadDemoConfig();
  if (pages === 'prod') console.log('coplay demo: building the pages (vite build)...');
  demo = await startDemo(config, { pages });
  const lines = [
    '',
    `  coplay demo is running (${config.mode} mode, ${pages === 'prod' ? 'production build' : 'dev server'})`,
    '',
    `  Host  (P1, keyboard W/S):  ${demo.hostUrl}`,
    `  Guest (P2, joins the room): ${demo.guestUrl}`,
    '',
  ];
  if (demo.broker) lines.push(`  Broker: ${demo.broker.url}  ${demo.broker.wsUrl}`);
  if (config.testHooks) lines.push('  Test hooks enabled: POST /api/__test/broker/stop | broker/start');
  lines.push('  Press Ctrl-C to stop.', '');
  console.log(lines.join('\n'));
  if (stopping) await demo.close();
} catch (err) {
  if (err instanceof DemoConfigError || err instanceof PortInUseError) fail(err.message);
  throw err;
}
