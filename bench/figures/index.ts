import type { Figure } from '../lib/figure';

/** Every figure of `npm run bench`, in the order. */
export const FIGURES: Figure[] = [];
