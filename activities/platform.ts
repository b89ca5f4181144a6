import { loadSettings } from '../db/settings';
import type { Settings } from '../domain/settings';
import type { ActivityDeps } from './deps';

export function createPlatformActivities({ db }: ActivityDeps) {
  return {
    /** The settings a process starts with and keeps for its whole life. */
    async loadSettings(): Promise<Settings> {
      return loadSettings(db);
    },
  };
}
