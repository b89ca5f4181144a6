import fc from 'fast-check';

/** The subset of JSON Schema the API's TypeBox schemas use, as @fastify/swagger publishes them. */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
}

/** What attackers and careless clients send: injections, scripts, odd unicode, money and dates that cannot be. */
const NASTY_STRINGS = [
  "' OR '1'='1", "'; drop table customers; --", '1; select pg_sleep(10)', '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>',
  '${7*7}', '{{constructor.constructor("return process")()}}', '../../../../etc/passwd', '%00', '\u0000', '\ud800', '\u202e', 'Ω≈ç√∫', '👩‍👩‍👧‍👦🧨',
  'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǵ̜̲͕o̝', '', ' ', '-0.01', '-1.00', '0.001', '1e309', '99999999999999999999.99', 'NaN', 'Infinity', '12,50',
  '2026-02-30', '2026-13-01', '0000-00-00', '+275760-09-13', '2026-01-01T25:61:61Z', 'null', 'true', '[]', '{}', '__proto__', 'constructor',
];
const NASTY_NUMBERS = [-1, -0.01, 0, 0.1, 1e21, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_VALUE, 2 ** 31, -(2 ** 63)];

const hugeString = fc.integer({ min: 10_000, max: 300_000 }).map((n) => 'A'.repeat(n));
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.constantFrom(...NASTY_NUMBERS),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  hugeString,
  fc.array(fc.integer(), { minLength: 1000, maxLength: 5000 }),
  fc.constantFrom(null, true, false, [], {}, [[[[[]]]]]),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Valid-looking values for a schema; with `hostile`, any node may instead be hostile, lose a required key or gain an unknown one. */
export function valueFor(schema: JsonSchema, hostile: boolean): fc.Arbitrary<unknown> {
  const valid = validValue(schema, hostile);
  return hostile ? fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: hostileValue }) : valid;
}

function validValue(schema: JsonSchema, hostile: boolean): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return fc.oneof(...variants.map((s) => valueFor(s, hostile)));
  if (schema.allOf) return valueFor(Object.assign({}, ...schema.allOf) as JsonSchema, hostile);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': return stringFor(schema);
    case 'integer': return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
    case 'number': return fc.double({ min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9, noNaN: true });
    case 'boolean': return fc.boolean();
    case 'null': return fc.constant(null);
    case 'array': return fc.array(valueFor(schema.items ?? {}, hostile), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) });
    case 'object': return objectFor(schema, hostile);
    default: return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  const cut = (s: string) => s.slice(0, schema.maxLength ?? s.length);
  switch (schema.format) {
    case 'date': return fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case 'date-time': return fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'email': return fc.emailAddress().map(cut);
  }
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).map(cut);
  return fc.string({ unit: 'grapheme', minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 30, 30) });
}

function objectFor(schema: JsonSchema, hostile: boolean): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const model = Object.fromEntries(Object.entries(properties).map(([key, s]) => [key, valueFor(s, hostile)]));
  const record = fc.record(model, { requiredKeys: schema.required ?? [] }) as fc.Arbitrary<Record<string, unknown>>;
  const free = typeof schema.additionalProperties === 'object'
    ? fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), valueFor(schema.additionalProperties, hostile), { maxKeys: 3 })
    : null;
  const valid = free && Object.keys(properties).length === 0 ? free : record;
  if (!hostile) return valid;
  return fc.oneof(
    { weight: 6, arbitrary: valid },
    // A required field missing.
    { weight: 1, arbitrary: fc.tuple(valid, fc.constantFrom(...(schema.required?.length ? schema.required : ['-']))).map(([value, key]) => omit(value, key)) },
    // A field nobody declared.
    { weight: 1, arbitrary: fc.tuple(valid, fc.constantFrom('isAdmin', 'id', 'status', '__proto__', 'roles', 'x'), hostileValue).map(([value, key, extra]) => ({ ...value, [key]: extra })) },
  );
}

function omit(value: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _dropped, ...rest } = value;
  return rest;
}
