import { HttpStatusError, NetworkError, type HttpClient } from './http';

/** A failure that says the hub cannot be reached (no answer, or a hub too busy or broken to serve). */
export const isLinkFailure = (e: unknown): boolean =>
  e instanceof NetworkError || (e instanceof HttpStatusError && e.status >= 500);

/**
 * The hub's HTTP client as workbench services get it (review, team figures, quality, export):
 * the same requests, but one that cannot reach the hub is told to `onLinkFailure` before it is
 * thrown. The sync engine uses that to check the hub at once, so the status bar does not keep
 * saying "Synced" from the last cycle while a screen already knows the hub is gone.
 */
export const watchedHttp = (http: HttpClient, onLinkFailure: (e: unknown) => void): HttpClient => {
  const watch = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (e) {
      if (isLinkFailure(e)) onLinkFailure(e);
      throw e;
    }
  };
  return {
    baseUrl: http.baseUrl,
    prepareJson: (text) => http.prepareJson(text),
    request: (options) => watch(() => http.request(options)),
    stream: (options, sink) => watch(() => http.stream(options, sink)),
    close: () => http.close(),
  };
};
