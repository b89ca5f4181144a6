import { continueAsNew, proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { DunningInput } from '../domain/processes/dunning';

const { remindOverdueInvoices } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

// One long-running sweep reminds customers of every invoice, from contracts and orders alike, on the day
// after it falls due. Durable: a sweep missed while the worker was down happens when it is back.
// Idempotent: the activity marks each reminded invoice (reminder_sent_at) in the same transaction as its
// outbox row, so an invoice is reminded once however often the sweep runs.
const SWEEPS_PER_RUN = 200; // keeps each run's history small; the loop continues as new

export async function dunningWorkflow(input: DunningInput): Promise<number> {
  let reminded = 0;
  const limit = Math.min(input.sweeps ?? SWEEPS_PER_RUN, SWEEPS_PER_RUN);
  for (let sweep = 0; sweep < limit; sweep++) {
    if (sweep > 0) await sleep(input.intervalMs);
    // Without a fixed day the activity takes today in the business time zone, which the sandbox does not know.
    reminded += await remindOverdueInvoices({ asOf: input.asOf });
  }
  if (input.sweeps !== undefined && input.sweeps <= limit) return reminded;
  return continueAsNew<typeof dunningWorkflow>({ ...input, sweeps: input.sweeps === undefined ? undefined : input.sweeps - limit });
}
