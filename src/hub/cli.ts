/**
 * `npm run hub -- <command>`: init, project create, project add-tasks, project review-policy, user add,
 * user grant, demo, serve, export, import, quality lot|report|gold-rate, metrics.
 * Operator mistakes (arguments, folders, files, configs) print one line and exit 2.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from './admin/errors';
import { BASE_COMMANDS, type Command } from './cli/commands';
import { DATASET_COMMANDS } from './cli/dataset-commands';
import { METRICS_COMMANDS } from './cli/metrics-commands';
import { QUALITY_COMMANDS } from './cli/quality-commands';

const COMMANDS: Command[] = [...BASE_COMMANDS, ...DATASET_COMMANDS, ...QUALITY_COMMANDS, ...METRICS_COMMANDS];

const USAGE = `Outrigger hub — the server annotators' workbenches sync with.

Usage: npm run hub -- <command> [options]   (each command takes --help)

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(22)} ${c.summary}`).join('\n')}
`;

const helpOf = (c: Command): string =>
  `Usage: npm run hub -- ${c.name} ${c.usage}\n\n${c.summary}\n\nOptions:\n${Object.entries(c.options)
    .map(([k, o]) => `  --${k}${o.type === 'string' ? ' <value>' : ''}`.padEnd(28) + (c.help[k] ?? ''))
    .join('\n')}\n  --help                    show this help\n`;

export const main = async (argv: string[]): Promise<number> => {
  const words: string[] = [];
  while (argv[words.length] !== undefined && !argv[words.length]?.startsWith('-'))
    words.push(argv[words.length] as string);
  if (words.length === 0) {
    process.stdout.write(USAGE);
    return argv.includes('--help') || argv.includes('-h') ? 0 : 2;
  }
  const cmd = COMMANDS.find((c) => c.name === words.join(' ')) ?? COMMANDS.find((c) => c.name === words[0]);
  if (!cmd) {
    process.stderr.write(`hub: unknown command "${words.join(' ')}" (try --help)\n`);
    return 2;
  }
  const rest = argv.slice(cmd.name.split(' ').length);
  let values: Record<string, string | boolean | undefined>;
  try {
    const config: ParseArgsConfig = {
      args: rest,
      options: { ...cmd.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    };
    values = parseArgs(config).values as Record<string, string | boolean | undefined>;
  } catch (e) {
    process.stderr.write(`hub ${cmd.name}: ${(e as Error).message.split('\n')[0] ?? 'bad arguments'}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(helpOf(cmd));
    return 0;
  }
  try {
    return await cmd.run(values);
  } catch (e) {
    if (e instanceof InputError) {
      process.stderr.write(`hub ${cmd.name}: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`hub ${cmd.name}: ${(e as Error).message.split('\n')[0] ?? String(e)}\n`);
    return 1;
  }
};

const isMain = process.argv[1] !== undefined && /cli\.[cm]?[jt]s$/.test(process.argv[1]);
if (isMain) {
  main(process.argv.slice(2)).then(
    (code) => {
      // serve keeps the process alive itself; other commands end here.
      if (code !== -1) process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`hub: ${String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
