import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { inject, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { dataConverter } from '../../temporal/codec';
import { TEST_PAYLOAD_KEYS } from '../helpers/harness';
import { HISTORIES_DIR, historyFromFile } from '../helpers/histories';

// Every committed history must replay on today's workflow code: a change that would break running
// workflows fails here (it belongs behind patched()). Histories are re-recorded with RECORD_HISTORIES=1.
const files = (await readdir(HISTORIES_DIR)).filter((file) => file.endsWith('.json')).sort();

describe('committed workflow histories', () => {
  it('exist for the main paths of every process', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s replays without non-determinism', async (file) => {
    const history = historyFromFile(JSON.parse(await readFile(path.join(HISTORIES_DIR, file), 'utf8')));
    // With the payload codec: histories from before encryption pass through it unchanged.
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('crm').workflowBundlePath }, dataConverter: dataConverter(loadConfig(TEST_PAYLOAD_KEYS)) }, history, path.basename(file, '.json'));
  });
});
