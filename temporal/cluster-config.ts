import { DEV_SERVER_DYNAMIC_CONFIG } from './dev-server';

/**
 * History shards of the `npm run cluster` and docker-compose clusters. Fixed when a cluster's database
 * is first set up and never changeable afterwards: the server keeps the persisted count and only logs a
 * warning when its configuration names another, so a different count means a new cluster and a
 * migration of every workflow. 4 spreads the history
 * service's work over several shard locks and transfer queues on one small machine; see README
 * "Production" for what a bigger installation would choose.
 */
export const NUM_HISTORY_SHARDS = 4;

/** The four services of a Temporal Server, each its own process in the cluster, started in this order. */
export const CLUSTER_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type ClusterService = (typeof CLUSTER_SERVICES)[number];

export interface ClusterPorts {
  grpc: Record<ClusterService, number>;
  membership: Record<ClusterService, number>;
}

/**
 * Every service port follows from the frontend's, the way Temporal's own defaults do (frontend 7233,
 * history 7234, matching 7235, worker 7239; membership 6933-6939), so one setting (TEMPORAL_ADDRESS)
 * moves a whole cluster out of another's way.
 */
export function clusterPorts(frontendPort: number): ClusterPorts {
  const offsets: Record<ClusterService, number> = { frontend: 0, history: 1, matching: 2, worker: 6 };
  const ports = (base: number) => Object.fromEntries(CLUSTER_SERVICES.map((s) => [s, base + offsets[s]])) as Record<ClusterService, number>;
  return { grpc: ports(frontendPort), membership: ports(frontendPort - 300) };
}

export interface ClusterDatabase {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Workflow histories, shards, task queues, cluster membership. */
  persistence: string;
  /** Advanced visibility on SQL: the list filters of the UI and of `temporal workflow list`. */
  visibility: string;
}

const sqlStore = (db: ClusterDatabase, databaseName: string, maxConns: number) => ({
  sql: {
    pluginName: 'postgres12',
    databaseName,
    connectAddr: `${db.host}:${db.port}`,
    connectProtocol: 'tcp',
    user: db.user,
    password: db.password,
    maxConns,
    maxIdleConns: maxConns,
    maxConnLifetime: '1h',
  },
});

/**
 * The one server configuration all four service processes read (shaped after the server module's
 * config/development-postgres12.yaml). Each process runs only its own service (`start --service`), so
 * the other services' sections tell it where to find its peers' membership; peers find each other
 * through the cluster_membership table in the persistence database.
 */
export function serverConfig(o: { db: ClusterDatabase; ports: ClusterPorts; dynamicConfigFile: string; logLevel?: string }) {
  const services = Object.fromEntries(CLUSTER_SERVICES.map((s) => [s, {
    rpc: { grpcPort: o.ports.grpc[s], membershipPort: o.ports.membership[s], bindOnLocalHost: true },
  }]));
  return {
    log: { stdout: true, level: o.logLevel ?? 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: NUM_HISTORY_SHARDS,
      datastores: {
        // Four processes each open their own pools: within the embedded PostgreSQL's 200 connections
        // together with the API and both crmflow workers.
        'postgres-default': sqlStore(o.db, o.db.persistence, 20),
        'postgres-visibility': sqlStore(o.db, o.db.visibility, 5),
      },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services,
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${o.ports.grpc.frontend}` } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: o.dynamicConfigFile, pollInterval: '10s' },
  };
}

/** The dev server's tuned settings (see DEV_SERVER_DYNAMIC_CONFIG) in the server's dynamic config file format. */
export function dynamicConfig() {
  return Object.fromEntries(Object.entries(DEV_SERVER_DYNAMIC_CONFIG).map(([key, value]) => [key, [{ value }]]));
}

/** The Web UI server's configuration: the cluster's frontend, on loopback like everything else here. */
export function uiServerConfig(o: { frontendPort: number; uiPort: number; namespace: string }) {
  return {
    temporalGrpcAddress: `127.0.0.1:${o.frontendPort}`,
    host: '127.0.0.1',
    port: o.uiPort,
    enableUi: true,
    defaultNamespace: o.namespace,
    notifyOnNewVersion: false,
    refreshInterval: '1m',
    cors: { cookieInsecure: true, allowOrigins: [] },
  };
}
