import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  ExportJob,
  ExportPreviewResult,
  ExportRequestInput,
  ExportSources,
} from '../../../../shared/contract';
import { useConnection } from '../../hooks/api-context';

/** What can be exported, fetched when the screen opens. */
export const useExportSources = (): { sources: ExportSources | null; error: string | null } => {
  const { api } = useConnection();
  const [sources, setSources] = useState<ExportSources | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void api.call('export.sources', {}).then((r) => {
      if (!live) return;
      if (r.ok) setSources(r.value);
      else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [api]);
  return { sources, error };
};

export type PreviewState =
  | { state: 'idle' }
  | { state: 'loading'; last: ExportPreviewResult | null }
  | { state: 'ready'; preview: ExportPreviewResult }
  | { state: 'error'; message: string };

/**
 * The live preview: asked again 300 ms after the request last changed; an answer to an older
 * request is dropped (only the newest one is shown).
 */
export const useExportPreview = (request: ExportRequestInput | null): PreviewState => {
  const { api } = useConnection();
  const key = request ? JSON.stringify(request) : '';
  const [answer, setAnswer] = useState<{ key: string; state: PreviewState } | null>(null);
  useEffect(() => {
    if (!key) return;
    let live = true;
    const t = setTimeout(() => {
      void api.call('export.preview', JSON.parse(key) as ExportRequestInput).then((r) => {
        if (!live) return;
        setAnswer({
          key,
          state: r.ok ? { state: 'ready', preview: r.value } : { state: 'error', message: r.error.message },
        });
      });
    }, 300);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [api, key]);
  if (!key) return { state: 'idle' };
  if (answer?.key === key) return answer.state;
  return { state: 'loading', last: answer?.state.state === 'ready' ? answer.state.preview : null };
};

/**
 * The export this window started last, kept current by `export.progress`. It lives in the
 * shell, so closing the screen does not lose a running export: reopening shows it.
 */
export const useExportJob = (): {
  job: ExportJob | null;
  start(req: ExportRequestInput & { outDir?: string }): Promise<string | null>;
  cancel(): Promise<void>;
  clear(): void;
} => {
  const { api } = useConnection();
  const [job, setJob] = useState<ExportJob | null>(null);
  const id = useRef<string | null>(null);
  // A small export can end before export.start answers: its events are kept until then.
  const early = useRef(new Map<string, ExportJob>());
  useEffect(
    () =>
      api.on('export.progress', (j) => {
        if (j.exportId === id.current) setJob(j);
        else early.current.set(j.exportId, j);
      }),
    [api],
  );
  const start = useCallback(
    async (req: ExportRequestInput & { outDir?: string }): Promise<string | null> => {
      const r = await api.call('export.start', req);
      if (!r.ok) return r.error.message;
      id.current = r.value.exportId;
      const seen = early.current.get(r.value.exportId);
      early.current.clear();
      setJob(seen ?? r.value);
      return null;
    },
    [api],
  );
  const cancel = useCallback(async () => {
    if (!id.current) return;
    const r = await api.call('export.cancel', { exportId: id.current });
    if (r.ok) setJob(r.value);
  }, [api]);
  const clear = useCallback(() => {
    id.current = null;
    setJob(null);
  }, []);
  return { job, start, cancel, clear };
};
