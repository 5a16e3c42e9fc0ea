// One short line from what Claude Code piped in and what the proxy answered, e.g.
// `gpt-6.2-sol · ctx 41% of 500k · 5h 12% · wk 33% · a@…`. Pure.
import type { AccountStatus, StatusLineInfo } from '../../../shared/api.js';
import type { StatusLineInput } from './input.js';

export type ProxyAnswer =
  | { kind: 'ok'; info: StatusLineInfo }
  /** Nothing listens there (or the name does not resolve). */
  | { kind: 'offline'; where: string }
  /** Connected, but no answer within the time budget. */
  | { kind: 'timeout'; where: string }
  /** 401/403: the proxy wants another API key than ANTHROPIC_AUTH_TOKEN. */
  | { kind: 'refused'; where: string }
  /** Any other status, or a body that is not the expected JSON. */
  | { kind: 'error'; where: string; status?: number };

const SEP = ' · ';

/** Model ids and e-mail addresses reach a terminal: no control characters, bounded length. */
const clean = (text: string, max = 48): string =>
  [...text]
    .filter((ch) => {
      const code = ch.charCodeAt(0);
      return code >= 0x20 && (code < 0x7f || code > 0x9f);
    })
    .join('')
    .slice(0, max);

/** 272000 → 272k, 1000000 → 1m, as Claude Code's own /context writes sizes. */
export function tokenSize(n: number): string {
  if (n >= 1_000_000) return `${Number((n / 1_000_000).toFixed(1))}m`;
  if (n >= 1000) return `${Math.round(n / 1000)}k`;
  return String(Math.round(n));
}

const percent = (n: number): string => `${Math.round(Math.min(Math.max(n, 0), 999))}%`;

/** `alice@example.com` → `a@…`: enough to tell accounts apart on a shared screen, no more. */
export function accountLabel(email: string | null): string {
  const first = email ? clean(email).charAt(0) : '';
  return first && first !== '@' ? `${first}@…` : 'account';
}

const STATUS_WORDS: Partial<Record<AccountStatus, string>> = {
  cooldown: 'limited',
  needs_relogin: 'sign-in needed',
  disabled: 'disabled',
};

function contextPart(input: StatusLineInput, window: number | null): string | null {
  if (window && window > 0)
    return `ctx ${percent(((input.contextTokens ?? 0) / window) * 100)} of ${tokenSize(window)}`;
  return input.contextTokens === null ? null : `ctx ${tokenSize(input.contextTokens)}`;
}

function quotaParts(fiveHour: number | null, weekly: number | null): string[] {
  const parts: string[] = [];
  if (fiveHour !== null) parts.push(`5h ${percent(fiveHour)}`);
  if (weekly !== null) parts.push(`wk ${percent(weekly)}`);
  return parts;
}

function okLine(input: StatusLineInput, info: StatusLineInfo): string {
  const parts: string[] = [clean(info.model?.slug ?? input.modelName) || 'unknown model'];
  const ctx = contextPart(input, info.model?.context_window ?? null);
  if (ctx) parts.push(ctx);
  if (info.account) {
    const { account } = info;
    parts.push(...quotaParts(account.five_hour_used_percent, account.weekly_used_percent));
    const status = STATUS_WORDS[account.status];
    parts.push(status ? `${accountLabel(account.email)} ${status}` : accountLabel(account.email));
  } else if (info.pooled.usable === 0) {
    parts.push('no usable account');
  } else {
    parts.push(...quotaParts(info.pooled.five_hour_used_percent, info.pooled.weekly_used_percent), 'pool');
  }
  return parts.join(SEP);
}

export function formatStatusLine(input: StatusLineInput, answer: ProxyAnswer): string {
  if (answer.kind === 'ok') return okLine(input, answer.info);
  const where = clean(answer.where, 64);
  const problem = {
    offline: `proxy offline (${where})`,
    timeout: `proxy not answering (${where})`,
    refused: `proxy refused the token (${where})`,
    error: `proxy error${answer.kind === 'error' && answer.status ? ` ${answer.status}` : ''} (${where})`,
  }[answer.kind];
  const model = clean(input.modelName);
  return model ? `${problem}${SEP}${model}` : problem;
}
