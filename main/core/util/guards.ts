// Type guards for data we do not control: client request bodies and upstream events are parsed
// JSON whose shape the declared types only describe, never guarantee. Reading through these
// turns a malformed field into "absent" instead of a TypeError (which would surface as a 500 or
// a broken stream).

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** The value trimmed if it is a string with something in it, else undefined. */
export function trimmedString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** The value if it is a string, else undefined. */
export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The value if it is a finite number, else undefined. */
export function finiteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The object entries of a list; anything that is not a list has none. */
export function recordsIn(value: unknown): Array<Record<string, unknown>> {
  return Array.isArray(value) ? (value as unknown[]).filter(isRecord) : [];
}
