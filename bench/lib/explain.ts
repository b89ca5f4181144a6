import type postgres from 'postgres';
import type { CapturingHarness } from './harness';

export interface PlanSummary {
  /** How each table is reached, e.g. `Index Scan Backward using tickets_created_idx`, and any sort on top. */
  access: string;
  /** True when a table is read from end to end: the index the filter needs is missing. */
  seqScan: boolean;
  indexes: string[];
  executionMs: number;
  /** Shared buffers hit (+ read from disk) by the whole plan. */
  buffers: string;
  /** The plan as PostgreSQL printed it, for the JSON results. */
  text: string[];
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Scan Direction'?: string;
  'Sort Method'?: string;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

const walk = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(walk)];

/**
 * EXPLAIN (ANALYZE, BUFFERS) of one statement as captured on the wire, summarised as how it reads its
 * tables. The captured parameters are already in PostgreSQL's text form; they go back in as literals,
 * since sending them as parameters again would serialise them a second time (`'true'` is not `true`).
 */
export async function explain(sql: postgres.Sql, query: string, parameters: string[]): Promise<PlanSummary> {
  const literal = query.replace(/\$(\d+)/g, (_, n: string) => `'${parameters[Number(n) - 1]!.replace(/'/g, "''")}'`);
  const [{ 'QUERY PLAN': [json] }] = await sql.unsafe<[{ 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number }] }]>(`explain (analyze, buffers, format json) ${literal}`);
  const text = await sql.unsafe<Array<{ 'QUERY PLAN': string }>>(`explain (analyze, buffers) ${literal}`);
  const nodes = walk(json.Plan);
  const steps = nodes.filter((n) => n['Relation Name'] || n['Index Name'] || n['Node Type'] === 'Sort').map((n) =>
    n['Node Type'] === 'Sort' ? `Sort (${n['Sort Method'] ?? '?'})` : `${n['Node Type']}${n['Scan Direction'] === 'Backward' ? ' Backward' : ''}${n['Index Name'] ? ` using ${n['Index Name']}` : ` on ${n['Relation Name']}`}`);
  const hit = json.Plan['Shared Hit Blocks'] ?? 0;
  const read = json.Plan['Shared Read Blocks'] ?? 0;
  return {
    access: steps.join(' → '),
    seqScan: nodes.some((n) => n['Node Type'] === 'Seq Scan'),
    indexes: [...new Set(nodes.flatMap((n) => (n['Index Name'] ? [n['Index Name']] : [])))],
    executionMs: Math.round(json['Execution Time'] * 100) / 100,
    buffers: read ? `${hit} + ${read} read` : String(hit),
    text: text.map((row) => row['QUERY PLAN']),
  };
}

/** EXPLAIN (ANALYZE, BUFFERS) of the statement on `table` that `send` made the app send, with what `send` answered. */
export async function explainSent<T>(h: CapturingHarness, table: string, send: () => Promise<T>): Promise<{ plan: PlanSummary; answer: T }> {
  h.captured.length = 0;
  const answer = await send();
  const statement = h.captured.find(([query]) => query!.includes(`from "${table}"`));
  if (!statement) throw new Error(`no statement on ${table} was sent`);
  const [query, ...parameters] = statement;
  return { plan: await explain(h.database.sql, query!, parameters), answer };
}
