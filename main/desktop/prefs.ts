// Preferences only the app has: where its window was. (Launch at login lives with the OS; whatever
// the proxy needs lives in the core's config, shared with the CLI.) electron-store imports
// `electron`, which is why this file is in main/desktop and never in main/core.
import Store from 'electron-store';

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized?: boolean;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface DesktopPrefs {
  window?: WindowBounds;
}

export const DEFAULT_BOUNDS: WindowBounds = { width: 1100, height: 760 };
const MIN_SIZE = { width: 640, height: 480 };

export interface PrefsStore {
  windowBounds(): WindowBounds | undefined;
  saveWindowBounds(bounds: WindowBounds): void;
}

export function openPrefs(): PrefsStore {
  const store = new Store<DesktopPrefs>({ name: 'desktop-prefs', clearInvalidConfig: true });
  return {
    windowBounds: () => store.get('window'),
    saveWindowBounds: (bounds) => store.set('window', bounds),
  };
}

/** Prefs that live as long as the process (smoke mode: nothing of the run may outlive it). */
export function memoryPrefs(): PrefsStore {
  let saved: WindowBounds | undefined;
  return {
    windowBounds: () => saved,
    saveWindowBounds: (bounds) => void (saved = bounds),
  };
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/**
 * Saved bounds, unless the saved position is on a display that is gone (unplugged monitor): then
 * the size is kept and the window is centred by the OS. Sizes are clamped to something usable.
 */
export function restoreBounds(saved: WindowBounds | undefined, workAreas: readonly Rect[]): WindowBounds {
  if (!saved || !Number.isFinite(saved.width) || !Number.isFinite(saved.height)) return DEFAULT_BOUNDS;
  const size = { width: Math.max(MIN_SIZE.width, saved.width), height: Math.max(MIN_SIZE.height, saved.height) };
  const maximized = saved.maximized === true;
  if (saved.x === undefined || saved.y === undefined) return { ...size, maximized };
  const rect = { x: saved.x, y: saved.y, ...size };
  return workAreas.some((area) => overlaps(rect, area)) ? { ...rect, maximized } : { ...size, maximized };
}
