CREATE TABLE "credit_applications" (
	"credit_note_id" text NOT NULL,
	"invoice_id" text NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"applied_on" date NOT NULL,
	CONSTRAINT "credit_applications_credit_note_id_invoice_id_pk" PRIMARY KEY("credit_note_id","invoice_id"),
	CONSTRAINT "credit_applications_amount_positive" CHECK ("credit_applications"."amount" > 0)
);
--> statement-breakpoint
ALTER TABLE "credit_notes" DROP CONSTRAINT "credit_notes_settled";--> statement-breakpoint
ALTER TABLE "credit_notes" ADD COLUMN "applied_later" numeric(14, 2) DEFAULT '0.00' NOT NULL;--> statement-breakpoint
ALTER TABLE "credit_applications" ADD CONSTRAINT "credit_applications_credit_note_id_credit_notes_id_fk" FOREIGN KEY ("credit_note_id") REFERENCES "public"."credit_notes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_applications" ADD CONSTRAINT "credit_applications_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "credit_applications_invoice_idx" ON "credit_applications" USING btree ("invoice_id");--> statement-breakpoint
ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_balance_not_negative" CHECK ("credit_notes"."credit_balance" >= 0);--> statement-breakpoint
ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_settled" CHECK ("credit_notes"."applied_to_invoice" + "credit_notes"."credit_balance" + "credit_notes"."refund_amount" + "credit_notes"."applied_later" = "credit_notes"."amount");