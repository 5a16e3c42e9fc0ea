// The manual (headless) path: what a person pastes after signing in on another machine. Either
// the whole URL the browser ended on, just its query, or the bare code.
import { AccountsError } from '../errors.js';

export type PastedCallback =
  | { kind: 'code'; code: string; state: string | null }
  | { kind: 'error'; error: string; description: string | null; state: string | null };

function fromQuery(query: URLSearchParams, input: string): PastedCallback {
  const state = query.get('state');
  const error = query.get('error');
  if (error) return { kind: 'error', error, description: query.get('error_description'), state };
  const code = query.get('code');
  if (!code) {
    throw new AccountsError('invalid_request_error', `The pasted URL has no "code" parameter: ${input.slice(0, 80)}…`);
  }
  return { kind: 'code', code, state };
}

export function parsePastedCallback(input: string): PastedCallback {
  const trimmed = input.trim();
  if (!trimmed) throw new AccountsError('invalid_request_error', 'Nothing was pasted: paste the URL your browser ended on, or the code.');
  if (/^https?:\/\//i.test(trimmed)) {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      throw new AccountsError('invalid_request_error', 'The pasted text starts like a URL but is not a valid one.');
    }
    return fromQuery(url.searchParams, trimmed);
  }
  const queryStart = trimmed.indexOf('?');
  if (queryStart >= 0 || /(^|&)(code|error)=/.test(trimmed)) {
    return fromQuery(new URLSearchParams(trimmed.slice(queryStart + 1)), trimmed);
  }
  if (/\s/.test(trimmed)) throw new AccountsError('invalid_request_error', 'That does not look like a sign-in code or callback URL.');
  return { kind: 'code', code: trimmed, state: null };
}
