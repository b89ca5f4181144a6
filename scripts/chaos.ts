import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';

// `npm run chaos [-- --target dev|cluster] [vitest arguments]`: the fault and attack suites at full size
// (CHAOS=1, see test/helpers/chaos.ts). `dev` (the default) runs test/reliability and test/security on the
// dev server; `cluster` runs test/cluster/faults.test.ts on the production topology and writes its table to
// bench/results/<date>-chaos-cluster.{json,md}.
const TARGETS: Record<string, string[]> = {
  dev: ['--project', 'integration', 'test/reliability', 'test/security'],
  cluster: ['--project', 'cluster', 'test/cluster/faults.test.ts'],
};

const { values, positionals } = parseArgs({ options: { target: { type: 'string', default: 'dev' } }, allowPositionals: true, strict: false });
const target = TARGETS[String(values.target)];
if (!target) {
  console.error(`--target must be one of ${Object.keys(TARGETS).join(', ')}`);
  process.exit(2);
}
const vitest = spawn('npx', ['vitest', 'run', ...target, ...positionals], { stdio: 'inherit', env: { ...process.env, CHAOS: '1' } });
vitest.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
