import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigError, loadConfig } from '../../config';
import { CRM_SEARCH_ATTRIBUTES } from '../../domain/search-attributes';
import { CLUSTER_WORKER_REPLICAS } from '../../scripts/production';
import { clusterDatabases } from '../../temporal/cluster';
import { CLUSTER_SERVICES, clusterPorts, dynamicConfig, NUM_HISTORY_SHARDS, serverConfig } from '../../temporal/cluster-config';
import { serverBinaryPaths, TEMPORAL_SERVER_VERSION, TEMPORAL_UI_VERSION } from '../../temporal/server-build';

// docker-compose.yml is not run here (no container engine in CI), so this file checks what would make it
// fail at run time: missing services, wrong wiring, and environment variables config.ts never reads; and
// that it describes the topology `npm run cluster` runs (and CI tests): versions, shards, search attributes.

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: unknown[];
  container_name?: string;
  deploy?: { replicas?: number };
  volumes?: string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
}

// Compose substitutes ${VAR}, ${VAR:-default} and ${VAR:?error} from the shell; here every variable
// takes its default (or a placeholder when it must be given).
function interpolate(value: string): string {
  return value.replace(/\$\{(\w+)(?::?([-?])([^}]*))?\}/g, (_all, _name, kind?: string, rest?: string) =>
    kind === '-' ? (rest ?? '') : kind === '?' ? 'required-value' : '');
}

function environment(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  const entries = Array.isArray(env)
    ? env.map((line) => [line.split('=')[0]!, line.slice(line.indexOf('=') + 1)] as const)
    : Object.entries(env).map(([name, value]) => [name, String(value ?? '')] as const);
  return Object.fromEntries(entries.map(([name, value]) => [name, interpolate(value)]));
}

function dependsOn(service: Service): Record<string, string | undefined> {
  const deps = service.depends_on ?? {};
  return Array.isArray(deps) ? Object.fromEntries(deps.map((name) => [name, undefined])) : Object.fromEntries(Object.entries(deps).map(([name, d]) => [name, d.condition]));
}

/** The environment variables loadConfig reads, recorded through a Proxy rather than listed by hand. */
function configVariables(): Set<string> {
  const names = new Set<string>();
  // Once with nothing set and once with every variable set, so variables read only in one case count too.
  for (const value of [undefined, '1']) {
    const env = new Proxy({} as Record<string, string | undefined>, {
      get(_target, key) {
        if (typeof key === 'string') names.add(key);
        return value;
      },
    });
    try {
      loadConfig(env);
    } catch (error) {
      // '1' is no valid key list; loadConfig reads every variable before it validates the keys.
      if (!(error instanceof ConfigError)) throw error;
    }
  }
  return names;
}

const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const service = (name: string): Service => {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
};
const CONFIG_VARIABLES = configVariables();
const dockerfile = read('Dockerfile');
const APP_SERVICES = ['api', 'worker'] as const;
const TEMPORAL_SERVICES = ['temporal-history', 'temporal-matching', 'temporal-frontend', 'temporal-worker'] as const;

describe('docker-compose.yml', () => {
  it('defines PostgreSQL, the four Temporal services, their setup, the Temporal UI, the API and the worker', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['postgres', ...TEMPORAL_SERVICES, 'temporal-setup', 'temporal-ui', 'api', 'worker']));
  });

  it.each(TEMPORAL_SERVICES)('runs %s as its own Temporal service on the postgres service', (name) => {
    const env = environment(service(name));
    expect(env.SERVICES).toBe(name.replace('temporal-', ''));
    expect(env.DB).toBe('postgres12');
    expect(env.POSTGRES_SEEDS).toBe('postgres');
    expect(env.DB_PORT).toBe('5432');
    expect(env.POSTGRES_USER).toBe(environment(service('postgres')).POSTGRES_USER);
    expect(env.POSTGRES_PWD).toBe(environment(service('postgres')).POSTGRES_PASSWORD);
    // Advanced visibility on SQL, in a database of its own, never Elasticsearch.
    expect(env.VISIBILITY_DBNAME).toBeTruthy();
    expect(env.VISIBILITY_DBNAME).not.toBe(env.DBNAME ?? 'temporal');
    expect(env.ENABLE_ES ?? 'false').toBe('false');
  });

  it('sets the databases up before the other services start, and the namespace once the frontend answers', () => {
    expect(dependsOn(service('temporal-history')).postgres).toBe('service_healthy');
    for (const name of ['temporal-matching', 'temporal-frontend', 'temporal-worker']) expect(dependsOn(service(name))).toHaveProperty('temporal-history');
    expect(environment(service('temporal-setup')).TEMPORAL_ADDRESS).toBe('temporal-frontend:7233');
  });

  it('points the Temporal UI at the frontend on port 8233', () => {
    const ui = service('temporal-ui');
    expect(environment(ui).TEMPORAL_ADDRESS).toBe('temporal-frontend:7233');
    expect(ui.ports).toContain('8233:8080');
  });

  it.each(APP_SERVICES)('builds %s from the Dockerfile', (name) => {
    const build = service(name).build;
    const context = typeof build === 'string' ? build : build?.context;
    const file = typeof build === 'object' && build.dockerfile ? build.dockerfile : 'Dockerfile';
    expect(context, `${name} has no build`).toBeDefined();
    expect(path.resolve(ROOT, context!, file)).toBe(path.join(ROOT, 'Dockerfile'));
  });

  it.each(APP_SERVICES)('connects %s to the compose PostgreSQL and Temporal', (name) => {
    const env = environment(service(name));
    const db = new URL(env.DATABASE_URL ?? '');
    expect(db.protocol).toMatch(/^postgres(ql)?:$/);
    expect(db.hostname).toBe('postgres');
    expect(db.pathname).toBe('/crmflow');
    expect(db.password).toBe(environment(service('postgres')).POSTGRES_PASSWORD);
    expect(env.TEMPORAL_ADDRESS).toBe('temporal-frontend:7233');
    expect(env.TEMPORAL_NAMESPACE).toBe('default');
    expect(env.CRM_START_TEMPORAL).toBe('false');
    expect(dependsOn(service(name))).toMatchObject({ postgres: 'service_healthy', 'temporal-setup': 'service_completed_successfully' });
  });

  it('creates the crmflow database the API and worker use', () => {
    expect(environment(service('postgres')).POSTGRES_DB).toBe('crmflow');
  });

  it('publishes the API on port 3000', () => {
    expect(environment(service('api')).PORT).toBe('3000');
    expect(service('api').ports).toContain('3000:3000');
  });

  it('runs the worker entry point without ports or a fixed name, so it scales, two replicas by default like npm run cluster', () => {
    const worker = service('worker');
    expect([worker.command].flat().join(' ')).toContain('temporal/run-worker.ts');
    expect(worker.ports ?? []).toEqual([]);
    expect(worker.container_name).toBeUndefined();
    expect(worker.deploy?.replicas).toBe(CLUSTER_WORKER_REPLICAS);
  });

  it.each(APP_SERVICES)('gives %s only environment variables that config.ts reads', (name) => {
    const unknown = Object.keys(environment(service(name))).filter((variable) => !CONFIG_VARIABLES.has(variable));
    expect(unknown).toEqual([]);
  });

  it('sees the variables loadConfig reads', () => {
    expect([...CONFIG_VARIABLES]).toEqual(expect.arrayContaining(['DATABASE_URL', 'TEMPORAL_ADDRESS', 'PORT', 'CRM_WORKFLOW_BUNDLE']));
  });
});

describe('docker-compose.yml and npm run cluster', () => {
  const cluster = serverConfig({
    db: clusterDatabases('postgres://u:p@127.0.0.1:5432/crmflow'), ports: clusterPorts(7233), dynamicConfigFile: 'dynamicconfig.yaml',
  });

  it('run the same Temporal Server release', () => {
    expect(serverBinaryPaths().server).toContain(`v${TEMPORAL_SERVER_VERSION}`);
    for (const name of [...TEMPORAL_SERVICES, 'temporal-setup']) expect(service(name).image).toMatch(new RegExp(`^temporalio/(server|auto-setup):${TEMPORAL_SERVER_VERSION.replaceAll('.', '\\.')}$`));
  });

  it('serve the same Web UI release', () => {
    expect(serverBinaryPaths().uiServer).toContain(`v${TEMPORAL_UI_VERSION}`);
    expect(service('temporal-ui').image).toBe(`temporalio/ui:${TEMPORAL_UI_VERSION}`);
  });

  it('have the same number of history shards, on PostgreSQL persistence and SQL visibility', () => {
    expect(cluster.persistence.numHistoryShards).toBe(NUM_HISTORY_SHARDS);
    for (const name of TEMPORAL_SERVICES) expect(environment(service(name)).NUM_HISTORY_SHARDS).toBe(String(NUM_HISTORY_SHARDS));
    const stores = Object.values(cluster.persistence.datastores).map((store) => store.sql.pluginName);
    expect(stores).toEqual(['postgres12', 'postgres12']);
    expect(environment(service('temporal-history')).DB).toBe('postgres12');
  });

  it('give the Temporal services the same dynamic config', () => {
    expect(parse(read('temporal/dynamic-config.yaml'))).toEqual(dynamicConfig());
    for (const name of TEMPORAL_SERVICES) {
      const file = environment(service(name)).DYNAMIC_CONFIG_FILE_PATH;
      expect(service(name).volumes, name).toContain(`./temporal/dynamic-config.yaml:${file}:ro`);
    }
  });

  it('run the same four services as processes of their own', () => {
    expect(Object.keys(cluster.services).sort()).toEqual([...CLUSTER_SERVICES].sort());
    expect(TEMPORAL_SERVICES.map((name) => environment(service(name)).SERVICES).sort()).toEqual([...CLUSTER_SERVICES].sort());
  });

  it('register the same search attributes with the same types', () => {
    const script = [service('temporal-setup').command].flat().join('\n');
    const pairs = [...script.matchAll(/\b(Crm\w+):(\w+)\b/g)].map(([, name, type]) => `${name}:${type!.toUpperCase()}`);
    expect(pairs.sort()).toEqual(CRM_SEARCH_ATTRIBUTES.map((key) => `${key.name}:${key.type}`).sort());
  });
});

describe('Dockerfile', () => {
  const instructions = dockerfile.split('\n').filter((line) => /^[A-Z]+\s/.test(line));
  const stages = instructions.map((line, index) => (line.startsWith('FROM ') ? index : -1)).filter((index) => index >= 0);
  const finalStage = instructions.slice(stages.at(-1) ?? 0);

  it('builds on Node 20 (bookworm-slim)', () => {
    expect(finalStage[0]).toMatch(/^FROM node:20[.\d]*-bookworm-slim\b/);
  });

  it('builds the workflow bundle and points the worker at it', () => {
    expect(dockerfile).toMatch(/RUN npm run build:workflows/);
    expect(dockerfile).toMatch(/CRM_WORKFLOW_BUNDLE=\/app\/dist\/workflow-bundle\.js/);
    expect(CONFIG_VARIABLES.has('CRM_WORKFLOW_BUNDLE')).toBe(true);
  });

  it('runs as a non-root user', () => {
    const user = finalStage.filter((line) => line.startsWith('USER ')).pop();
    expect(user).toBeDefined();
    expect(user!.split(/\s+/)[1]).not.toMatch(/^(root|0)(:|$)/);
  });

  it('starts the API by default', () => {
    expect(finalStage.filter((line) => line.startsWith('CMD ')).pop()).toContain('api/server.ts');
  });

  it('keeps local state and dependencies out of the build context', () => {
    const ignored = read('.dockerignore').split('\n').map((line) => line.trim());
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.data', '.cache', 'dist', 'test-artifacts', '.git']));
  });
});
