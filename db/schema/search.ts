import { customType } from 'drizzle-orm/pg-core';

/** A PostgreSQL full-text document; written only through the helpers in db/search.ts. */
export const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
