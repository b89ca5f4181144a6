import { readdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const { History } = temporal.api.history.v1;
export const HISTORIES_DIR = fileURLToPath(new URL('../replay/histories/', import.meta.url));

// Histories are stored as protobufjs objects in JSON (64-bit numbers and bytes as strings) and read back
// with the same protobuf classes the SDK uses. (The SDK's historyToJSON trips over the two protobufjs
// versions installed side by side.)

/**
 * With RECORD_HISTORIES=1, saves a finished workflow's history for the replay test, so a change that
 * would break running processes fails CI. Run the integration test that drives the path to regenerate.
 */
export async function recordHistory(client: Client, name: string, workflowId: string): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  const handle = client.workflow.getHandle(workflowId);
  await handle.result();
  const history = History.fromObject(await handle.fetchHistory());
  await writeFile(`${HISTORIES_DIR}${name}.json`, `${JSON.stringify(History.toObject(history, { longs: String, enums: String, bytes: String }), null, 1)}\n`);
}

export async function storedHistories(): Promise<Array<{ workflowId: string; history: temporal.api.history.v1.History }>> {
  const files = (await readdir(HISTORIES_DIR)).filter((file) => file.endsWith('.json')).sort();
  return Promise.all(files.map(async (file) => ({
    workflowId: file.replace(/\.json$/, ''),
    history: History.fromObject(JSON.parse(await readFile(`${HISTORIES_DIR}${file}`, 'utf8'))),
  })));
}
