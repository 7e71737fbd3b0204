import { runCli } from '../hub/run-cli';

/** `hub import predictions` on a test hub, in-process. */
export const importPredictionsCli = (
  fx: { dataDir: string; projectId: string },
  format: string,
  from: string,
  model: string,
  ...more: string[]
) =>
  runCli(
    'import',
    'predictions',
    '--data',
    fx.dataDir,
    '--project',
    fx.projectId,
    '--format',
    format,
    '--from',
    from,
    '--model',
    model,
    ...more,
  );
