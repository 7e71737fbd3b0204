import { describe, expect, it } from 'vitest';
import type { ExportContext } from '../../shared/export';
import { FolderSink } from './folder-sink';
import { ZipSink } from './zip-sink';

const ctx = {} as ExportContext;

describe('export sinks and images', () => {
  it('take image records only when images travel with the dataset', () => {
    // Without `image`, an export hands no image records over (nor clones them off its format thread).
    expect(new FolderSink('/nowhere', ctx, 'none', () => '', 0).image).toBeUndefined();
    for (const mode of ['copy', 'link', 'zip'] as const)
      expect(new FolderSink('/nowhere', ctx, mode, () => '', 0).image).toBeTypeOf('function');
    const none = new ZipSink('/nowhere', ctx, 'none', () => '');
    const zip = new ZipSink('/nowhere', ctx, 'zip', () => '');
    expect(none.image).toBeUndefined();
    expect(zip.image).toBeTypeOf('function');
  });
});
