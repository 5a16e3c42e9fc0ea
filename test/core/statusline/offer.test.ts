import { describe, expect, it } from 'vitest';
import { statusLineOffer } from '../../../main/core/statusline/offer.js';

describe('statusLineOffer', () => {
  it('offers ours where there is none, yes by default', () => {
    const offer = statusLineOffer('none')!;
    expect(offer.question).toMatch(/\[Y\/n\] $/);
    expect(['', 'y', 'Yes', ' Y '].map((a) => offer.choiceFor(a))).toEqual(['auto', 'auto', 'auto', 'auto']);
    expect(['n', 'no', 'nope'].map((a) => offer.choiceFor(a))).toEqual(['skip', 'skip', 'skip']);
  });

  it("replaces the user's own only on an explicit yes", () => {
    const offer = statusLineOffer('own')!;
    expect(offer.question).toMatch(/\[y\/N\] $/);
    expect(['', 'n', 'whatever'].map((a) => offer.choiceFor(a))).toEqual(['auto', 'auto', 'auto']);
    expect(['y', 'YES'].map((a) => offer.choiceFor(a))).toEqual(['install', 'install']);
  });

  it('asks nothing when ours is installed already', () => {
    expect(statusLineOffer('proxy')).toBeNull();
  });
});
