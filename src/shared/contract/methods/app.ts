import { z } from 'zod';

export const AppInfo = z.object({
  version: z.string(),
  contractVersion: z.string(),
  mode: z.enum(['electron', 'web', 'test']),
  dataDir: z.string(),
});

export const appMethods = {
  'app.info': { input: z.object({}).strict(), output: AppInfo },
} as const;

export const appEvents = {} as const;
