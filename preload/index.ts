// Runs in the sandboxed dashboard window before the page. It exposes `window.desktop`: one
// function per method of shared/ipc.ts, each a fixed-channel invoke. The page never sees
// ipcRenderer, channel names or Electron events.
import { contextBridge, ipcRenderer } from 'electron';
import { DESKTOP_GLOBAL, IPC_CHANNELS, type DesktopApi, type IpcContract, type IpcMethod } from '../shared/ipc.js';

function invoker<M extends IpcMethod>(method: M) {
  return (...args: IpcContract[M]['args']): Promise<IpcContract[M]['result']> => ipcRenderer.invoke(IPC_CHANNELS[method], ...args);
}

const api: DesktopApi = {
  openExternal: invoker('openExternal'),
  getLaunchAtLogin: invoker('getLaunchAtLogin'),
  setLaunchAtLogin: invoker('setLaunchAtLogin'),
  appInfo: invoker('appInfo'),
};

contextBridge.exposeInMainWorld(DESKTOP_GLOBAL, api);
