// SPEC §7: ready-made list filters for the Temporal UI (paste into the workflow list's query box). The
// README table and the test that runs every filter against seeded workflows both read this list, so
// neither can drift from it. `{name}` marks a value to fill in.

export interface ManagerFilter {
  title: string;
  query: string;
}

export const MANAGER_FILTERS = [
  { title: 'breached tickets at L2', query: 'CrmKind="ticket" AND CrmSlaBreached=true AND CrmTier="L2"' },
  { title: 'the L2 queue: tickets waiting to be claimed', query: 'CrmKind="ticket" AND CrmStatus="escalated_l2"' },
  { title: "a supporter's open tickets", query: 'CrmKind="ticket" AND CrmAssignee="{userId}" AND ExecutionStatus="Running"' },
  { title: 'closed tickets', query: 'CrmKind="ticket" AND CrmStatus="closed"' },
  { title: 'urgent VIP tickets still open', query: 'CrmKind="ticket" AND CrmCustomerTier="vip" AND CrmPriority="urgent" AND ExecutionStatus="Running"' },
  { title: 'orders on credit hold', query: 'CrmKind="order" AND CrmStatus="credit_hold"' },
  { title: 'backordered orders', query: 'CrmKind="order" AND CrmStatus="backordered"' },
  { title: "VIP customers' open orders", query: 'CrmKind="order" AND CrmCustomerTier="vip" AND ExecutionStatus="Running"' },
  { title: 'open orders from an amount up', query: 'CrmKind="order" AND CrmAmount >= {amount} AND ExecutionStatus="Running"' },
  { title: 'contracts awaiting approval', query: 'CrmKind="contract" AND CrmStatus="pending_approval"' },
  { title: 'active contracts expiring within 30 days', query: 'CrmKind="contract" AND CrmStatus="active" AND CrmDueAt < "{in30Days}"' },
  { title: 'everything for one customer', query: 'CrmCustomerId="{customerId}"' },
] as const satisfies readonly ManagerFilter[];

export type ManagerFilterTitle = (typeof MANAGER_FILTERS)[number]['title'];

/** The query with its `{name}` placeholders filled; a placeholder without a value is an error, not a silent blank. */
export function fillFilter(query: string, values: Record<string, string | number> = {}): string {
  return query.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!(name in values)) throw new RangeError(`filter needs a value for {${name}}`);
    return String(values[name]);
  });
}

/** The README's table of filters, one row per filter: what it shows and the query to paste. */
export function filterTable(): string {
  return ['| what | query |', '|---|---|', ...MANAGER_FILTERS.map((f) => `| ${f.title} | \`${f.query}\` |`)].join('\n');
}
