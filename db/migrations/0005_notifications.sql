CREATE SEQUENCE "public"."webhook_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 999999 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "notification_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"notification_id" bigint NOT NULL,
	"channel" text NOT NULL,
	"address" text NOT NULL,
	"user_id" text,
	"language" text,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"last_response_code" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "notification_preferences" (
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"channel" text NOT NULL,
	"enabled" boolean NOT NULL,
	CONSTRAINT "notification_preferences_user_id_kind_channel_pk" PRIMARY KEY("user_id","kind","channel")
);
--> statement-breakpoint
CREATE TABLE "webhook_subscriptions" (
	"id" text PRIMARY KEY DEFAULT 'WH-' || lpad(nextval('webhook_seq')::text, 6, '0') NOT NULL,
	"url" text NOT NULL,
	"kinds" text[] NOT NULL,
	"secret" text NOT NULL,
	"description" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
DROP INDEX "notification_outbox_unsent_idx";--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "active" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "language" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "language" text;--> statement-breakpoint
ALTER TABLE "notification_outbox" ADD COLUMN "kind" text;--> statement-breakpoint
ALTER TABLE "notification_outbox" ADD COLUMN "audience" jsonb;--> statement-breakpoint
ALTER TABLE "notification_outbox" ADD COLUMN "data" jsonb;--> statement-breakpoint
-- Rows written before notification kinds keep their words as a ready-worded notice; they were never
-- promised a delivery, so none is planned for them.
UPDATE "notification_outbox" SET "kind" = 'notice',
  "audience" = jsonb_build_array(CASE
    WHEN "channel" = 'customer' THEN 'customer:' || "recipient"
    WHEN "recipient" LIKE 'queue:%' THEN 'tier:' || substr("recipient", 7)
    WHEN "recipient" LIKE 'U-%' THEN 'user:' || "recipient"
    ELSE 'role:' || "recipient" END),
  "data" = jsonb_build_object('number', "resource_id", 'subject', "subject", 'body', "body");--> statement-breakpoint
ALTER TABLE "notification_outbox" ALTER COLUMN "kind" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "notification_outbox" ALTER COLUMN "audience" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "notification_outbox" ALTER COLUMN "data" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_notification_id_notification_outbox_id_fk" FOREIGN KEY ("notification_id") REFERENCES "public"."notification_outbox"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "notification_deliveries_once_idx" ON "notification_deliveries" USING btree ("notification_id","channel","address");--> statement-breakpoint
CREATE INDEX "notification_deliveries_inbox_idx" ON "notification_deliveries" USING btree ("user_id","id") WHERE "notification_deliveries"."channel" = 'inbox';--> statement-breakpoint
CREATE INDEX "notification_deliveries_unread_idx" ON "notification_deliveries" USING btree ("user_id") WHERE "notification_deliveries"."channel" = 'inbox' and "notification_deliveries"."read_at" is null;--> statement-breakpoint
CREATE INDEX "notification_deliveries_webhook_idx" ON "notification_deliveries" USING btree ("address","id") WHERE "notification_deliveries"."channel" = 'webhook';--> statement-breakpoint
CREATE INDEX "notification_deliveries_failed_idx" ON "notification_deliveries" USING btree ("failed_at") WHERE "notification_deliveries"."status" = 'failed';--> statement-breakpoint
ALTER TABLE "notification_outbox" DROP COLUMN "channel";--> statement-breakpoint
ALTER TABLE "notification_outbox" DROP COLUMN "recipient";--> statement-breakpoint
ALTER TABLE "notification_outbox" DROP COLUMN "subject";--> statement-breakpoint
ALTER TABLE "notification_outbox" DROP COLUMN "body";--> statement-breakpoint
ALTER TABLE "notification_outbox" DROP COLUMN "sent_at";