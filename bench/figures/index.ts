import type { Figure } from '../lib/figure';
import { startOverhead } from './1-start-overhead';
import { processThroughput } from './2-process-throughput';
import { persistenceLadder } from './3-persistence-ladder';
import { readPath } from './4-read-path';
import { workerMemory } from './5-worker-memory';
import { historySize } from './6-history-size';
import { databaseCost } from './7-database-cost';
import { clusterScale } from './8-cluster-scale';
import { taskList } from './9-task-list';

/** Every figure of `npm run bench`, in the issues' order. */
export const FIGURES: Figure[] = [startOverhead, processThroughput, persistenceLadder, readPath, workerMemory, historySize, databaseCost, clusterScale, taskList];
