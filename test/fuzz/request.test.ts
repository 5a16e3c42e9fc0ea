// Property: every Anthropic body either gets a 400 invalid_request_error from our validation, or
// translates to a Codex body the strict fake backend accepts, with headers fetch can send. Never
// another exception (which the server would turn into a 500).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MessagesRequest } from '../../shared/anthropic.js';
import type { CodexModelInfo } from '../../shared/codex.js';
import { RequestError } from '../../main/core/translate/request-error.js';
import { toCodexRequest } from '../../main/core/translate/request.js';
import { validateMessagesRequest } from '../../main/core/translate/validate.js';
import { sessionKeyOf } from '../../main/core/proxy/session-key.js';
import { classifyHttp } from '../../main/core/upstream/failure.js';
import { DEFAULT_CODEX_MODELS } from '../fakes/codex-backend.js';
import { modelEfforts, validateResponsesRequest, type Rejection } from '../fakes/codex-validate.js';
import { brokenAttachmentBody, claudeLikeBody, garbageBody, overTheWire } from './anthropic-bodies.js';

const MODELS = DEFAULT_CODEX_MODELS.filter((m) => m.visibility === 'list');

type Outcome = { kind: 'rejected-by-us' } | { kind: 'sent'; rejection: Rejection | null; sessionHeader?: string };

function expectInvalidRequest(err: unknown): void {
  if (!(err instanceof RequestError)) throw err;
  expect(err.errorType).toBe('invalid_request_error');
}

/** What the Codex lane does with a body, up to the bytes it would put on the wire. */
function translate(body: unknown, model: CodexModelInfo, headers: Record<string, string | undefined>): Outcome {
  let request: MessagesRequest;
  try {
    request = validateMessagesRequest(body);
  } catch (err) {
    expectInvalidRequest(err);
    return { kind: 'rejected-by-us' };
  }
  const sessionId = sessionKeyOf(request, headers);
  let codexBody: unknown;
  try {
    codexBody = toCodexRequest(request, {
      model: model.slug,
      promptCacheKey: sessionId,
      supportedEfforts: modelEfforts(model),
      defaultEffort: model.default_reasoning_level,
      supportsParallelToolCalls: model.supports_parallel_tool_calls,
    }).body;
  } catch (err) {
    expectInvalidRequest(err);
    return { kind: 'rejected-by-us' };
  }
  const upstreamHeaders = sessionId ? { 'session-id': sessionId } : {};
  const rejection = validateResponsesRequest(overTheWire(codexBody), upstreamHeaders, MODELS);
  return { kind: 'sent', rejection, sessionHeader: sessionId };
}

/** fetch refuses header values with control characters or non-Latin-1 text before any byte is sent. */
function expectSendableHeader(value: string | undefined): void {
  if (value === undefined) return;
  expect(() => new Headers({ 'session-id': value }), `session-id header ${JSON.stringify(value)}`).not.toThrow();
}

const modelArb = fc.constantFrom(...MODELS);
const sessionHeaderArb = fc.option(fc.constantFrom('6f1c2a8e-0d5b-4c1e-9a7f-3b2d1e0f9a88', 'sess-1'), {
  nil: undefined,
});

describe('fuzz: Anthropic request → Codex request', () => {
  it('Claude-Code-shaped bodies: 400 from us, or a body the strict backend accepts', () => {
    fc.assert(
      fc.property(claudeLikeBody, modelArb, sessionHeaderArb, (raw, model, session) => {
        const outcome = translate(overTheWire(raw), model, { 'x-claude-code-session-id': session });
        if (outcome.kind === 'rejected-by-us') return;
        expect(outcome.rejection).toBeNull();
        expectSendableHeader(outcome.sessionHeader);
      }),
      { numRuns: 500 },
    );
  });

  it('arbitrary JSON: 400 from us, or a body the strict backend accepts', () => {
    fc.assert(
      fc.property(garbageBody, modelArb, (raw, model) => {
        const outcome = translate(raw, model, {});
        if (outcome.kind === 'sent') expect(outcome.rejection).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it('a broken image or PDF is refused upstream with a 400 that reaches the client as invalid_request_error', () => {
    fc.assert(
      fc.property(brokenAttachmentBody, modelArb, (raw, model) => {
        const outcome = translate(overTheWire(raw), model, {});
        expect(outcome.kind).toBe('sent');
        if (outcome.kind !== 'sent' || outcome.rejection === null) return;
        const failure = classifyHttp(
          outcome.rejection.status,
          JSON.stringify(outcome.rejection.body),
          undefined,
          Date.now(),
        ).failure;
        expect(failure).toMatchObject({ status: 400, errorType: 'invalid_request_error' });
      }),
      { numRuns: 100 },
    );
  });
});
