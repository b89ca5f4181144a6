import type { TestProject } from 'vitest/node';
import { startEnvironment, type TestEnvironment } from './environment';

declare module 'vitest' {
  export interface ProvidedContext {
    crm: TestEnvironment;
  }
}

/**
 * One Temporal dev server (in memory, free ports) and one database per test run. Test files isolate
 * themselves by task queue and by the rows they create.
 */
export default async function setup(project: TestProject) {
  const { stop, ...environment } = await startEnvironment();
  project.provide('crm', environment);
  return stop;
}
