import { type z } from 'zod';
import { taskMethods, taskEvents } from './methods/tasks';
import { appMethods, appEvents } from './methods/app';
import { syncMethods, syncEvents } from './methods/sync';
import { activityMethods, activityEvents } from './methods/activity';
import { workspaceMethods, workspaceEvents } from './methods/workspaces';
import { reviewMethods, reviewEvents } from './methods/review';
import { exportMethods, exportEvents } from './methods/export';
import { qualityMethods, qualityEvents } from './methods/quality';

/** Bump the major on any incompatible change; transports refuse another major. */
export const CONTRACT_VERSION = '1.0.0';

export type MethodDef = { input: z.ZodType; output: z.ZodType };

/** Every method the workbench core answers, declared once. Types are inferred from here. */
export const methods = {
  ...appMethods,
  ...taskMethods,
  ...syncMethods,
  ...activityMethods,
  ...workspaceMethods,
  ...reviewMethods,
  ...exportMethods,
  ...qualityMethods,
} satisfies Record<string, MethodDef>;

/** Every event the core pushes to the renderer. */
export const events = {
  ...appEvents,
  ...taskEvents,
  ...syncEvents,
  ...activityEvents,
  ...workspaceEvents,
  ...reviewEvents,
  ...exportEvents,
  ...qualityEvents,
} satisfies Record<string, z.ZodType>;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodParsedInput<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const methodNames = Object.keys(methods) as MethodName[];
export const eventNames = Object.keys(events) as EventName[];
export const isMethodName = (name: string): name is MethodName => Object.hasOwn(methods, name);

/** The names the Electron IPC transport uses: one invoke channel, one event channel. */
export const IPC_INVOKE_CHANNEL = 'outrigger:invoke';
export const IPC_EVENT_CHANNEL = 'outrigger:event';
