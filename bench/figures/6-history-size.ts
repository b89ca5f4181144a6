import type { Figure, Size } from '../lib/figure';
import { apiCaller, benchHarness } from '../lib/harness';
import { workflowRuns, type RunStats } from '../lib/history';
import { lifecycles } from '../lib/lifecycles';
import { round } from '../lib/stats';

const RENEWALS: Record<Size, number> = { smoke: 2, full: 10 };

// One contract day lasts 30 ms, so a one-month renewal term is 0.9 s and ten renewals take seconds.
const DAY_MS = 30;
const TERM_MS = 30 * DAY_MS;

// The Temporal server's own per-workflow thresholds (dynamic config defaults): it suggests continue-as-new
// at 4 Ki events or 4 MiB, warns at 10 Ki events or 10 MiB, and terminates a run at 50 Ki events or 50 MiB.
const SUGGEST_CONTINUE_AS_NEW = { events: 4 * 1024, bytes: 4 * 1024 * 1024 };
const TERMINATE = { events: 50 * 1024, bytes: 50 * 1024 * 1024 };

export const historySize: Figure = {
  id: '6-history-size',
  title: 'History size: events per ticket, order and contract lifecycle',
  async run(env, size) {
    const renewals = RENEWALS[size];
    const h = await benchHarness(env, { worker: true, env: { CRM_CONTRACT_DAY_MS: String(DAY_MS) } });
    try {
      const drive = lifecycles(apiCaller(h), h.client);
      const { customerId, sku } = await drive.masterData();
      // One term more than the renewals measured: the run in progress when the contract is terminated is cut short.
      const driven = [await drive.ticket(customerId), await drive.prepaidOrder(customerId, sku), await drive.contract(customerId, renewals + 1, TERM_MS)];
      const runs: Record<string, RunStats[]> = {};
      for (const { kind, workflowId } of driven) runs[kind] = await workflowRuns(h.client, workflowId);
      const contractRuns = runs.contract!;
      // Every run but the last ended by renewing (continue-as-new). The first carries drafting, approval and
      // signing; each later one a full renewal term, except the last, cut short by the termination.
      const renewalRuns = contractRuns.slice(1, -1);
      const bounded = {
        renewalRuns: renewalRuns.length,
        firstRenewalRunEvents: renewalRuns[0]?.events ?? null,
        lastRenewalRunEvents: renewalRuns.at(-1)?.events ?? null,
        maxRenewalRunEvents: Math.max(...renewalRuns.map((r) => r.events)),
        growth: renewalRuns.length ? round(renewalRuns.at(-1)!.events / renewalRuns[0]!.events) : null,
      };
      const rows = [
        ['ticket (intake → escalate → claim → resolve → confirm)', runs.ticket!],
        ['order (prepaid: pay → ship → deliver → invoice → complete)', runs.order!],
        ['contract, first run (draft → approve → sign → first term)', contractRuns.slice(0, 1)],
        [`contract, each full renewal term (${contractRuns.length - 1} renewals, max)`, renewalRuns.length ? [renewalRuns.reduce((a, b) => (b.events > a.events ? b : a))] : []],
      ] as const;
      const markdown = [
        `Events and encoded bytes of each run's history, fetched from the server after the process ended. Baseline: the server's`,
        `threshold for suggesting continue-as-new (${SUGGEST_CONTINUE_AS_NEW.events} events / 4 MiB; a run is terminated at ${TERMINATE.events} events / 50 MiB):`,
        `the share column is events / ${SUGGEST_CONTINUE_AS_NEW.events}. The contract renews itself every ${TERM_MS} ms (CRM_CONTRACT_DAY_MS=${DAY_MS}) and continues as new on each`,
        `renewal; bounded means its last renewal run is no longer than its first (growth ${bounded.growth}).`,
        '',
        '| lifecycle | runs | events | bytes | activities | timers | updates | share of threshold |',
        '|---|---:|---:|---:|---:|---:|---:|---:|',
        ...rows.map(([name, list]) => {
          const r = list[0];
          return r ? `| ${name} | ${list.length} | ${r.events} | ${r.bytes} | ${r.activities} | ${r.timers} | ${r.updates} | ${round((r.events / SUGGEST_CONTINUE_AS_NEW.events) * 100, 1)} % |` : `| ${name} | 0 | | | | | | |`;
        }),
        '',
        `Contract events per run, in order: ${contractRuns.map((r) => `${r.events} (${r.ended})`).join(', ')}.`,
      ].join('\n');
      return {
        data: { thresholds: { suggestContinueAsNew: SUGGEST_CONTINUE_AS_NEW, terminate: TERMINATE }, contractDayMs: DAY_MS, renewals, runs, bounded },
        markdown,
        plots: [{
          file: 'history-size-contract-runs.svg', title: 'Contract history per run across renewals', xLabel: 'run (1 = draft … first term, then one per renewal)', yLabel: 'events',
          series: [{ name: 'events per run', points: contractRuns.map((r, i) => [i + 1, r.events]) }],
        }],
      };
    } finally {
      await h.close();
    }
  },
};
