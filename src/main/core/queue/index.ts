export { QueueService, localStartOfDay } from './service';
export type { Clock, QueueServiceOptions } from './service';
export { QueueRepo, SQL as QUEUE_SQL, listQuery } from './repo';
export type { ListFilter, NewTask, StoredTask } from './repo';
export { taskTitle } from './title';
export { checkAnnotation } from './validate';
