export { seedDemo, loadDemo, DemoDataError } from './seed';
export type { DemoData } from './seed';
export { readImageInfo } from './image-info';
