export { createLogBus, DEFAULT_RING_SIZE, type LogBus, type LogBusOptions } from './bus.js';
export type { DailyStats } from './daily-stats.js';
export { formatEntryLine } from './entry.js';
export { redactSecrets, scrubSecretText } from './redact.js';
