import type { Config } from '../config';
import type { Db } from '../db/client';

// What every activity factory receives; tests pass their own database and configuration.
export interface ActivityDeps {
  db: Db;
  config: Config;
}
