import os from 'node:os';
import { startEnvironment, type RunningEnvironment } from '../../test/helpers/environment';

/**
 * One Temporal dev server (in memory) and one database shared by the figures of a run, started the
 * same way as the test suite's. Figures that need another server (the persistence ladder) start their own.
 */
export interface BenchEnvironment extends RunningEnvironment {
  machine: ReturnType<typeof machineInfo>;
}

export function machineInfo() {
  const cpus = os.cpus();
  return { cpus: cpus.length, cpuModel: cpus[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` };
}

export async function startBenchEnvironment(): Promise<BenchEnvironment> {
  return { ...(await startEnvironment()), machine: machineInfo() };
}
