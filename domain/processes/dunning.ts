// The invoice-dunning sweep's shapes: one long-running workflow per namespace (see workflows/dunning.ts).

export const DUNNING_WORKFLOW = 'dunningWorkflow';
export const DUNNING_WORKFLOW_ID = 'invoice-dunning';
export type DunningWorkflow = (input: DunningInput) => Promise<number>;

export interface DunningInput {
  intervalMs: number;
  /** A fixed business day to sweep as of (a catch-up run); by default each sweep uses the current day. */
  asOf?: string;
  /** Stop after this many sweeps (a catch-up run); by default the sweep runs for ever. */
  sweeps?: number;
}
