import { readdirSync, readFileSync } from 'node:fs';

// CPU time of processes from /proc (Linux): what the tools and figures use to say where the time goes.

const TICK_MS = 1000 / 100; // USER_HZ

/** User + system CPU milliseconds a process has used so far. */
export function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime
}

/** Every process below `root`, by pid, with its command name. */
export function descendants(root: number): Map<number, string> {
  const parents = new Map<number, number>();
  const names = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      names.set(Number(entry), stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
      parents.set(Number(entry), Number(stat.split(') ')[1]!.split(' ')[1]));
    } catch { /* gone */ }
  }
  const found = new Map<number, string>();
  const walk = (pid: number) => { for (const [child, parent] of parents) if (parent === pid && !found.has(child)) { found.set(child, names.get(child)!); walk(child); } };
  walk(root);
  return found;
}

/**
 * CPU milliseconds so far of this process and its descendants, summed by the group `groupOf` names for
 * each (null: not counted); this process itself is the group `self`.
 */
export function cpuByGroup(groupOf: (pid: number, name: string) => string | null, self = 'node'): Record<string, number> {
  const totals: Record<string, number> = { [self]: cpuMsOf(process.pid) };
  for (const [pid, name] of descendants(process.pid)) {
    const group = groupOf(pid, name);
    if (group === null) continue;
    try { totals[group] = (totals[group] ?? 0) + cpuMsOf(pid); } catch { /* gone */ }
  }
  return totals;
}
