// Token counting for /v1/messages/count_tokens over exactly what we would send upstream, with the
// o200k_base encoding the Codex models use.
import type { CodexRequest, InputContentPart, InputItem } from '../../../shared/codex.js';

// The backend does not tell us how it prices images; this is the order of magnitude of a
// full-size image tile set, so compaction still sees images as expensive.
const IMAGE_TOKENS = 1_500;
// Role/separator overhead per item in the chat format.
const ITEM_OVERHEAD = 4;

// The o200k tables take ~1 s to load: only count_tokens needs them, so they load on first use
// instead of delaying every start.
type Counter = (text: string) => number;
let counter: Promise<Counter> | null = null;
function loadCounter(): Promise<Counter> {
  counter ??= import('gpt-tokenizer/encoding/o200k_base').then((m) => m.countTokens as Counter);
  return counter;
}

function partTokens(countTokens: Counter, part: InputContentPart): number {
  switch (part.type) {
    case 'input_text':
    case 'output_text':
      return countTokens(part.text);
    case 'input_image':
      return IMAGE_TOKENS;
    case 'input_file':
      // A PDF is sent as base64; the model sees extracted text, roughly one token per 3 bytes of text.
      return Math.ceil((part.file_data.length * 3) / 4 / 12);
  }
}

function itemTokens(countTokens: Counter, item: InputItem): number {
  switch (item.type) {
    case 'message':
      return item.content.reduce((n, p) => n + partTokens(countTokens, p), 0);
    case 'function_call':
      return countTokens(item.name) + countTokens(item.arguments);
    case 'function_call_output':
      return typeof item.output === 'string'
        ? countTokens(item.output)
        : item.output.reduce((n, p) => n + partTokens(countTokens, p), 0);
    case 'reasoning':
      // Encrypted reasoning is opaque; its visible summary is the best proxy for its size.
      return item.summary.reduce((n, s) => n + countTokens(s.text), 0);
    default:
      return countTokens(JSON.stringify(item));
  }
}

export async function countRequestTokens(body: CodexRequest): Promise<number> {
  const countTokens = await loadCounter();
  let total = countTokens(body.instructions);
  for (const item of body.input) total += itemTokens(countTokens, item) + ITEM_OVERHEAD;
  if (body.tools?.length) total += countTokens(JSON.stringify(body.tools));
  return total;
}
