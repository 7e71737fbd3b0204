export { QueueService } from './service';
export { SQL as QUEUE_SQL, listQuery } from './repo';
export type { ListFilter, NewTask } from './repo';
