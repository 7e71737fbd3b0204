import { runCli } from '../hub/run-cli';

type Fx = { dataDir: string; projectId: string };

/** The flags naming a test hub's project and a format. */
const projectArgs = (fx: Fx, format: string): string[] => [
  '--data',
  fx.dataDir,
  '--project',
  fx.projectId,
  '--format',
  format,
];

/** `hub import predictions` on a test hub, in-process. */
export const importPredictionsCli = (
  fx: Fx,
  format: string,
  from: string,
  model: string,
  ...more: string[]
) => runCli('import', 'predictions', ...projectArgs(fx, format), '--from', from, '--model', model, ...more);

/** `hub export` of a test hub's project into `out`, in-process. */
export const exportCli = (fx: Fx, format: string, out: string, ...more: string[]) =>
  runCli('export', ...projectArgs(fx, format), '--out', out, ...more);
