import { Type } from '@sinclair/typebox';
import { ARTICLE_ACTION_NAMES, ARTICLE_STATUSES } from '../../domain/knowledge';
import { Literals, Nullable, Obj, Text } from './common';
import { Category } from './tickets';

export const ArticleStatus = Literals(ARTICLE_STATUSES);
const Tag = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$', description: 'a word, digits, `-` or `_`; e.g. `router`, `e-mail`' });
const Tags = Type.Array(Tag, { maxItems: 20, uniqueItems: true });
const Title = Text(200);
const Body = Text(50_000);

export const CreateArticle = Obj({ title: Title, body: Body, category: Category, tags: Type.Optional(Tags) });

export const UpdateArticle = Type.Object({
  version: Type.Integer({ minimum: 1, description: 'the version the change was made to; 409 when the article has a newer one' }),
  title: Type.Optional(Title), body: Type.Optional(Body), category: Type.Optional(Category), tags: Type.Optional(Tags),
}, { additionalProperties: false, minProperties: 2, description: 'the fields to change, at least one, and the version they were read at' });

export const Article = Type.Object({
  id: Type.String(), title: Type.String(), body: Type.String(), category: Category, tags: Type.Array(Type.String()), status: ArticleStatus,
  version: Type.Integer(), sourceTicketId: Nullable(Type.String()), createdBy: Type.String(), createdAt: Type.String(),
  updatedBy: Type.String(), updatedAt: Type.String(), publishedAt: Nullable(Type.String()),
  allowedActions: Type.Array(Literals(ARTICLE_ACTION_NAMES)),
});

export const ArticleSummary = Type.Object({
  id: Type.String(), title: Type.String(), category: Category, tags: Type.Array(Type.String()), status: ArticleStatus, version: Type.Integer(),
  updatedAt: Type.String(), excerpt: Type.String({ description: 'the first 280 characters of the body' }),
  rank: Nullable(Type.Number({ description: 'ts_rank of the match (title weighs most, then tags, then body); null without a query' })),
});

export const ArticleVersion = Type.Object({
  version: Type.Integer(), title: Type.String(), body: Type.String(), category: Category, tags: Type.Array(Type.String()), editedBy: Type.String(), at: Type.String(),
});

export const ArticleSearchQuery = Obj({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'opaque; from the previous page' })),
  q: Type.Optional(Text(500, 'words to find in title, tags and body; "a phrase", `or`, `-word` as in a web search')),
  category: Type.Optional(Category),
  tag: Type.Optional(Tag),
  status: Type.Optional(ArticleStatus),
});

export const SuggestionQuery = Obj({ text: Text(2000, "what the customer reports (the intake form's subject and description); any of its words may match") });

export const TicketIdParams = Obj({ ticketId: Type.String({ minLength: 1, maxLength: 64 }) });
