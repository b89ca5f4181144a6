import type { Series } from './plot';
import type { BenchEnvironment } from './environment';

/** How big a run is: `smoke` keeps the code working inside npm test; `full` is what bench/results records. */
export type Size = 'smoke' | 'full';

export interface Plot {
  /** File name under bench/results/<date>/, e.g. `start-overhead-throughput.svg`. */
  file: string;
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  logX?: boolean;
}

export interface FigureResult {
  /** Everything measured, as written to bench/results/<date>.json. */
  data: Record<string, unknown>;
  /** Markdown for the summary: a table of the figures and, where it applies, the ratio to the baseline. */
  markdown: string;
  plots?: Plot[];
}

export interface Figure {
  /** `1-start-overhead` … `7-database-cost`: the order and numbering of the issue. */
  id: string;
  title: string;
  run(env: BenchEnvironment, size: Size): Promise<FigureResult>;
}
