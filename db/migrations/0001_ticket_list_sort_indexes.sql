DROP INDEX "tickets_assignee_idx";--> statement-breakpoint
DROP INDEX "tickets_customer_idx";--> statement-breakpoint
CREATE INDEX "tickets_assignee_idx" ON "tickets" USING btree ("assignee_id","created_at","id");--> statement-breakpoint
CREATE INDEX "tickets_customer_idx" ON "tickets" USING btree ("customer_id","created_at","id");