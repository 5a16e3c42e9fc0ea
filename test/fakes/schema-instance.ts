// A JSON value that satisfies a (simple) JSON schema: how the fake backend answers a request whose
// `text.format` asks for structured output, as the real model's constrained decoding would.
type Schema = Record<string, unknown>;

const isObj = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

export function instanceOf(schema: unknown, depth = 0): unknown {
  if (!isObj(schema) || depth > 20) return null;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  if ('const' in schema) return schema.const;
  const variants = (schema.anyOf ?? schema.oneOf) as unknown;
  if (Array.isArray(variants) && variants.length) return instanceOf(variants[0], depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const props = isObj(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : Object.keys(props);
      return Object.fromEntries(required.map((k) => [k, instanceOf(props[k], depth + 1)]));
    }
    case 'array':
      return typeof schema.minItems === 'number' && schema.minItems > 0
        ? Array.from({ length: schema.minItems }, () => instanceOf(schema.items, depth + 1))
        : [];
    case 'boolean':
      return true;
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 0;
    case 'string':
      return 'ok';
    case 'null':
      return null;
    default:
      return isObj(schema.properties) ? instanceOf({ ...schema, type: 'object' }, depth) : null;
  }
}
