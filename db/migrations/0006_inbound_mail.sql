CREATE TABLE "inbound_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"message_id" text NOT NULL,
	"from_address" text NOT NULL,
	"from_name" text,
	"to_addresses" text[] NOT NULL,
	"subject" text NOT NULL,
	"refers_to" text[] NOT NULL,
	"headers" jsonb NOT NULL,
	"text" text NOT NULL,
	"raw" "bytea" NOT NULL,
	"size" integer NOT NULL,
	"status" text DEFAULT 'received' NOT NULL,
	"reason" text,
	"customer_id" text,
	"ticket_id" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	"processed_by" text,
	CONSTRAINT "inbound_messages_message_id_unique" UNIQUE("message_id")
);
--> statement-breakpoint
CREATE INDEX "inbound_messages_status_idx" ON "inbound_messages" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "inbound_messages_waiting_idx" ON "inbound_messages" USING btree ("received_at") WHERE "inbound_messages"."status" = 'received';