import { spawn } from 'node:child_process';

// `npm run chaos [-- --target dev|cluster] [vitest arguments]`: the fault and attack suites at full size
// (CHAOS=1, see test/helpers/chaos.ts). `dev` (the default) runs test/reliability and test/security on the
// dev server; `cluster` runs test/cluster/faults.test.ts on the production topology and writes its table to
// bench/results/<date>-chaos-cluster.{json,md}.
const TARGETS: Record<string, string[]> = {
  dev: ['--project', 'integration', 'test/reliability', 'test/security'],
  cluster: ['--project', 'cluster', 'test/cluster/faults.test.ts'],
};

// `--target x` or `--target=x`; every other argument goes to vitest as it is (a file, `-t <name>`, …).
const args = process.argv.slice(2);
const at = args.findIndex((arg) => arg === '--target' || arg.startsWith('--target='));
const name = at < 0 ? 'dev' : args[at]!.includes('=') ? args[at]!.split('=')[1]! : args[at + 1] ?? '';
if (at >= 0) args.splice(at, args[at]!.includes('=') ? 1 : 2);
const target = TARGETS[name];
if (!target) {
  console.error(`--target must be one of ${Object.keys(TARGETS).join(', ')}`);
  process.exit(2);
}
const vitest = spawn('npx', ['vitest', 'run', ...target, ...args], { stdio: 'inherit', env: { ...process.env, CHAOS: '1' } });
vitest.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
