// The upstream body of one request, serialized once per account that may serve it.
import type { CodexRequest, InputItem } from '../../../shared/codex.js';
import { bodyForAccount } from '../translate/request.js';

/**
 * The serialized body per account: replayed reasoning goes only to the account that produced it.
 * Serialized once per distinct account (usually once in all: one account, or no reasoning).
 */
export class Payloads {
  private readonly cache = new Map<string | null, { payload: string; dropped: number }>();
  readonly size: number;

  constructor(
    private readonly body: CodexRequest,
    private readonly owners: ReadonlyMap<InputItem, string>,
  ) {
    this.size = this.for(owners.size ? (owners.values().next().value as string) : null).payload.length;
  }

  get hasReasoning(): boolean {
    return this.owners.size > 0;
  }

  /** `account` null: without any replayed reasoning. */
  for(account: string | null): { payload: string; dropped: number } {
    const key = this.owners.size === 0 ? null : account;
    let hit = this.cache.get(key);
    if (!hit) {
      const { body, dropped } = bodyForAccount(this.body, this.owners, key);
      hit = { payload: JSON.stringify(body), dropped };
      this.cache.set(key, hit);
    }
    return hit;
  }
}
