CREATE SEQUENCE "public"."article_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 999999 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "article_versions" (
	"article_id" text NOT NULL,
	"version" integer NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"category" text NOT NULL,
	"tags" text[] NOT NULL,
	"edited_by" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "article_versions_article_id_version_pk" PRIMARY KEY("article_id","version")
);
--> statement-breakpoint
CREATE TABLE "articles" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"category" text NOT NULL,
	"tags" text[] NOT NULL,
	"status" text NOT NULL,
	"version" integer NOT NULL,
	"source_ticket_id" text,
	"search" "tsvector" NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "ticket_article_citations" (
	"ticket_id" text NOT NULL,
	"seq" integer NOT NULL,
	"article_id" text NOT NULL,
	"tier" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "ticket_article_citations_ticket_id_seq_article_id_pk" PRIMARY KEY("ticket_id","seq","article_id")
);
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "search" "tsvector" DEFAULT ''::tsvector NOT NULL;--> statement-breakpoint
-- Tickets recorded before full-text search: the same document db/search.ts writes (subject A, description B, notes C).
UPDATE "tickets" t SET "search" = setweight(to_tsvector('english', t."subject"), 'A') || setweight(to_tsvector('english', t."description"), 'B')
  || coalesce((SELECT setweight(to_tsvector('english', string_agg(e."note", ' ' ORDER BY e."seq")), 'C') FROM "ticket_events" e
               WHERE e."ticket_id" = t."id" AND e."action" <> 'open' AND e."note" IS NOT NULL), ''::tsvector);--> statement-breakpoint
ALTER TABLE "article_versions" ADD CONSTRAINT "article_versions_article_id_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."articles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "articles" ADD CONSTRAINT "articles_source_ticket_id_tickets_id_fk" FOREIGN KEY ("source_ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_article_citations" ADD CONSTRAINT "ticket_article_citations_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_article_citations" ADD CONSTRAINT "ticket_article_citations_article_id_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."articles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "articles_search_idx" ON "articles" USING gin ("search");--> statement-breakpoint
CREATE INDEX "articles_tags_idx" ON "articles" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "articles_status_category_idx" ON "articles" USING btree ("status","category","updated_at");--> statement-breakpoint
CREATE INDEX "ticket_article_citations_article_idx" ON "ticket_article_citations" USING btree ("article_id","at");--> statement-breakpoint
CREATE INDEX "ticket_article_citations_at_idx" ON "ticket_article_citations" USING btree ("at");--> statement-breakpoint
CREATE INDEX "tickets_search_idx" ON "tickets" USING gin ("search");