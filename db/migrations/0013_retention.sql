CREATE TABLE "contract_retention_cases" (
	"contract_id" text NOT NULL,
	"case" integer NOT NULL,
	"status" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"requested_by" text NOT NULL,
	"reason" text NOT NULL,
	"offer" jsonb,
	"decided_at" timestamp with time zone,
	CONSTRAINT "contract_retention_cases_contract_id_case_pk" PRIMARY KEY("contract_id","case")
);
--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "late_fee_rate_per_day" numeric(10, 6) DEFAULT '0.003' NOT NULL;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "late_fee_max_days" integer DEFAULT 90 NOT NULL;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "late_fee_cap" numeric(14, 2) DEFAULT '3000.00' NOT NULL;--> statement-breakpoint
ALTER TABLE "contract_retention_cases" ADD CONSTRAINT "contract_retention_cases_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contract_retention_cases_requested_idx" ON "contract_retention_cases" USING btree ("requested_at");--> statement-breakpoint
-- Invoices issued before this migration keep the late-fee settings in force now (the SPEC defaults unless changed).
UPDATE "invoices" SET
	"late_fee_rate_per_day" = coalesce((SELECT ("value" #>> '{}')::numeric FROM "settings" WHERE "key" = 'invoice.lateFeeRatePerDay'), "late_fee_rate_per_day"),
	"late_fee_max_days" = coalesce((SELECT ("value" #>> '{}')::integer FROM "settings" WHERE "key" = 'invoice.lateFeeMaxDays'), "late_fee_max_days"),
	"late_fee_cap" = coalesce((SELECT ("value" #>> '{}')::numeric FROM "settings" WHERE "key" = 'invoice.lateFeeCap'), "late_fee_cap");
