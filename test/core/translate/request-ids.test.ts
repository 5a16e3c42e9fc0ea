import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { toUpstreamCallId } from '../../../main/core/translate/ids.js';
import { decodeSignature, encodeSignature } from '../../../main/core/translate/signature.js';

describe('signature', () => {
  it('round-trips encrypted reasoning', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 500 }),
        fc.stringMatching(/^[0-9a-f]{0,16}$/),
        (content, owner) => {
          expect(decodeSignature(encodeSignature(content, owner))).toEqual({ encrypted: content, owner });
        },
      ),
    );
  });

  it('has a recognisable prefix that base64 signatures cannot have', () => {
    expect(encodeSignature('gAAAAB', 'ab12')).toMatch(/^[a-z]+:v2:ab12:/);
  });

  it('binds the account tag: changing it breaks the checksum, and the old v1 form is dropped', () => {
    const ours = encodeSignature('gAAAAABencrypted', 'aaaa');
    expect(decodeSignature(ours.replace(':aaaa:', ':bbbb:'))).toBeNull();
    expect(decodeSignature('ccp:v1:0123456789ab:gAAAAABencrypted')).toBeNull();
  });

  it('rejects foreign, empty and damaged signatures', () => {
    const ours = encodeSignature('gAAAAABencrypted');
    expect(decodeSignature('EqQBCkYIBxgCIkB3Zm9yZWlnbg==')).toBeNull();
    expect(decodeSignature('')).toBeNull();
    expect(decodeSignature(ours.slice(0, -1))).toBeNull();
    expect(decodeSignature(`${ours}x`)).toBeNull();
    expect(decodeSignature(encodeSignature(''))).toBeNull();
  });
});

describe('toUpstreamCallId', () => {
  it('keeps legal ids unchanged', () => {
    for (const id of ['call_mwup9ride', 'toolu_01AbCdEf', 'fc-1', 'a'.repeat(64)])
      expect(toUpstreamCallId(id)).toBe(id);
  });

  it('gives other ids a stable legal form', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (id) => {
        const upstream = toUpstreamCallId(id);
        expect(upstream).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
        expect(toUpstreamCallId(id)).toBe(upstream);
      }),
    );
    expect(toUpstreamCallId('a'.repeat(65))).not.toBe(toUpstreamCallId('a'.repeat(66)));
    expect(toUpstreamCallId('id.1')).not.toBe(toUpstreamCallId('id:1'));
  });
});
