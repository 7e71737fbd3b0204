import { createWriteStream } from 'node:fs';
import type http from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import {
  AppError,
  type ExportableProject,
  type ExportPreviewResult,
  type ReviewRoles,
} from '../../../shared/contract';
import {
  EXPORT_RECORDS_TRAILER,
  ExportPreviewCounts,
  FORMAT_KINDS,
  HUB_VERSIONS,
  type ExportFormat,
  type ExportOptions,
} from '../../../shared/export';
import { HUB_ROUTES, HubErrorBody, hubPath, ProjectInfo, ProjectProgress } from '../../../shared/sync';
import { describeHubError, HUB_HEADERS, parseHubAnswer } from '../sync/hub-api';
import { HttpStatusError, type HttpClient } from '../sync/http';
import { zipManifestRecords } from './zip-manifest';

/** What the hub side of the export screen needs from the sync engine and the review side. */
export interface HubExportDeps {
  /** The signed-in hub's HTTP client, or null (not signed in). */
  client(): { http: HttpClient; hubUrl: string } | null;
  /** The person's roles (from the hub, or the last answer kept here when it cannot be reached). */
  roles(): Promise<ReviewRoles>;
}

/** What the export screen shows of the hub: the projects the person leads there, or why none. */
export interface HubExportList {
  projects: ExportableProject[];
  /** Why no hub project can be exported now (signed out, offline, not a lead), else null. */
  note: string | null;
}

/** The count the hub sent, or null: the trailer (streamed route), else the header (older hubs). */
const recordsOf = (res: http.IncomingMessage): number | null => {
  for (const v of [res.trailers[EXPORT_RECORDS_TRAILER], res.headers[EXPORT_RECORDS_TRAILER]]) {
    if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  }
  return null;
};

/** The route's query for these options (the route takes the CLI's flags as strings). */
export const exportQuery = (o: ExportOptions): string => {
  const q = new URLSearchParams({ format: o.format, version: o.version });
  for (const key of ['annotators', 'batches', 'labels'] as const) {
    const list = o[key];
    if (!list?.length) continue;
    const bad = list.find((x) => x.includes(','));
    if (bad !== undefined)
      throw new AppError(
        'INVALID_INPUT',
        `"${bad}" holds a comma, which the hub's export query cannot carry; export it with the hub's CLI`,
        `options.${key}`,
      );
    q.set(key, list.join(','));
  }
  if (o.from !== undefined) q.set('from', new Date(o.from).toISOString());
  if (o.to !== undefined) q.set('to', new Date(o.to).toISOString());
  if (o.split) q.set('split', o.split.join(','));
  if (o.split) q.set('seed', String(o.seed));
  q.set('images', o.images === 'zip' ? 'zip' : 'none');
  return q.toString();
};

/** A hub refusal in the person's words, its field mapped to the screen's request. */
const refusal = (e: unknown): AppError => {
  if (e instanceof AppError) return e;
  if (e instanceof HttpStatusError) {
    let field: string | undefined;
    let message = describeHubError(e);
    try {
      const b = HubErrorBody.safeParse(JSON.parse(e.body));
      if (b.success) {
        message = b.data.error.message;
        field = b.data.error.field
          ?.replace(/^query\./, 'options.')
          .replace(/^params\.projectId$/, 'projectId');
      }
    } catch {
      // Not JSON: the status words above.
    }
    const code = e.status === 403 ? 'FORBIDDEN' : e.status === 404 ? 'NOT_FOUND' : 'INVALID_INPUT';
    return e.status >= 500
      ? new AppError('OFFLINE', `the hub could not export: ${message}`)
      : new AppError(code, message, field);
  }
  return new AppError('OFFLINE', `the hub cannot be reached: ${describeHubError(e)}`);
};

/**
 * Exports of a hub project for its leads, from the workbench: the projects the person leads
 * (roles from the hub), the hub's preview counts, and the dataset streamed from the hub's
 * export route into a file. The hub checks the role on every call; the list here only saves a
 * refusal.
 */
export class HubExportSource {
  constructor(private readonly d: HubExportDeps) {}

  private client(): HttpClient {
    const c = this.d.client();
    if (!c) throw new AppError('OFFLINE', 'not signed in to a hub: sign in to export from it');
    return c.http;
  }

  private async get<T>(path: string, what: string, schema: { parse(v: unknown): T } & object): Promise<T> {
    try {
      const res = await this.client().request({ method: 'GET', path, headers: HUB_HEADERS, retry: false });
      return parseHubAnswer(schema as never, res.body, what) as T;
    } catch (e) {
      throw refusal(e);
    }
  }

  async list(): Promise<HubExportList> {
    if (!this.d.client())
      return {
        projects: [],
        note: 'Not signed in to a hub: the projects you lead there appear once you sign in.',
      };
    const roles = await this.d.roles();
    if (roles.source !== 'hub')
      return { projects: [], note: 'The hub cannot be reached now: exporting from it needs the link.' };
    if (roles.leads.length === 0)
      return { projects: [], note: 'You lead no project on this hub: exporting from it is for leads.' };
    const projects: ExportableProject[] = [];
    for (const projectId of roles.leads) {
      try {
        const info = await this.get(hubPath(HUB_ROUTES.project, { projectId }), 'project', ProjectInfo);
        const progress = await this.get(
          hubPath(HUB_ROUTES.progress, { projectId }),
          'progress',
          ProjectProgress,
        );
        const c = info.labelConfig;
        projects.push({
          id: info.id,
          name: info.name,
          kind: info.kind,
          source: 'hub',
          submitted: progress.submissions,
          labels: [
            ...new Set([
              ...c.labels.map((l) => l.name),
              ...c.classes.flatMap((g) => g.options.map((o) => o.name)),
            ]),
          ],
          formats: (Object.keys(FORMAT_KINDS) as ExportFormat[]).filter((f) =>
            FORMAT_KINDS[f].includes(info.kind),
          ),
          versions: [...HUB_VERSIONS],
          unavailable: [],
          batches: progress.batches.map((b) => b.batch),
          annotators: progress.perUser.filter((u) => u.submitted > 0).map((u) => u.name),
          firstAt: null,
          lastAt: null,
        });
      } catch (e) {
        // A project the hub will not show (the role was just taken away) is left out.
        if (!(e instanceof AppError) || e.code === 'OFFLINE') throw e;
      }
    }
    return { projects, note: null };
  }

  preview(projectId: string, o: ExportOptions): Promise<ExportPreviewResult> {
    return this.get(
      `${hubPath(HUB_ROUTES.projectExportPreview, { projectId })}?${exportQuery(o)}`,
      'export preview',
      ExportPreviewCounts,
    );
  }

  /**
   * Streams the project's export (one zip) into `file`, counting bytes as they land: the hub
   * writes the zip while it exports, so bytes arrive from the first page on. Resolves with the
   * number of task versions the zip holds, from the trailer after its last byte (else from
   * the zip's manifest). A hub that cuts the answer (its export failed), or a zip without
   * either count, is an error: the caller then removes the file.
   */
  async download(
    projectId: string,
    o: ExportOptions,
    file: string,
    signal: AbortSignal,
    onBytes: (bytes: number) => void,
  ): Promise<{ records: number; bytes: number }> {
    const path = `${hubPath(HUB_ROUTES.projectExport, { projectId })}?${exportQuery(o)}`;
    let bytes = 0;
    try {
      return await this.client().stream(
        // Idle deadline: bytes flow from the first page on; a split's first pass (labels only) comes before them.
        { method: 'GET', path, headers: HUB_HEADERS, timeoutMs: 5 * 60_000 },
        async (res: http.IncomingMessage) => {
          const status = res.statusCode ?? 0;
          if (status !== 200) {
            const chunks: Buffer[] = [];
            for await (const c of res) chunks.push(c as Buffer);
            throw new HttpStatusError(status, Buffer.concat(chunks).toString('utf8'), null);
          }
          const count = new Transform({
            transform(chunk: Buffer, _enc, done) {
              bytes += chunk.length;
              onBytes(bytes);
              done(null, chunk);
            },
          });
          await pipeline(res, count, createWriteStream(file, { mode: 0o600 }), { signal });
          const records =
            recordsOf(res) ??
            (await zipManifestRecords(file).catch((e: unknown) => {
              throw new AppError(
                'OFFLINE',
                `the hub's answer ended after ${bytes} bytes without its record count, and the zip's manifest cannot be read (${(e as Error).message}): the export is incomplete`,
              );
            }));
          return { records, bytes };
        },
      );
    } catch (e) {
      if (signal.aborted) throw e;
      if (bytes > 0 && !(e instanceof AppError))
        // Cut after the first bytes: the hub's export failed midway (its log says why) or the link dropped.
        throw new AppError(
          'OFFLINE',
          `the hub stopped sending the export after ${bytes} bytes (${describeHubError(e)}); nothing was kept`,
        );
      throw refusal(e);
    }
  }
}
