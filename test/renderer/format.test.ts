// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { formatAgo, formatCount, formatCountdown, formatDuration, formatTokensShort, secondsUntil, toMs } from '../../renderer/src/lib/format.js';
import { NOW, NOW_S } from './support/fixtures.js';

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [-5, '0s'],
    [45, '45s'],
    [60, '1m 00s'],
    [12 * 60 + 5, '12m 05s'],
    [3 * 3600 + 7 * 60 + 59, '3h 07m'],
    [86_400, '1d 00h'],
    [2 * 86_400 + 4 * 3600 + 30, '2d 04h'],
    [59.9, '59s'],
  ])('%s s → %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('countdowns', () => {
  it('counts down to an epoch-seconds instant', () => {
    expect(secondsUntil(NOW_S + 90, NOW)).toBe(90);
    expect(formatCountdown(NOW_S + 750, NOW)).toBe('12m 30s');
    expect(formatCountdown(NOW_S - 10, NOW)).toBe('0s');
    expect(formatCountdown(null, NOW)).toBeNull();
  });

  it('rounds partial seconds down so a countdown never shows more time than is left', () => {
    expect(secondsUntil(NOW_S + 10, NOW + 400)).toBe(9);
  });

  it('says how long ago something happened, in seconds or milliseconds', () => {
    expect(formatAgo(NOW - 12_000, NOW)).toBe('12s ago');
    expect(formatAgo(NOW_S - 3 * 3600, NOW)).toBe('3h 00m ago');
    expect(formatAgo(NOW, NOW)).toBe('just now');
  });
});

describe('number formatting', () => {
  it('normalises epochs given in seconds or milliseconds', () => {
    expect(toMs(NOW_S)).toBe(NOW);
    expect(toMs(NOW)).toBe(NOW);
  });

  it('formats counts and context windows', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(null)).toBe('—');
    expect(formatCount(undefined)).toBe('—');
    expect(formatTokensShort(400_000)).toBe('400k');
    expect(formatTokensShort(1_000_000)).toBe('1M');
    expect(formatTokensShort(1_050_000)).toBe('1.1M');
    expect(formatTokensShort(512)).toBe('512');
  });
});
