// The main-process side of shared/ipc.ts. Each handler first checks who is asking (the top frame
// of a page on our own server's origin) and what it asks for, and only then acts.
import { app, ipcMain, shell, type IpcMainInvokeEvent } from 'electron';
import { IPC_CHANNELS, IPC_METHODS, type AppInfo, type IpcContract, type IpcMethod } from '../../shared/ipc.js';
import { getLaunchAtLogin, setLaunchAtLogin } from './login-item.js';
import { checkExternalUrl, isOwnOrigin, type OriginSource } from './security.js';

export class IpcRefused extends Error {}

interface Handler<M extends IpcMethod> {
  /** How many arguments the contract allows: extra ones are refused, not ignored. */
  arity: IpcContract[M]['args']['length'];
  run(args: unknown[]): Promise<IpcContract[M]['result']> | IpcContract[M]['result'];
}

function appInfo(): AppInfo {
  return {
    name: app.getName(),
    version: app.getVersion(),
    platform: process.platform,
    arch: process.arch,
    electron: process.versions.electron ?? '',
  };
}

const handlers: { [M in IpcMethod]: Handler<M> } = {
  openExternal: {
    arity: 1,
    run: ([url]) => shell.openExternal(checkExternalUrl(url)),
  },
  getLaunchAtLogin: { arity: 0, run: () => getLaunchAtLogin() },
  setLaunchAtLogin: {
    arity: 1,
    run: ([enabled]) => {
      if (typeof enabled !== 'boolean') throw new TypeError('setLaunchAtLogin expects true or false.');
      return setLaunchAtLogin(enabled);
    },
  },
  appInfo: { arity: 0, run: () => appInfo() },
};

/** Only the dashboard's own top-level page may call in: not a frame inside it, not another site. */
export function assertTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>, origin: OriginSource): void {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null || !isOwnOrigin(frame.url, origin)) {
    throw new IpcRefused('IPC refused: the sender is not the dashboard served by this app.');
  }
}

export function registerIpcHandlers(origin: OriginSource): void {
  for (const method of IPC_METHODS) {
    const handler = handlers[method] as Handler<IpcMethod>;
    ipcMain.handle(IPC_CHANNELS[method], (event, ...args: unknown[]) => {
      assertTrustedSender(event, origin);
      if (args.length !== handler.arity) {
        throw new TypeError(`${method} takes ${handler.arity} argument(s), got ${args.length}.`);
      }
      return handler.run(args);
    });
  }
}

export function removeIpcHandlers(): void {
  for (const method of IPC_METHODS) ipcMain.removeHandler(IPC_CHANNELS[method]);
}
