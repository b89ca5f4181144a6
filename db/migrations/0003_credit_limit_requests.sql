CREATE TABLE "customer_credit_limit_requests" (
	"id" serial PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL,
	"from_limit" numeric(14, 2) NOT NULL,
	"to_limit" numeric(14, 2) NOT NULL,
	"reason" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"requested_by" text NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"comment" text
);
--> statement-breakpoint
ALTER TABLE "customer_credit_limit_requests" ADD CONSTRAINT "customer_credit_limit_requests_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customer_credit_limit_requests_customer_idx" ON "customer_credit_limit_requests" USING btree ("customer_id","status");