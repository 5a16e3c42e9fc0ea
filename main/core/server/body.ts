// Reads a JSON request body with a size limit and turns every way it can go wrong into a 4xx a
// person can act on (never a stack trace). Compressed bodies (Content-Encoding) are decompressed
// on the way in, and the limit counts what they decompress to, so a zip bomb is a 413.
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import zlib from 'node:zlib';
import type { Transform } from 'node:stream';
import { ClientError } from '../util/client-error.js';
import { jsonNestingExceeds, MAX_JSON_DEPTH } from '../translate/json-depth.js';

export const MESSAGES_BODY_LIMIT = 32 * 1024 * 1024; // Anthropic's own request size limit

type Decoder = () => Transform;

// zstd arrived in Node 22.15/23.8; Node 20 (the CLI's minimum) lacks it.
const zstd = (zlib as { createZstdDecompress?: Decoder }).createZstdDecompress;

const DECODERS = new Map<string, Decoder>([
  ['gzip', () => zlib.createGunzip()],
  ['x-gzip', () => zlib.createGunzip()],
  ['deflate', () => zlib.createInflate()],
  ['br', () => zlib.createBrotliDecompress()],
  ...(zstd ? [['zstd', zstd] as const] : []),
]);

/** `32 MB`, `64 KB`, `100 bytes`. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / 1024 / 1024} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

/** The decoders for Content-Encoding, in the order to apply them (the header lists them as applied). */
function decodersFor(header: string): Array<{ name: string; decoder: Decoder }> {
  const names = header
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '' && name !== 'identity');
  return names.reverse().map((name) => {
    const decoder = DECODERS.get(name);
    if (decoder) return { name, decoder };
    const supported = [...DECODERS.keys()].filter((n) => !n.startsWith('x-'));
    const why = name === 'zstd' ? ' (this Node.js has no zstd decompressor)' : '';
    throw new ClientError(
      'invalid_request_error',
      `Content-Encoding "${name}" is not supported${why}; send the body uncompressed or as ${supported.join(', ')}.`,
      { status: 415 },
    );
  });
}

function tooLarge(limit: number): ClientError {
  return new ClientError('request_too_large', `Request body is larger than the ${formatSize(limit)} limit.`);
}

async function readPlain(ctx: Context, limit: number): Promise<string> {
  try {
    return await getRawBody(ctx.req, { limit, encoding: 'utf8', length: ctx.get('content-length') || undefined });
  } catch (err) {
    const e = err as { type?: string };
    if (e.type === 'entity.too.large') throw tooLarge(limit);
    if (e.type === 'encoding.unsupported')
      throw new ClientError('invalid_request_error', 'Unsupported content encoding.');
    throw new ClientError('invalid_request_error', 'Could not read the request body (the connection ended early).');
  }
}

async function readDecoded(
  ctx: Context,
  limit: number,
  chain: Array<{ name: string; decoder: Decoder }>,
): Promise<string> {
  const streams = chain.map((c) => c.decoder());
  const last = streams[streams.length - 1];
  // pipe() forwards no errors: whatever fails first ends the last stream, which raw-body reads.
  let failure: { decoder: string; message: string } | 'aborted' | undefined;
  streams.forEach((stream, i) =>
    stream.on('error', (err: Error) => {
      failure ??= { decoder: chain[i].name, message: err.message };
      if (stream !== last) last.destroy(err);
    }),
  );
  const onClose = (): void => {
    if (ctx.req.complete) return;
    failure ??= 'aborted';
    last.destroy(new Error('aborted'));
  };
  ctx.req.once('close', onClose);
  let tail: NodeJS.ReadableStream = ctx.req;
  for (const stream of streams) tail = tail.pipe(stream);
  try {
    return await getRawBody(last, { limit, encoding: 'utf8' });
  } catch (err) {
    if ((err as { type?: string }).type === 'entity.too.large') throw tooLarge(limit);
    if (failure && failure !== 'aborted')
      throw new ClientError(
        'invalid_request_error',
        `Request body could not be decompressed (${failure.decoder}): ${failure.message}`,
      );
    throw new ClientError('invalid_request_error', 'Could not read the request body (the connection ended early).');
  } finally {
    ctx.req.off('close', onClose);
    // What is left of a refused body is drained, not decompressed (the request timeout bounds it),
    // so the answer still reaches the client.
    ctx.req.unpipe();
    for (const stream of streams) stream.destroy();
    ctx.req.resume();
  }
}

export async function readJsonBody(ctx: Context, limit = MESSAGES_BODY_LIMIT): Promise<unknown> {
  const chain = decodersFor(ctx.get('content-encoding'));
  const text = chain.length ? await readDecoded(ctx, limit, chain) : await readPlain(ctx, limit);
  if (!text.trim()) throw new ClientError('invalid_request_error', 'Request body is empty; send a JSON object.');
  if (jsonNestingExceeds(text, MAX_JSON_DEPTH))
    throw new ClientError('invalid_request_error', `Request body is nested deeper than ${MAX_JSON_DEPTH} levels.`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ClientError('invalid_request_error', `Request body is not valid JSON: ${(err as Error).message}`);
  }
}
