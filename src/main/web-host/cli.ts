// `tsx src/main/web-host/cli.ts [--port N] [--data-dir D]`: web mode for a browser.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startWebHost } from './server';

const usage =
  'usage: tsx src/main/web-host/cli.ts [--port N] [--data-dir DIR] [--renderer-dir DIR] [--resources-dir DIR]';

const main = async (): Promise<void> => {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        'renderer-dir': { type: 'string' },
        'resources-dir': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (e) {
    console.error(`${e instanceof Error ? e.message : String(e)}\n${usage}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(usage);
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a whole number from 0 to 65535, not "${values.port}"`);
    process.exit(2);
  }
  const host = await startWebHost({
    port,
    dataDir: resolve(values['data-dir'] ?? join(homedir(), '.outrigger', 'web')),
    resourcesDir: resolve(values['resources-dir'] ?? 'resources'),
    rendererDir: resolve(values['renderer-dir'] ?? join('out', 'renderer')),
  });
  console.log(`Outrigger web mode: ${host.url}`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    host.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(`closing failed: ${String(e)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
};

main().catch((e: unknown) => {
  console.error(`Outrigger web mode could not start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
