// Keeps one core running for the app. When the configured port is taken (another proxy, the CLI,
// any program), the app still needs its server — the dashboard is served by it — so it comes up on
// a free port instead and says so; the next Start tries the configured port again.
import { EventEmitter } from 'node:events';
import type { DesktopCore, OpenCore } from './core-adapter.js';

export type StartOutcome =
  | { ok: true; url: string; port: number; busyPort?: number }
  | { ok: false; message: string };

function addressInUse(err: unknown): err is NodeJS.ErrnoException & { port?: number } {
  return (err as NodeJS.ErrnoException | null)?.code === 'EADDRINUSE';
}

export class ProxyRunner extends EventEmitter {
  private current: DesktopCore | null = null;
  /** The configured port that was busy when the current core had to take another one. */
  private busy: number | null = null;
  private readonly forward = (): void => void this.emit('change');

  constructor(
    private readonly openCore: OpenCore,
    private readonly rendererDir: string,
  ) {
    super();
  }

  get core(): DesktopCore | null {
    return this.current;
  }

  get busyPort(): number | null {
    return this.busy;
  }

  /** The origin the dashboard is served from, or null while nothing is listening. */
  origin(): string | null {
    const bound = this.current?.running() ? this.current.address() : null;
    return bound ? `http://127.0.0.1:${bound.port}` : null;
  }

  async start(): Promise<StartOutcome> {
    // A core on a fallback port is replaced, so the configured port gets another chance.
    if (!this.current || this.busy !== null) await this.replace(undefined);
    const core = this.current as DesktopCore;
    try {
      const { url, port } = await core.start();
      return { ok: true, url, port };
    } catch (err) {
      if (!addressInUse(err)) return { ok: false, message: (err as Error).message };
      const wanted = err.port ?? core.address()?.port ?? 0;
      await this.replace(0);
      try {
        const { url, port } = await (this.current as DesktopCore).start();
        this.busy = wanted;
        this.emit('change');
        return { ok: true, url, port, busyPort: wanted };
      } catch (fallbackErr) {
        return { ok: false, message: (fallbackErr as Error).message };
      }
    }
  }

  async stop(): Promise<void> {
    await this.current?.stop();
  }

  /** Stops the server and releases the core; in-flight streams get the core's grace period. */
  async close(): Promise<void> {
    const core = this.current;
    this.current = null;
    if (!core) return;
    core.off('change', this.forward);
    await core.close();
  }

  private async replace(port: number | undefined): Promise<void> {
    await this.close();
    this.busy = null;
    const core = await this.openCore({ port, rendererDir: this.rendererDir });
    core.on('change', this.forward);
    this.current = core;
    this.emit('change');
  }
}
