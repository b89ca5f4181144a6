import { Type, type TObject, type TProperties, type TSchema } from '@sinclair/typebox';
import { MONEY_PATTERN } from '../../domain/money';
import { ROLES } from '../../domain/roles';

// Every object the API accepts refuses unknown properties (SPEC §2).
export const Obj = <T extends TProperties>(properties: T, options: { description?: string; $id?: string } = {}): TObject<T> =>
  Type.Object(properties, { additionalProperties: false, ...options });

export const Money = (description?: string) => Type.String({ pattern: MONEY_PATTERN, description: description ?? 'decimal amount with two places, e.g. "123.24"', examples: ['123.24'] });
export const DateOnly = (description?: string) => Type.String({ format: 'date', description });
/** An instant for a query: PostgreSQL has no year 0 (ISO's 1 BC), so that one is refused rather than failing there. */
export const DateTime = (description?: string) => Type.String({ format: 'date-time', pattern: '^(?!0000)', description });
/** At least one character that is not white space: a name or a reason of blanks says nothing (SPEC §2). */
export const NOT_BLANK = '\\S';
/** Text a person writes (names, subjects, reasons, notes): never empty, never only white space. */
export const Text = (maxLength: number, description?: string) => Type.String({ minLength: 1, maxLength, pattern: NOT_BLANK, description });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** One of a fixed list of words, e.g. the states of a process. */
export const Literals = <T extends string>(values: readonly T[], description?: string) => Type.Union(values.map((v) => Type.Literal(v)), { description });
export const Role = Literals(ROLES);

export const Problem = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
}, { additionalProperties: true, $id: 'Problem' });

export const ListQuery = <T extends TProperties>(filters: T) => Obj({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'opaque; from the previous page' })),
  ...filters,
});

export const Page = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) });

/** The header of a POST that creates something: repeating a key returns the first response (SPEC §2). */
export const IdempotencyHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 255 })) });

export const IdParams = Obj({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/** Mutual assignability: a schema's static type and a TypeScript type describe one shape. */
export type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
