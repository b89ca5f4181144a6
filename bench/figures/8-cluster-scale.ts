import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config';
import { startApps, startProduction, type AppProcess, type RunningApps } from '../../scripts/production';
import type { RunningCluster } from '../../temporal/cluster';
import { NUM_HISTORY_SHARDS } from '../../temporal/cluster-config';
import { ensureServerBinaries, TEMPORAL_SERVER_VERSION } from '../../temporal/server-build';
import { dropClusterDatabases, freeClusterPorts, freePort } from '../../test/helpers/environment';
import { freshDatabase } from '../../test/helpers/fresh-database';
import { TEST_PAYLOAD_KEYS } from '../../test/helpers/harness';
import { apiClient } from '../lib/app';
import { cpuByGroup } from '../lib/cpu';
import type { BenchEnvironment } from '../lib/environment';
import type { Figure, Size } from '../lib/figure';
import { benchHarness } from '../lib/harness';
import { lifecycles } from '../lib/lifecycles';
import { markdownTable, measure, loadCell } from '../lib/measure';
import { round, type LoadResult } from '../lib/stats';
import { startTrivialWorker } from '../lib/trivial';

const CONCURRENCY: Record<Size, number> = { smoke: 2, full: 16 };
const LIFECYCLES: Record<Size, number> = { smoke: 2, full: 64 };
// The trivial workflow is an order of magnitude cheaper and gets more.
const TRIVIAL: Record<Size, number> = { smoke: 4, full: 320 };
const WARM_UP: Record<Size, number> = { smoke: 0, full: 8 };

type Workload = 'trivial' | 'ticket' | 'order';
const WORKLOADS: Workload[] = ['trivial', 'ticket', 'order'];

interface SettingResult {
  setting: string;
  results: Record<Workload, LoadResult>;
  /** CPU of each part while the lifecycles ran, in cores (1 = one core busy all the time). */
  cores: Record<string, number>;
}

/**
 * Figure 2's ticket and order lifecycles and the trivial workflow on the production topology with one and
 * then two crmflow worker processes, next to the dev server in the same run. Every setting runs crmflow
 * the same way, the API and the workers as processes of their own (startApps), called over HTTP; only the
 * engine and the number of worker processes change. The trivial workflow's worker runs in this process, on
 * the same engine, as the baseline of what the engine itself allows.
 */
export const clusterScale: Figure = {
  id: '8-cluster-scale',
  title: 'Scale: lifecycles on the Temporal cluster with one and two worker processes, next to the dev server',
  async run(env, size) {
    const binaries = await ensureServerBinaries();
    const settings: SettingResult[] = [];
    const dev = await setting(env, 'dev server');
    try {
      await dev.apps.workers[1]!.stop();
      settings.push(await measureSetting('dev server · 1 worker process', dev, size, devGroups(dev.apps)));
    } finally {
      await dev.close();
    }
    const cluster = await setting(env, 'cluster', binaries);
    try {
      await cluster.apps.workers[1]!.stop();
      settings.push(await measureSetting('cluster · 1 worker process', cluster, size, clusterGroups(cluster.apps, cluster.cluster!)));
      await cluster.apps.workers[1]!.start();
      settings.push(await measureSetting('cluster · 2 worker processes', cluster, size, clusterGroups(cluster.apps, cluster.cluster!)));
    } finally {
      await cluster.close();
    }
    return result(settings, size);
  },
};

interface Setting {
  apps: RunningApps;
  cluster: RunningCluster | null;
  call: ReturnType<typeof apiClient>['call'];
  h: Awaited<ReturnType<typeof benchHarness>>;
  close(): Promise<void>;
}

/** A fresh database, the API and two worker processes, on the bench's dev server or on a cluster of its own. */
async function setting(env: BenchEnvironment, engine: 'dev server' | 'cluster', binaries?: Awaited<ReturnType<typeof ensureServerBinaries>>): Promise<Setting> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'crmflow-bench-scale-'));
  await chmod(dir, 0o755);
  const db = await freshDatabase(env.databaseUrl);
  const ports = engine === 'cluster' ? await freeClusterPorts() : { frontend: Number(env.temporalAddress.split(':').pop()), api: await freePort(), ui: await freePort() };
  const prefix = `b8${randomUUID().slice(0, 6)}-`;
  const config = loadConfig({
    CRM_DATA_DIR: dir, DATABASE_URL: db.url, PORT: String(ports.api), TEMPORAL_ADDRESS: `127.0.0.1:${ports.frontend}`,
    TEMPORAL_UI_PORT: String(ports.ui), CRM_TASK_QUEUE_PREFIX: prefix, ...TEST_PAYLOAD_KEYS,
  });
  // The rate limiter stays on (its cost is part of the API) with a limit no benchmark reaches.
  const appEnv = { CRM_RATE_LIMIT_PER_MINUTE: String(1e9), LOG_LEVEL: 'warn' };
  const production = engine === 'cluster'
    ? await startProduction({ config, databaseUrl: db.url, binaries: binaries!, workerCount: 2, appEnv })
    : null;
  const apps = production ?? (await startApps({ config, databaseUrl: db.url, workerCount: 2, appEnv }));
  const address = production?.cluster.address ?? env.temporalAddress;
  const h = await benchHarness({ ...env, databaseUrl: db.url, temporalAddress: address }, { env: { CRM_TASK_QUEUE_PREFIX: prefix } });
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  return {
    apps, cluster: production?.cluster ?? null, h,
    call: apiClient(new URL(`http://127.0.0.1:${ports.api}`), h.users, agent).call,
    async close() {
      agent.destroy();
      await h.close();
      await (production ?? apps).stop();
      await db.drop();
      if (production) await dropClusterDatabases(env.databaseUrl, db.url);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function measureSetting(name: string, s: Setting, size: Size, groupOf: (pid: number, name: string) => string | null): Promise<SettingResult> {
  const drive = lifecycles(s.call, s.h.client);
  const trivial = await startTrivialWorker(s.h);
  try {
    const masterData = await Promise.all(Array.from({ length: 8 }, () => drive.masterData(1_000_000)));
    let next = 0;
    const pick = () => masterData[next++ % masterData.length]!;
    const runs: Record<Workload, { count: number; run: () => Promise<unknown> }> = {
      trivial: { count: TRIVIAL[size], run: () => trivial.execute(randomUUID()) },
      ticket: { count: LIFECYCLES[size], run: () => drive.ticket(pick().customerId) },
      order: { count: LIFECYCLES[size], run: () => { const { customerId, sku } = pick(); return drive.creditOrder(customerId, sku); } },
    };
    for (const workload of WORKLOADS) await measure(WARM_UP[size], 2, runs[workload].run);
    const results = {} as Record<Workload, LoadResult>;
    results.trivial = await measure(runs.trivial.count, CONCURRENCY[size], runs.trivial.run);
    const before = cpuByGroup(groupOf, 'bench client');
    const started = performance.now();
    results.ticket = await measure(runs.ticket.count, CONCURRENCY[size], runs.ticket.run);
    results.order = await measure(runs.order.count, CONCURRENCY[size], runs.order.run);
    const wallMs = performance.now() - started;
    const after = cpuByGroup(groupOf, 'bench client');
    const cores = Object.fromEntries(Object.keys(after).map((group) => [group, round((after[group]! - (before[group] ?? 0)) / wallMs)]));
    return { setting: name, results, cores };
  } finally {
    await trivial.stop();
  }
}

const running = (processes: AppProcess[]) => processes.map((p) => p.pid()).filter((pid): pid is number => pid !== null);

function appGroups(apps: RunningApps): (pid: number) => string | null {
  const api = apps.api.pid();
  const workers = new Set(running(apps.workers));
  return (pid) => (pid === api ? 'crmflow API' : workers.has(pid) ? 'crmflow workers' : null);
}

function devGroups(apps: RunningApps) {
  const app = appGroups(apps);
  return (pid: number, name: string) => app(pid) ?? (name.startsWith('postgres') ? 'PostgreSQL' : name === 'temporal' ? 'Temporal dev server' : null);
}

function clusterGroups(apps: RunningApps, cluster: RunningCluster) {
  const app = appGroups(apps);
  const services = new Map(Object.values(cluster.services).map((s) => [s.pid(), `Temporal ${s.name}`]));
  return (pid: number, name: string) => app(pid) ?? services.get(pid) ?? (name.startsWith('postgres') ? 'PostgreSQL' : null);
}

function result(settings: SettingResult[], size: Size) {
  const groups = [...new Set(settings.flatMap((s) => Object.keys(s.cores)))];
  const markdown = [
    `Completed processes/s · p50 / p99 ms per process at concurrency ${CONCURRENCY[size]}: ${LIFECYCLES[size]} ticket and ${LIFECYCLES[size]} order lifecycles (figure 2's, over HTTP)`,
    `and ${TRIVIAL[size]} trivial workflows per setting. The cluster: Temporal Server v${TEMPORAL_SERVER_VERSION}, ${NUM_HISTORY_SHARDS} history shards, its four services as processes`,
    'on the same PostgreSQL as crmflow; in every setting the API and the workers are processes of their own.',
    '',
    markdownTable(['setting', 'trivial workflow', 'ticket lifecycle', 'order lifecycle'], settings.map((s) => [s.setting, ...WORKLOADS.map((w) => loadCell(s.results[w]))])),
    '',
    'Where the time goes while the lifecycles run: CPU of each part in cores (1.00 = one core busy all the time).',
    '',
    markdownTable(['setting', ...groups], settings.map((s) => [s.setting, ...groups.map((g) => s.cores[g] ?? '')])),
  ].join('\n');
  return { data: { concurrency: CONCURRENCY[size], settings }, markdown };
}
