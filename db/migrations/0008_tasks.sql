CREATE TABLE "process_tasks" (
	"process_type" text NOT NULL,
	"process_id" text NOT NULL,
	"kind" text NOT NULL,
	"owner" text NOT NULL,
	"summary" text NOT NULL,
	"actions" text[] NOT NULL,
	"due_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "process_tasks_process_type_process_id_kind_owner_pk" PRIMARY KEY("process_type","process_id","kind","owner")
);
--> statement-breakpoint
CREATE INDEX "process_tasks_list_idx" ON "process_tasks" USING btree ("owner",coalesce("due_at", 'infinity'::timestamptz),"created_at","process_type","process_id","kind");--> statement-breakpoint
CREATE INDEX "process_tasks_kind_idx" ON "process_tasks" USING btree ("owner","kind",coalesce("due_at", 'infinity'::timestamptz),"created_at","process_type","process_id");