import type { Figure } from '../lib/figure';
import { startOverhead } from './1-start-overhead';
import { processThroughput } from './2-process-throughput';
import { persistenceLadder } from './3-persistence-ladder';

/** Every figure of `npm run bench`, in the order. */
export const FIGURES: Figure[] = [startOverhead, processThroughput, persistenceLadder];
