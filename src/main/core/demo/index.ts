export { seedDemo, loadDemo, DemoDataError } from './seed';
export type { DemoData } from './seed';
export { readImageInfo } from '../../../shared/model/image-info';
