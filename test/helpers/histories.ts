import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

export const HISTORIES_DIR = path.resolve(import.meta.dirname, '../replay/histories');

/**
 * With RECORD_HISTORIES=1, saves a finished workflow's history under test/replay/histories so the
 * replay test can prove that changed workflow code still replays what already ran. Any other value is
 * a version tag: RECORD_HISTORIES=v2 writes `<name>.v2.json` beside the histories of earlier versions,
 * which stay (workflows of every version may still be running). `runId` picks one run of a workflow
 * that continued as new (default: the latest).
 */
export async function recordHistory(client: Client, workflowId: string, name: string, runId?: string): Promise<void> {
  const tag = process.env.RECORD_HISTORIES;
  if (!tag) return;
  if (tag !== '1') name = `${name}.${tag}`;
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const json = History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String });
  await writeFile(path.join(HISTORIES_DIR, `${name}.json`), `${JSON.stringify(json, null, 1)}\n`);
}

// protobufjs' own object form (enum names, int64 and bytes as strings) round-trips exactly.
const History = proto.temporal.api.history.v1.History;

export function historyFromFile(json: unknown) {
  return History.fromObject(json as Record<string, unknown>);
}
