// Picks the lane for a request: the optional OpenRouter lane for haiku-family requests (falling
// back to Codex when it fails before the first byte), otherwise the Codex lane.
import type { Logger } from 'pino';
import type { MessagesCall, MessagesResult, MessagesService } from './types.js';
import { isFailure, type ModelRouter } from './model-routing.js';
import type { CodexLane } from './codex-lane.js';
import { RequestError } from '../translate/request-error.js';

export interface AlternateLane {
  send(call: MessagesCall): Promise<MessagesResult>;
}

export function createMessagesService(opts: {
  router: ModelRouter;
  codex: CodexLane;
  /** The OpenRouter lane when enabled and configured, else null. */
  haikuLane?: () => Promise<AlternateLane | null>;
  log: Logger;
}): MessagesService {
  return {
    async send(call: MessagesCall): Promise<MessagesResult> {
      const routed = opts.router.route(call.request.model);
      if (isFailure(routed)) return { ok: false, failure: routed };
      try {
        if (routed.lane === 'haiku' && opts.haikuLane) {
          const lane = await opts.haikuLane();
          if (lane) {
            const result = await lane.send(call);
            if (result.ok || call.signal.aborted) return result;
            opts.log.warn({ reason: result.failure.message }, 'OpenRouter lane failed; falling back to the Codex lane');
          }
        }
        return await opts.codex.send(call, routed);
      } catch (err) {
        // A request the lane refused to translate is a failed call like any other (the front end
        // logs it and answers it), not an exception.
        if (err instanceof RequestError) return { ok: false, failure: err.toFailure() };
        throw err;
      }
    },
  };
}
