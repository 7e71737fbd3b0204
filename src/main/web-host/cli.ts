// `tsx src/main/web-host/cli.ts [--port N] [--data-dir D]`: web mode for a browser. With no hub
// named it runs the embedded demo hub and signs in as the demo annotator; `--local` keeps the
// foundation's local-only demo.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startWebHost } from './server';

const usage =
  'usage: tsx src/main/web-host/cli.ts [--port N] [--data-dir DIR] [--renderer-dir DIR] [--resources-dir DIR]\n' +
  '       [--hub URL --token-file FILE | --local]   (default: the embedded demo hub)';

const main = async (): Promise<void> => {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        'renderer-dir': { type: 'string' },
        'resources-dir': { type: 'string' },
        hub: { type: 'string' },
        'token-file': { type: 'string' },
        local: { type: 'boolean' },
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
  if ((values.hub === undefined) !== (values['token-file'] === undefined)) {
    console.error(`--hub and --token-file go together\n${usage}`);
    process.exit(2);
  }
  if (values.hub !== undefined && values.local) {
    console.error(`--local and --hub exclude each other\n${usage}`);
    process.exit(2);
  }
  let hub: { url: string; token: string } | undefined;
  if (values.hub !== undefined && values['token-file'] !== undefined) {
    let token: string;
    try {
      token = readFileSync(values['token-file'], 'utf8').trim();
    } catch (e) {
      console.error(`--token-file ${values['token-file']}: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(2);
    }
    if (!token) {
      console.error(`--token-file ${values['token-file']}: the file is empty`);
      process.exit(2);
    }
    hub = { url: values.hub, token };
  }
  const started = Date.now();
  const host = await startWebHost({
    port,
    demoHub: !hub && !values.local,
    ...(hub ? { hub } : {}),
    dataDir: resolve(values['data-dir'] ?? join(homedir(), '.outrigger', 'web')),
    resourcesDir: resolve(values['resources-dir'] ?? 'resources'),
    rendererDir: resolve(values['renderer-dir'] ?? join('out', 'renderer')),
  });
  console.log(`Outrigger web mode: ${host.url}  (ready in ${Date.now() - started} ms)`);
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
