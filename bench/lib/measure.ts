import type { Client } from '@temporalio/client';
// The default import: @temporalio/proto is CommonJS, whose named exports plain Node ESM cannot see.
import proto from '@temporalio/proto';
import type { Plot } from './figure';
import { round, runLoad, type LoadResult } from './stats';

/**
 * runLoad that refuses to report a failing workload: a rate over failed operations measures the
 * wrong thing, so the figure stops with the first error instead.
 */
export async function measure(total: number, concurrency: number, operation: (i: number) => Promise<unknown>): Promise<LoadResult> {
  let first: unknown;
  const result = await runLoad(total, concurrency, async (i) => {
    try {
      return await operation(i);
    } catch (error) {
      first ??= error;
      throw error;
    }
  });
  if (result.errors > 0) throw new Error(`${result.errors} of ${total} operations failed; the first: ${first instanceof Error ? first.stack : String(first)}`);
  return result;
}

/** subject ÷ baseline, two decimals. */
export const ratio = (subject: number, baseline: number) => round(subject / baseline);

export interface Ratios {
  perSecond: number;
  p50: number;
  p99: number;
}

/** A workload ÷ its baseline: below 1 for the rate and above 1 for latencies is slower than the baseline. */
export function against(subject: LoadResult, baseline: LoadResult): Ratios {
  return { perSecond: ratio(subject.perSecond, baseline.perSecond), p50: ratio(subject.latency.p50, baseline.latency.p50), p99: ratio(subject.latency.p99, baseline.latency.p99) };
}

/** `rate · p50 / p99` for a table cell. */
export const loadCell = (r: LoadResult) => `${r.perSecond} · ${r.latency.p50} / ${r.latency.p99}`;

export const ratiosCell = (r: Ratios) => `${r.perSecond} · ${r.p50} / ${r.p99}`;

export function markdownTable(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const line = (cells: ReadonlyArray<string | number>) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** One workload measured at several concurrencies. */
export type Curve = Array<{ concurrency: number; result: LoadResult }>;

/** Throughput and latency against concurrency, one series per workload (and per percentile). */
export function concurrencyPlots(options: { file: string; title: string; unit: string; curves: Record<string, Curve> }): Plot[] {
  const curves = Object.entries(options.curves);
  const series = (value: (r: LoadResult) => number, suffix = '') =>
    curves.map(([name, curve]) => ({ name: `${name}${suffix}`, points: curve.map(({ concurrency, result }): [number, number] => [concurrency, value(result)]) }));
  return [
    { file: `${options.file}-throughput.svg`, title: `${options.title}: throughput`, xLabel: 'concurrency', yLabel: `${options.unit}/s`, logX: true, series: series((r) => r.perSecond) },
    {
      file: `${options.file}-latency.svg`, title: `${options.title}: latency`, xLabel: 'concurrency', yLabel: 'ms', logX: true,
      series: [...series((r) => r.latency.p50, ' p50'), ...series((r) => r.latency.p99, ' p99')],
    },
  ];
}

export interface EngineSteps {
  workflowTasks: number;
  activities: number;
}

/** What the engine did for one finished workflow: the units a process's cost is made of. */
export async function engineSteps(client: Client, workflowId: string): Promise<EngineSteps> {
  const { events } = await client.workflow.getHandle(workflowId).fetchHistory();
  const { EventType } = proto.temporal.api.enums.v1;
  const count = (type: proto.temporal.api.enums.v1.EventType) => (events ?? []).filter((e) => e.eventType === type).length;
  return { workflowTasks: count(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED), activities: count(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) };
}
