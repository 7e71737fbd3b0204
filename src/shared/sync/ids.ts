import { z } from 'zod';

/**
 * An identifier a client sends (project, task, device, client, request ids): 1 to `max`
 * characters, none of them NUL. PostgreSQL text cannot hold a NUL, so one reaching a query
 * would fail there (a 500); refused at the boundary it is a 400 naming the field on both stores.
 */
export const WireId = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !s.includes('\u0000'), 'must not contain a NUL character');

/** Task ids as the hub's routes take them (in paths and mutations). */
export const TaskId = WireId(400);
/** Project ids as the hub's routes take them. */
export const ProjectId = WireId(200);
