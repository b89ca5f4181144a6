import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createActivities, type Activities } from '../../activities';
import { loadConfig } from '../../config';
import { connectDatabase } from '../../db/client';
import { connectClient, connectWorker } from '../../temporal/client';
import { startWorkers } from '../../temporal/worker';

// A worker in its own OS process, so a test can kill -9 it. Configured like the harness, through the
// environment (DATABASE_URL, TEMPORAL_ADDRESS, CRM_TASK_QUEUE_PREFIX, CRM_WORKFLOW_BUNDLE, CRM_PAYLOAD_KEYS),
// plus two fault switches that exist only here, never in production code:
//   CHAOS_REPORT_DELAY_MS  every activity waits this long after its write before reporting success, so a
//                          kill lands between a committed write and its report: the retry must change nothing
//   CHAOS_NAIVE_INVOICES   issueInvoice forgets its dedupe key (a new one per execution), to show that the
//                          test would see the duplicates an unguarded activity leaves behind

function withFaults(activities: Activities): Activities {
  const delayMs = Number(process.env.CHAOS_REPORT_DELAY_MS ?? 0);
  const faulty = { ...activities };
  if (process.env.CHAOS_NAIVE_INVOICES === '1') {
    // A fresh key per execution: a retried or re-run (local) activity writes a second invoice.
    faulty.issueInvoice = (input) => activities.issueInvoice({ ...input, dedupeKey: `${input.dedupeKey}:execution-${randomUUID()}` });
  }
  for (const name of Object.keys(faulty) as Array<keyof Activities>) {
    const activity = faulty[name] as (...args: unknown[]) => Promise<unknown>;
    (faulty as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      const result = await activity(...args);
      if (delayMs > 0) await sleep(delayMs);
      return result;
    };
  }
  return faulty;
}

const config = loadConfig();
const database = connectDatabase(config.databaseUrl!, { max: 10 });
const connection = await connectWorker(config);
// The client lets activities hand notifications over to their delivery workflows, as in production.
const deps = { db: database.db, config, temporal: await connectClient(config) };
const workers = await startWorkers({ config, connection, deps, activities: withFaults(createActivities(deps)) });
console.log('worker ready');
await workers.done;
