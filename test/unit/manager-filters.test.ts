import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fillFilter, filterTable, MANAGER_FILTERS } from '../../domain/manager-filters';

describe('manager filters', () => {
  it('are listed in the README exactly as the code and tests know them', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const block = /<!-- manager-filters:[^\n]*-->\n([\s\S]*?)\n<!-- \/manager-filters -->/.exec(readme);
    expect(block, 'README lacks the manager-filters block').not.toBeNull();
    expect(block![1]).toBe(filterTable());
    for (const filter of MANAGER_FILTERS) expect(readme).toContain(`\`${filter.query}\``);
  });

  it('fill their placeholders and refuse to run with one missing', () => {
    expect(fillFilter('CrmAssignee="{userId}" AND CrmAmount >= {amount}', { userId: 'U-000004', amount: 100 })).toBe('CrmAssignee="U-000004" AND CrmAmount >= 100');
    expect(() => fillFilter('CrmCustomerId="{customerId}"')).toThrow(/customerId/);
  });

  it('have distinct titles', () => {
    expect(new Set(MANAGER_FILTERS.map((f) => f.title)).size).toBe(MANAGER_FILTERS.length);
  });
});
