import { z } from 'zod';
import { HUB_ROUTES, HubErrorBody, PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../shared/sync';
import type { RouteDef } from './route';

type Json = Record<string, unknown>;

const schemaOf = (s: z.ZodType, io: 'input' | 'output'): Json => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Json;
  return rest;
};

/** OpenAPI 3.1 parameters from an object schema's properties. */
const parameters = (s: z.ZodType | undefined, where: 'path' | 'query'): Json[] => {
  if (!s) return [];
  const js = schemaOf(s, 'input') as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, schema]) => ({
    name,
    in: where,
    required: where === 'path' || (js.required ?? []).includes(name),
    schema,
  }));
};

/** The OpenAPI document, generated from the same zod schemas the routes validate with. */
export const buildOpenApi = (routes: readonly RouteDef[]): Json => {
  const paths: Record<string, Record<string, Json>> = {};
  const errorResponse = {
    description: 'error',
    content: { 'application/json': { schema: schemaOf(HubErrorBody, 'output') } },
  };
  for (const r of routes) {
    const path = r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const ok =
      r.response === 'binary'
        ? {
            description: 'the bytes (206 for a range)',
            content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
          }
        : { description: 'ok', content: { 'application/json': { schema: schemaOf(r.response, 'output') } } };
    paths[path] = {
      ...(paths[path] ?? {}),
      [r.method.toLowerCase()]: {
        summary: r.summary,
        description: `Who may call: ${r.roles}.`,
        security: [{ bearer: [] }],
        parameters: [
          ...parameters(r.params, 'path'),
          ...parameters(r.query, 'query'),
          {
            name: PROTOCOL_HEADER,
            in: 'header',
            required: false,
            schema: { type: 'string', example: PROTOCOL_VERSION },
          },
        ],
        ...((r.body ?? r.rawBody)
          ? {
              requestBody: {
                required: true,
                content: {
                  'application/json': { schema: schemaOf((r.body ?? r.rawBody) as z.ZodType, 'input') },
                },
              },
            }
          : {}),
        responses: {
          200: ok,
          400: errorResponse,
          401: errorResponse,
          403: errorResponse,
          404: errorResponse,
          413: errorResponse,
        },
      },
    };
  }
  paths[HUB_ROUTES.health] = {
    get: {
      summary: 'Liveness and protocol version (no token needed).',
      responses: { 200: { description: 'ok' } },
    },
  };
  paths['/openapi.json'] = {
    get: { summary: 'This document (no token needed).', responses: { 200: { description: 'ok' } } },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Outrigger hub',
      version: PROTOCOL_VERSION,
      description: `Send \`${PROTOCOL_HEADER}: ${PROTOCOL_VERSION}\`; another major version is refused with VERSION_MISMATCH. Request bodies may be gzip-compressed (Content-Encoding: gzip).`,
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
};
