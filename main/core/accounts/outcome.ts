// When an account's cooldown ends. The verdict itself comes from the one failure classifier
// (upstream/failure.ts); only a usage limit that named no reset time needs this room's knowledge,
// the account's quota windows.
import type { AccountQuota } from '../../../shared/api.js';
import { COOLDOWN_S, type AccountVerdict } from '../upstream/failure.js';
import { exhaustedUntil } from './quota.js';

export function cooldownEnd(
  verdict: Extract<AccountVerdict, { kind: 'cooldown' }>,
  quota: AccountQuota,
  nowMs: number,
): number {
  if (verdict.until !== null) return verdict.until;
  return exhaustedUntil(quota, nowMs) ?? Math.floor(nowMs / 1000) + COOLDOWN_S.usageLimitFallback;
}
