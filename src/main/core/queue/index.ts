export { QueueService, localStartOfDay } from './service';
export type { OutboxReader, QueueServiceOptions } from './service';
export { HubTasks, HUB_TASKS_SQL } from './hub-tasks';
export type { DropResult, LeasedTask, LeaseRow, LeasedRow } from './hub-tasks';
export { QueueRepo, SQL as QUEUE_SQL, listQuery } from './repo';
export type { ListFilter, NewTask, StoredTask } from './repo';
export { taskTitle } from './title';
export { checkAnnotation } from './validate';
