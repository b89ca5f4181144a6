import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { storedHistories } from '../helpers/histories';

// Every committed history must replay on today's workflow code: a change that would make a running
// process take a different path fails here, before it reaches a worker (guard such changes with patched()).
const histories = await storedHistories();

describe('replay of committed histories', () => {
  it.each(histories.map((h) => [h.workflowId, h] as const))('%s replays without nondeterminism', async (_name, stored) => {
    for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: inject('crm').workflowBundlePath } }, [stored])) {
      expect(result.error).toBeUndefined();
    }
  });
});
