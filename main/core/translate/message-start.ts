// The opening event of every Anthropic stream we produce, whatever the upstream lane.
import type { StreamEvent, Usage } from '../../../shared/anthropic.js';

export function messageStart(id: string, model: string, usage: Usage): StreamEvent {
  return {
    type: 'message_start',
    message: {
      id,
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage,
    },
  };
}
