import Ajv, { type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// Bodies are JSON and must carry the right types: "5" is not a quantity. Query strings and path
// parameters are text by nature and are coerced to the declared types.
function makeAjv(options: Options) {
  const ajv = new Ajv({ removeAdditional: false, useDefaults: true, allErrors: true, strict: false, ...options });
  addFormats(ajv);
  return ajv;
}

const strict = makeAjv({ coerceTypes: false });
const coercing = makeAjv({ coerceTypes: 'array' });

/** Where a NUL character hides in a value: PostgreSQL cannot store it in text, so it is refused up front. */
function nulPath(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '/' : null;
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const found = nulPath(inner, `${path}/${key}`);
      if (found) return found;
    }
  }
  return null;
}

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const validate = (httpPart === 'body' ? strict : coercing).compile(schema);
  const check = (data: unknown): boolean => {
    if (!validate(data)) {
      check.errors = validate.errors;
      return false;
    }
    const path = nulPath(data);
    check.errors = path ? [{ instancePath: path, keyword: 'nul', params: {}, schemaPath: '#', message: 'must not contain NUL characters' }] : null;
    return !path;
  };
  check.errors = null as typeof validate.errors;
  return check;
};
