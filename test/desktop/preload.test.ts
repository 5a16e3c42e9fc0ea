import { describe, expect, it, vi } from 'vitest';
import { DESKTOP_GLOBAL, IPC_CHANNELS, IPC_METHODS, type DesktopApi } from '../../shared/ipc.js';
import { contextBridge, ipcRenderer } from './electron-fake.js';

vi.mock('electron', async () => (await import('./electron-fake.js')).electronModule());

await import('../../preload/index.js');

function exposed(): DesktopApi {
  expect(contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
  const [name, api] = contextBridge.exposeInMainWorld.mock.calls[0] as [string, DesktopApi];
  expect(name).toBe(DESKTOP_GLOBAL);
  return api;
}

describe('preload', () => {
  it('exposes exactly the methods of the IPC contract, all functions', () => {
    const api = exposed();
    expect(Object.keys(api).sort()).toEqual([...IPC_METHODS].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('maps each method to its fixed channel and passes its arguments through', async () => {
    const api = exposed();
    ipcRenderer.invoke.mockResolvedValueOnce(true);
    await expect(api.setLaunchAtLogin(true)).resolves.toBe(true);
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith(IPC_CHANNELS.setLaunchAtLogin, true);

    await api.openExternal('https://example.com/');
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith(IPC_CHANNELS.openExternal, 'https://example.com/');

    for (const method of ['getLaunchAtLogin', 'appInfo'] as const) {
      await api[method]();
      expect(ipcRenderer.invoke).toHaveBeenLastCalledWith(IPC_CHANNELS[method]);
    }
  });

  it('gives the page no handle on ipcRenderer itself', () => {
    const api = exposed();
    for (const value of Object.values(api)) expect(value).not.toBe(ipcRenderer.invoke);
    expect(Object.values(api)).not.toContain(ipcRenderer);
  });
});
