import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundleWorkflows } from '../../temporal/worker';
import { startTemporal } from './environment';

/** What the workflow unit tests share: a Temporal dev server and the workflow code bundled once. */
export interface WorkflowTestServer {
  temporalAddress: string;
  workflowBundlePath: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    workflowServer: WorkflowTestServer;
  }
}

/**
 * One in-memory, headless Temporal dev server (the project's CLI, no download) with the search attributes
 * registered, and no database: the workflow tests stub every activity. Files isolate themselves by task queue.
 */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'crmflow-wftest-'));
  const [temporal, bundle] = await Promise.all([startTemporal({ logDir: dir, ui: false }), bundleWorkflows()]);
  const workflowBundlePath = path.join(dir, 'workflow-bundle.js');
  await writeFile(workflowBundlePath, bundle);
  project.provide('workflowServer', { temporalAddress: temporal.address, workflowBundlePath });
  return async () => {
    await temporal.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
