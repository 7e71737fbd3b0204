import { serveJobs } from '../threads/serve';
import { PackedJobs, packRows, taskRowOf, unpackJobs } from './quality-task';

/** A quality thread's entry (bundled by threads/bundle.ts): a chunk of tasks in, their rows out. */
serveJobs((input) => packRows(unpackJobs(PackedJobs.parse(input)).map(taskRowOf)));
