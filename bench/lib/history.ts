import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { tsToMs } from '@temporalio/common/lib/time';

type History = proto.temporal.api.history.v1.IHistory;
const HistoryMessage = proto.temporal.api.history.v1.History;

export interface RunStats {
  runId: string;
  /** How the run ended: `continuedAsNew`, `completed`, `terminated`, … */
  ended: string;
  events: number;
  bytes: number;
  activities: number;
  timers: number;
  updates: number;
  /** Time between the run's first and last event. */
  wallMs: number;
  /** Time activities were running (started → completed or failed), summed over the run. */
  activityMs: number;
}

/** Every run of a workflow, oldest first, following continue-as-new from the first run to the last. */
export async function runsOf(client: Client, workflowId: string): Promise<Array<{ runId: string; history: History }>> {
  const latest = await client.workflow.getHandle(workflowId).fetchHistory();
  let runId: string | null | undefined = latest.events?.[0]?.workflowExecutionStartedEventAttributes?.firstExecutionRunId;
  const runs: Array<{ runId: string; history: History }> = [];
  while (runId) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    runs.push({ runId, history });
    runId = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
  }
  return runs;
}

export function runStats(runId: string, history: History): RunStats {
  const events = history.events ?? [];
  const at = (i: number) => tsToMs(events[i]!.eventTime);
  const started = new Map<number, number>();
  let activityMs = 0;
  for (const [i, event] of events.entries()) {
    const id = Number(event.eventId);
    if (event.activityTaskStartedEventAttributes) started.set(id, tsToMs(event.eventTime));
    const ended = event.activityTaskCompletedEventAttributes ?? event.activityTaskFailedEventAttributes;
    if (ended) activityMs += at(i) - (started.get(Number(ended.startedEventId)) ?? at(i));
  }
  const last = events.at(-1);
  return {
    runId,
    ended: last?.workflowExecutionContinuedAsNewEventAttributes ? 'continuedAsNew' : last?.workflowExecutionCompletedEventAttributes ? 'completed'
      : last?.workflowExecutionTerminatedEventAttributes ? 'terminated' : last?.workflowExecutionFailedEventAttributes ? 'failed' : 'open',
    events: events.length,
    bytes: HistoryMessage.encode(history).finish().length,
    activities: events.filter((e) => e.activityTaskScheduledEventAttributes).length,
    timers: events.filter((e) => e.timerStartedEventAttributes).length,
    updates: events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length,
    wallMs: events.length ? at(events.length - 1) - at(0) : 0,
    activityMs,
  };
}

/** Stats of every run of a workflow, oldest first. */
export async function workflowRuns(client: Client, workflowId: string): Promise<RunStats[]> {
  return (await runsOf(client, workflowId)).map(({ runId, history }) => runStats(runId, history));
}
