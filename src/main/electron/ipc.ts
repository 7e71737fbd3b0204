import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../shared/contract/api';
import { err, type Result } from '../../shared/contract/result';
import type { BridgeEventMessage } from '../../shared/contract/bridge';
import type { Dispatch, EventBus } from '../core/dispatch';

/** Where events go: the webContents of each open window. */
export interface EventTarget {
  isDestroyed(): boolean;
  send(channel: string, message: BridgeEventMessage): void;
}

export interface IpcTransportOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  dispatch: Dispatch;
  events: Pick<EventBus, 'subscribe'>;
  /** True only for URLs of the renderer we loaded (see createTrustedUrlCheck). */
  isTrustedUrl: (url: string | undefined | null) => boolean;
  targets: () => Iterable<EventTarget>;
  log?: (message: string) => void;
}

/** The frame that sent an invoke; null once it navigated away or was destroyed. */
const senderUrl = (event: Pick<IpcMainInvokeEvent, 'senderFrame'>): string | null => {
  try {
    return event.senderFrame?.url ?? null;
  } catch {
    return null; // a disposed WebFrameMain throws on access
  }
};

/**
 * The Electron IPC transport: one `handle` on the one invoke channel, every contract method
 * behind it through the dispatcher, and core events forwarded on the one event channel. A call
 * from any frame but our renderer gets FORBIDDEN and never reaches a service.
 */
export const registerIpcTransport = (opts: IpcTransportOptions): (() => void) => {
  const log = opts.log ?? (() => {});
  opts.ipcMain.handle(
    IPC_INVOKE_CHANNEL,
    async (event, method: unknown, input: unknown): Promise<Result<unknown>> => {
      const url = senderUrl(event);
      if (!opts.isTrustedUrl(url)) {
        log(`refused IPC from ${url ?? 'an unknown frame'}`);
        return err('FORBIDDEN', 'this frame may not call the workbench');
      }
      if (typeof method !== 'string') return err('INVALID_INPUT', 'method must be a string', 'method');
      return opts.dispatch(method, input);
    },
  );

  const unsubscribe = opts.events.subscribe((event, payload) => {
    for (const target of opts.targets()) {
      if (target.isDestroyed()) continue;
      try {
        target.send(IPC_EVENT_CHANNEL, { event, payload });
      } catch (e) {
        log(`could not forward event ${event}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  });

  return () => {
    unsubscribe();
    opts.ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
  };
};
