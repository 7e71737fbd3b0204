import { describe, expect, it } from 'vitest';
import { ExportRequest } from '../../../../shared/contract';
import { initialForm, toRequest, withProject } from './export-form';

const project = {
  id: 'p',
  name: 'P',
  kind: 'image' as const,
  source: 'local' as const,
  submitted: 3,
  labels: ['cat'],
  formats: ['coco' as const, 'yolo-detect' as const],
  versions: ['latest' as const, 'submitted' as const],
  unavailable: [],
  batches: [],
  annotators: [],
  firstAt: null,
  lastAt: null,
};

describe('export form', () => {
  it('gives a request the contract accepts, shares as fractions summing to 1', () => {
    const f = { ...initialForm(project, '/x'), split: true, shares: [70, 20, 10] as const, seed: 4 };
    const r = toRequest(f);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const parsed = ExportRequest.parse(r.request);
    expect(parsed.options.split?.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(parsed.options).toMatchObject({ format: 'coco', seed: 4, images: 'none' });
  });

  it('takes dates as whole local days, the end day included', () => {
    const r = toRequest({ ...initialForm(project, '/x'), from: '2026-12-01', to: '2026-12-01' });
    if (!r.ok) throw new Error(r.message);
    expect(r.request.options.to! - r.request.options.from!).toBe(24 * 3600 * 1000);
    expect(new Date(r.request.options.from!).getHours()).toBe(0);
  });

  it('names the field at fault', () => {
    const base = initialForm(project, '/x');
    expect(toRequest({ ...base, split: true, shares: [50, 10, 10] })).toMatchObject({
      ok: false,
      field: 'split',
    });
    expect(toRequest({ ...base, from: '2026-12-02', to: '2026-12-01' })).toMatchObject({
      ok: false,
      field: 'to',
    });
    expect(toRequest({ ...base, labels: [] })).toMatchObject({ ok: false, field: 'labels' });
    expect(toRequest({ ...base, projectId: '' })).toMatchObject({ ok: false, field: 'project' });
  });

  it('keeps a format the new project can take, else its first', () => {
    const text = {
      ...project,
      id: 't',
      kind: 'text' as const,
      formats: ['conll' as const, 'jsonl' as const],
    };
    expect(withProject({ ...initialForm(project, '/x'), images: 'copy' }, text)).toMatchObject({
      format: 'conll',
      images: 'none',
    });
  });

  it('moves to a hub project: its versions, its source, a zip instead of copies', () => {
    const hubProject = {
      ...project,
      source: 'hub' as const,
      versions: ['latest' as const, 'reviewed' as const],
      batches: ['w1', 'w2'],
      annotators: ['ann'],
    };
    const f = withProject(
      { ...initialForm(project, '/x'), version: 'submitted', images: 'copy' },
      hubProject,
    );
    expect(f).toMatchObject({ source: 'hub', version: 'latest', images: 'zip' });
    const r = toRequest({ ...f, version: 'reviewed', batches: ['w2'] });
    if (!r.ok) throw new Error(r.message);
    expect(ExportRequest.parse(r.request)).toMatchObject({
      source: 'hub',
      options: { version: 'reviewed', batches: ['w2'] },
    });
    expect(toRequest({ ...f, annotators: [] })).toMatchObject({ ok: false, field: 'annotators' });
  });
});
