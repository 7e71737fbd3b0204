import { z } from 'zod';
import { serveJobs } from './serve';

/** A thread entry for pool.test.ts: echoes its input (zod required from node_modules, as real entries do). */
serveJobs((input) => ({ echoed: z.unknown().parse(input) }));
