import type { Figure } from '../lib/figure';
import { readPath } from './4-read-path';
import { workerMemory } from './5-worker-memory';
import { historySize } from './6-history-size';
import { databaseCost } from './7-database-cost';

/** Every figure of `npm run bench`, in the order. */
export const FIGURES: Figure[] = [readPath, workerMemory, historySize, databaseCost];
