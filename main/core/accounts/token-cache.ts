// The token bundles this process last read or wrote, by account id, so that a request does not go
// to the secret store (a file read, and in keychain mode an AES-GCM open) every time. It never
// decides on its own that an entry is stale: the Refresher replaces entries when it writes tokens,
// and the Pool drops them all when it sees another process rewrite accounts.json.
import type { TokenBundle } from './tokens.js';

export class TokenCache {
  private readonly bundles = new Map<string, TokenBundle>();
  /** Bumped on every put or drop, so a read that started before cannot put an older bundle back. */
  private generation = 0;

  get(id: string): TokenBundle | undefined {
    return this.bundles.get(id);
  }

  /**
   * Reads the stored bundle through `read` and remembers the answer (including "none", or a failed
   * read) unless the cache changed while it was being read.
   */
  async load(id: string, read: () => Promise<TokenBundle | undefined>): Promise<TokenBundle | undefined> {
    const generation = this.generation;
    const settle = (bundle: TokenBundle | undefined): void => {
      if (generation !== this.generation) return;
      if (bundle) this.bundles.set(id, bundle);
      else this.bundles.delete(id);
    };
    try {
      const bundle = await read();
      settle(bundle);
      return bundle;
    } catch (err) {
      settle(undefined);
      throw err;
    }
  }

  put(id: string, bundle: TokenBundle): void {
    this.generation++;
    this.bundles.set(id, bundle);
  }

  drop(id: string): void {
    this.generation++;
    this.bundles.delete(id);
  }

  clear(): void {
    this.generation++;
    this.bundles.clear();
  }
}
