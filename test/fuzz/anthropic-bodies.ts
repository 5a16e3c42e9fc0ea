// fast-check arbitraries for Anthropic Messages request bodies: mostly shaped like what Claude
// Code sends (so the translator's deep paths run), bent in every direction a client or a proxy
// in front of us could bend them: odd roles, orphaned or duplicated tool ids, foreign and damaged
// thinking signatures, MCP-style tool names, junk schemas, unknown fields and non-object values.
import fc from 'fast-check';
import { encodeSignature } from '../../main/core/translate/signature.js';

type Json = Record<string, unknown>;

// Minimal byte prefixes the backend's image sniffing accepts, padded so the payload is non-trivial.
const IMAGE_BYTES: Record<string, number[]> = {
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13],
  'image/jpeg': [0xff, 0xd8, 0xff, 0xe0, 0, 16],
  'image/gif': [0x47, 0x49, 0x46, 0x38, 0x39, 0x61],
  'image/webp': [0x52, 0x49, 0x46, 0x46, 0x24, 0, 0, 0, 0x57, 0x45, 0x42, 0x50],
};

/** A base64 image the backend would decode and accept. */
export const validImageSource = fc
  .tuple(fc.constantFrom(...Object.keys(IMAGE_BYTES)), fc.uint8Array({ maxLength: 24 }))
  .map(([media_type, tail]) => ({
    type: 'base64',
    media_type,
    data: Buffer.concat([Buffer.from(IMAGE_BYTES[media_type]), Buffer.from(tail)]).toString('base64'),
  }));

/** Image sources whose bytes are wrong: the backend answers 400 for these, as Anthropic would. */
export const brokenImageSource = fc.oneof(
  fc.record({
    type: fc.constant('base64'),
    media_type: fc.constantFrom('image/png', 'image/bmp', 'text/plain', ''),
    data: fc.string({ minLength: 1, maxLength: 12 }),
  }),
  fc.record({
    type: fc.constant('url'),
    url: fc.constantFrom('ftp://example.com/a.png', 'not a url', 'file:///etc/passwd'),
  }),
);

const PDF = Buffer.from('%PDF-1.4\n%fuzz\n').toString('base64');

/** Short texts with the characters that break naive escaping: quotes, newlines, NUL, emoji, lone surrogates. */
const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12, unit: 'binary' }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', ' ', '\n', '"}]', '\u0000', '\ud83d', 'x-anthropic-billing-header: cc_version=1;'),
  },
);

/** Tool ids drawn from a small pool so that calls, results, duplicates and orphans meet by chance. */
const toolId = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom('toolu_01A', 'toolu_01B', 'call_abc', 'mcp:server/tool#1', 'x'.repeat(80), ''),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);

/** Tool names: Claude Code's, MCP-style ones with '.'/':', over-long, empty, unicode. */
const toolName = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.constantFrom(
      'Bash',
      'Read',
      'mcp__github__create_issue',
      'server.tool',
      'ns:tool',
      'a'.repeat(70),
      'DeferredToolPlaceholder',
      'Wérk',
      '',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);

/** Any JSON value, for fields whose content we are not supposed to care about. */
const junk = fc.jsonValue({ maxDepth: 2 });

/** Occasionally add fields no version of the API has. */
function withUnknownFields(arb: fc.Arbitrary<Json>): fc.Arbitrary<Json> {
  return fc
    .tuple(arb, fc.option(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), junk, { maxKeys: 2 }), { freq: 4 }))
    .map(([value, extra]) => (extra ? { ...extra, ...value } : value));
}

const signature = fc.oneof(
  fc.string({ minLength: 1, maxLength: 30 }).map(encodeSignature),
  // damaged in transit: one character changed
  fc
    .string({ minLength: 1, maxLength: 30 })
    .map((s) => encodeSignature(s).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))),
  fc.constant(encodeSignature('')),
  fc.base64String({ minLength: 4, maxLength: 40 }), // Anthropic's own
  text,
  junk,
);

const cacheControl = fc.option(fc.constant({ type: 'ephemeral' }), { freq: 3 });

const textBlock = fc.record(
  { type: fc.constant('text'), text: fc.oneof(text, junk), cache_control: cacheControl },
  { requiredKeys: ['type', 'text'] },
);

const imageBlock = fc.record({
  type: fc.constant('image'),
  source: fc.oneof(
    { weight: 4, arbitrary: validImageSource },
    { weight: 1, arbitrary: fc.constant({ type: 'url', url: 'https://example.com/cat.png' }) },
    { weight: 1, arbitrary: junk },
  ),
});

const documentBlock = fc.record(
  {
    type: fc.constant('document'),
    title: fc.oneof(text, junk),
    source: fc.oneof(
      fc.constant({ type: 'base64', media_type: 'application/pdf', data: PDF }),
      fc
        .string({ maxLength: 30 })
        .map((s) => ({ type: 'base64', media_type: 'text/plain', data: Buffer.from(s).toString('base64') })),
      fc.record({ type: fc.constant('text'), media_type: fc.constant('text/plain'), data: text }),
      fc.record({ type: fc.constant('content'), content: fc.oneof(text, fc.array(textBlock, { maxLength: 2 })) }),
      fc.record({ type: fc.constant('url'), url: fc.webUrl() }),
      junk,
    ),
  },
  { requiredKeys: ['type', 'source'] },
);

const toolUseBlock = fc.record({
  type: fc.constant('tool_use'),
  id: fc.oneof({ weight: 8, arbitrary: toolId }, { weight: 1, arbitrary: junk }),
  name: fc.oneof({ weight: 8, arbitrary: toolName }, { weight: 1, arbitrary: junk }),
  input: fc.oneof(
    fc.dictionary(fc.string({ maxLength: 6 }), junk, { maxKeys: 3 }),
    fc.record({
      __unparsedToolInput: fc.record({ raw: fc.oneof(fc.constant('{"a":1}'), fc.constant('{"a":'), text) }),
    }),
    junk,
  ),
});

const toolResultBlock = fc.record(
  {
    type: fc.constant('tool_result'),
    tool_use_id: fc.oneof({ weight: 8, arbitrary: toolId }, { weight: 1, arbitrary: junk }),
    content: fc.oneof(
      text,
      fc.array(
        fc.oneof(
          textBlock,
          imageBlock,
          documentBlock,
          fc.record({ type: fc.constant('tool_reference'), tool_name: toolName }),
          junk,
        ),
        { maxLength: 3 },
      ),
      junk,
    ),
    is_error: fc.oneof(fc.boolean(), junk),
  },
  { requiredKeys: ['type', 'tool_use_id'] },
);

const thinkingBlock = fc.record({ type: fc.constant('thinking'), thinking: fc.oneof(text, junk), signature });

const redactedThinking = fc.record({ type: fc.constant('redacted_thinking'), data: fc.oneof(text, junk) });

const serverToolUse = fc.record({
  type: fc.constant('server_tool_use'),
  id: fc.constantFrom('srvtoolu_1', 'srvtoolu_2'),
  name: fc.constant('web_search'),
  input: fc.oneof(fc.record({ query: text }), junk),
});

const webSearchResult = fc.record({
  type: fc.constant('web_search_tool_result'),
  tool_use_id: fc.constantFrom('srvtoolu_1', 'srvtoolu_2', 'srvtoolu_gone'),
  content: fc.oneof(
    fc.array(
      fc.record({
        type: fc.constant('web_search_result'),
        url: fc.oneof(fc.webUrl(), junk),
        title: fc.oneof(text, junk),
      }),
      { maxLength: 3 },
    ),
    fc.record({ type: fc.constant('web_search_tool_result_error'), error_code: fc.oneof(text, junk) }),
    junk,
  ),
});

const unknownBlock = fc.record({
  type: fc.oneof(fc.constantFrom('container_upload', 'mcp_tool_use', 'search_result'), text),
  payload: junk,
});

const block = withUnknownFields(
  fc.oneof(
    { weight: 4, arbitrary: textBlock },
    { weight: 1, arbitrary: imageBlock },
    { weight: 1, arbitrary: documentBlock },
    { weight: 3, arbitrary: toolUseBlock },
    { weight: 3, arbitrary: toolResultBlock },
    { weight: 2, arbitrary: thinkingBlock },
    { weight: 1, arbitrary: redactedThinking },
    { weight: 1, arbitrary: serverToolUse },
    { weight: 1, arbitrary: webSearchResult },
    { weight: 1, arbitrary: unknownBlock },
  ) as fc.Arbitrary<Json>,
);

const role = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('user', 'assistant', 'system') },
  { weight: 1, arbitrary: fc.oneof(text, junk) },
);

const message = fc.record({
  role,
  content: fc.oneof(
    { weight: 1, arbitrary: text },
    {
      weight: 5,
      arbitrary: fc.array(fc.oneof({ weight: 12, arbitrary: block }, { weight: 1, arbitrary: junk }), { maxLength: 5 }),
    },
    { weight: 1, arbitrary: junk },
  ),
});

const schema = fc.oneof(
  fc.constant({ type: 'object', properties: { command: { type: 'string' } }, required: ['command'] }),
  fc.constant({
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: { cache_control: { type: 'string', cache_control: { type: 'ephemeral' } } },
    additionalProperties: false,
  }),
  fc.constant({ type: 'string' }),
  fc.constant({ anyOf: [{ type: 'object' }, { type: 'null' }], $defs: { a: { $schema: 'x' } } }),
  junk,
);

const customTool = withUnknownFields(
  fc.record(
    {
      name: fc.oneof({ weight: 8, arbitrary: toolName }, { weight: 1, arbitrary: junk }),
      description: fc.oneof(text, junk),
      input_schema: schema,
      cache_control: cacheControl,
      defer_loading: fc.boolean(),
      type: fc.constantFrom('custom', undefined),
    },
    { requiredKeys: ['name', 'input_schema'] },
  ),
);

const serverTool = fc.record(
  {
    type: fc.constantFrom(
      'web_search_20250305',
      'web_search_20260209',
      'bash_20250124',
      'text_editor_20250728',
      'code_execution_20250825',
    ),
    name: fc.constantFrom('web_search', 'bash', 'str_replace_based_edit_tool', 'code_execution'),
    max_uses: fc.nat(10),
    allowed_domains: fc.oneof(fc.array(fc.domain(), { maxLength: 2 }), junk),
    user_location: fc.oneof(fc.constant({ type: 'approximate', city: 'Berlin' }), junk),
  },
  { requiredKeys: ['type', 'name'] },
);

const toolChoice = fc.oneof(
  fc.constantFrom(
    { type: 'auto' },
    { type: 'any' },
    { type: 'none' },
    { type: 'auto', disable_parallel_tool_use: true },
  ),
  fc.record({ type: fc.constant('tool'), name: fc.oneof(toolName, fc.constant('web_search'), junk) }),
  junk,
);

const thinking = fc.oneof(
  fc.constant({ type: 'adaptive' }),
  fc.record({ type: fc.constant('adaptive'), display: fc.constantFrom('omitted', 'summarized', 'updates') }),
  fc.record({ type: fc.constant('enabled'), budget_tokens: fc.oneof(fc.integer({ min: -10, max: 100_000 }), junk) }),
  fc.constant({ type: 'disabled' }),
  junk,
);

const outputConfig = fc.oneof(
  fc.record({ effort: fc.oneof(fc.constantFrom('low', 'medium', 'high', 'xhigh', 'max', 'ultra', 'none'), junk) }),
  junk,
);

const userId = fc.oneof(
  fc.uuid().map((session_id) => JSON.stringify({ device_id: 'd', account_uuid: '', session_id })),
  fc.uuid().map((id) => `user_abc_account__session_${id}`),
  text.map((session_id) => JSON.stringify({ session_id })),
  text,
);

const system = fc.oneof(text, fc.array(fc.oneof(textBlock, junk), { maxLength: 3 }), junk);

/** Bodies shaped like Claude Code's, with every part free to go wrong. */
export const claudeLikeBody: fc.Arbitrary<Json> = withUnknownFields(
  fc.record(
    {
      model: fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom('claude-opus-5-5', 'claude-sonnet-5-5', 'claude-haiku-5-5') },
        { weight: 1, arbitrary: fc.oneof(text, junk) },
      ),
      messages: fc.oneof(
        { weight: 12, arbitrary: fc.array(message, { minLength: 1, maxLength: 6 }) },
        { weight: 1, arbitrary: junk },
      ),
      system,
      max_tokens: fc.oneof(fc.integer({ min: 1, max: 128_000 }), junk),
      stream: fc.boolean(),
      tools: fc.oneof(
        {
          weight: 6,
          arbitrary: fc.array(
            fc.oneof(
              { weight: 4, arbitrary: customTool },
              { weight: 1, arbitrary: serverTool },
              { weight: 1, arbitrary: junk },
            ),
            { maxLength: 4 },
          ),
        },
        { weight: 1, arbitrary: junk },
      ),
      tool_choice: toolChoice,
      thinking,
      output_config: outputConfig,
      metadata: fc.oneof(fc.record({ user_id: userId }), junk),
      temperature: fc.double({ min: 0, max: 1, noNaN: true }),
      stop_sequences: fc.array(text, { maxLength: 2 }),
      context_management: junk,
    },
    { requiredKeys: ['model', 'messages'] },
  ),
);

/** Anything at all that JSON can carry. */
export const garbageBody = fc.jsonValue({ maxDepth: 4 });

/** A body whose only defect is one image or PDF with bytes the backend refuses. */
export const brokenAttachmentBody = fc
  .oneof(
    brokenImageSource.map((source) => ({ type: 'image', source })),
    fc.string({ minLength: 1, maxLength: 8 }).map((data) => ({
      type: 'document',
      source: { type: 'base64', media_type: 'application/pdf', data: `${data}!` },
    })),
  )
  .map((attachment) => ({
    model: 'claude-sonnet-5-5',
    max_tokens: 1024,
    messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, attachment] }],
  }));

/** JSON round trip: what the server actually receives (no undefined, no -0). */
export function overTheWire<T>(value: T): unknown {
  const json = JSON.stringify(value);
  return json === undefined ? undefined : JSON.parse(json);
}
