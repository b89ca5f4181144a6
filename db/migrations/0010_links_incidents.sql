CREATE SEQUENCE "public"."incident_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" text PRIMARY KEY NOT NULL,
	"workflow_id" text NOT NULL,
	"summary" text NOT NULL,
	"category" text,
	"region" text,
	"status" text NOT NULL,
	"ticket_ids" text[] NOT NULL,
	"resolution" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"last_seq" integer NOT NULL,
	CONSTRAINT "incidents_workflow_id_unique" UNIQUE("workflow_id")
);
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "entitlement" jsonb;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "related_type" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "related_id" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "incident_id" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "merged_into" text;--> statement-breakpoint
CREATE INDEX "incidents_status_idx" ON "incidents" USING btree ("status","created_at","id");--> statement-breakpoint
CREATE INDEX "incidents_created_idx" ON "incidents" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "tickets_related_idx" ON "tickets" USING btree ("related_type","related_id") WHERE "tickets"."related_id" is not null;--> statement-breakpoint
CREATE INDEX "tickets_incident_idx" ON "tickets" USING btree ("incident_id","created_at","id") WHERE "tickets"."incident_id" is not null;