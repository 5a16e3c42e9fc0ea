// Browser APIs jsdom does not have and the dashboard's chart library touches: matchMedia (uPlot
// reads the pixel ratio through it when loaded) and ResizeObserver (charts follow their card).
// Charts themselves are drawn on a canvas, which only the Chromium test sees. Files that run in
// the node environment (pure logic) have no window at all.
const inBrowser = typeof window !== 'undefined';

if (inBrowser && !window.matchMedia) {
  window.matchMedia = (query: string): MediaQueryList =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false,
    }) as MediaQueryList;
}

if (inBrowser && !('ResizeObserver' in window)) {
  class NoResizeObserver {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  }
  (window as unknown as { ResizeObserver: typeof NoResizeObserver }).ResizeObserver = NoResizeObserver;
  (globalThis as unknown as { ResizeObserver: typeof NoResizeObserver }).ResizeObserver = NoResizeObserver;
}
