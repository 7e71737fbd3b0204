import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZipFile } from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportOptions } from '../../../shared/export';
import { createHttpClient } from '../sync/http';
import { HubExportSource } from './hub-source';

/** A zip holding a manifest that names `records` (and something before it). */
const zipOf = (records: number): Promise<Buffer> =>
  new Promise((resolve) => {
    const z = new ZipFile();
    z.addBuffer(Buffer.from('{"images":[]}'), 'annotations.json');
    z.addBuffer(Buffer.from(JSON.stringify({ records })), 'outrigger-export.json');
    z.end();
    const parts: Buffer[] = [];
    z.outputStream.on('data', (c: Buffer) => parts.push(c));
    z.outputStream.on('end', () => resolve(Buffer.concat(parts)));
  });

describe('HubExportSource.download: where the record count comes from', () => {
  let server: http.Server;
  let answer: (res: http.ServerResponse) => void = () => undefined;
  let source: HubExportSource;
  let dir: string;
  beforeAll(async () => {
    server = http.createServer((_req, res) => answer(res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = createHttpClient({ baseUrl: url, clock: Date.now, random: Math.random });
    source = new HubExportSource({
      client: () => ({ http: client, hubUrl: url }),
      roles: () => Promise.reject(new Error('unused')),
    });
    dir = mkdtempSync(join(tmpdir(), 'hub-source-'));
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });
  const download = (name: string) =>
    source.download(
      'p',
      ExportOptions.parse({ format: 'coco' }),
      join(dir, name),
      new AbortController().signal,
      () => undefined,
    );

  it('reads the trailer', async () => {
    const zip = await zipOf(7);
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'application/zip', trailer: 'x-outrigger-export-records' });
      res.write(zip);
      res.addTrailers({ 'x-outrigger-export-records': '12' });
      res.end();
    };
    expect(await download('a.zip')).toEqual({ records: 12, bytes: zip.length });
  });

  it("reads the zip's manifest when a proxy dropped the trailer", async () => {
    const zip = await zipOf(7);
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'application/zip' });
      res.end(zip);
    };
    expect(await download('b.zip')).toEqual({ records: 7, bytes: zip.length });
    expect(readFileSync(join(dir, 'b.zip')).equals(zip)).toBe(true);
  });

  it('refuses an answer that ended early without either', async () => {
    const zip = await zipOf(7);
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'application/zip' });
      res.end(zip.subarray(0, zip.length - 30));
    };
    await expect(download('c.zip')).rejects.toThrow(/without its record count.*the export is incomplete/);
    expect(existsSync(join(dir, 'c.zip'))).toBe(true); // the service removes it (tests/export/route-stream.test.ts)
  });
});
