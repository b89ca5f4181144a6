import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import type { Db } from '../db/client';

// What every activity factory receives; tests pass their own database and configuration.
export interface ActivityDeps {
  db: Db;
  config: Config;
  /** For activities that tell a workflow about a fact they recorded (a fully consumed contract). */
  temporal?: Client;
}

/** The Temporal client of activities that message workflows; a worker built without one fails them loudly. */
export function temporalOf(deps: Pick<ActivityDeps, 'temporal'>, purpose: string): Client {
  if (!deps.temporal) throw new Error(`${purpose} needs a Temporal client in its ActivityDeps`);
  return deps.temporal;
}
