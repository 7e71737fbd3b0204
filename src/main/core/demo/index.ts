export { DemoDataError } from './seed';
