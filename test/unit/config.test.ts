import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, demoUsersDecision, loadConfig, taskQueue } from '../../config';

describe('loadConfig', () => {
  it('runs everything locally when nothing is set', () => {
    const config = loadConfig({});
    expect(config.api.port).toBe(3000);
    expect(config.dataDir).toBe(path.resolve('.data'));
    expect(config.databaseUrl).toBeNull();
    expect(config.temporal).toMatchObject({
      address: 'localhost:7233',
      namespace: 'default',
      uiPort: 8233,
      uiUrl: 'http://localhost:8233',
      startDevServer: true,
      apiKey: null,
      taskQueuePrefix: '',
    });
    expect(config.temporal.tls.enabled).toBe(false);
    expect(config.worker.workflowBundlePath).toBeNull();
  });

  it('takes the port, data directory and database from the environment', () => {
    const config = loadConfig({ PORT: '4100', CRM_DATA_DIR: '/tmp/crm-b', DATABASE_URL: 'postgres://u:p@db:5432/crm' });
    expect(config.api.port).toBe(4100);
    expect(config.dataDir).toBe('/tmp/crm-b');
    expect(config.databaseUrl).toBe('postgres://u:p@db:5432/crm');
  });

  it('resolves a relative data directory against the working directory', () => {
    expect(loadConfig({ CRM_DATA_DIR: 'stack-b' }).dataDir).toBe(path.resolve('stack-b'));
  });

  it('uses an existing cluster instead of starting a dev server when TEMPORAL_ADDRESS is set', () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: 'temporal:7300' });
    expect(config.temporal.address).toBe('temporal:7300');
    expect(config.temporal.startDevServer).toBe(false);
  });

  it('puts the Web UI 1000 ports above the gRPC port unless TEMPORAL_UI_PORT says otherwise', () => {
    expect(loadConfig({ TEMPORAL_ADDRESS: 'localhost:7300' }).temporal).toMatchObject({ uiPort: 8300, uiUrl: 'http://localhost:8300' });
    expect(loadConfig({ TEMPORAL_ADDRESS: 'localhost:7300', TEMPORAL_UI_PORT: '9000' }).temporal).toMatchObject({ uiPort: 9000, uiUrl: 'http://localhost:9000' });
  });

  it('starts a dev server on another port when CRM_START_TEMPORAL asks for it', () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: 'localhost:7300', CRM_START_TEMPORAL: 'true' });
    expect(config.temporal.startDevServer).toBe(true);
  });

  it('turns TLS on for a Temporal Cloud API key', () => {
    const config = loadConfig({
      TEMPORAL_ADDRESS: 'us-east-1.aws.api.temporal.io:7233',
      TEMPORAL_NAMESPACE: 'crm.a1b2c',
      TEMPORAL_API_KEY: 'secret-key',
    });
    expect(config.temporal).toMatchObject({ address: 'us-east-1.aws.api.temporal.io:7233', namespace: 'crm.a1b2c', apiKey: 'secret-key', startDevServer: false });
    expect(config.temporal.tls.enabled).toBe(true);
  });

  it('turns TLS on for a client certificate and keeps the file paths', () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: 'crm.a1b2c.tmprl.cloud:7233', TEMPORAL_TLS_CERT: '/certs/client.pem', TEMPORAL_TLS_KEY: '/certs/client.key' });
    expect(config.temporal.tls).toMatchObject({ enabled: true, clientCertPath: '/certs/client.pem', clientKeyPath: '/certs/client.key', caPath: null });
  });

  it('lets TEMPORAL_TLS override the TLS default', () => {
    expect(loadConfig({ TEMPORAL_API_KEY: 'k', TEMPORAL_TLS: 'false' }).temporal.tls.enabled).toBe(false);
    expect(loadConfig({ TEMPORAL_TLS: 'true' }).temporal.tls.enabled).toBe(true);
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig({ PORT: '', DATABASE_URL: '', CRM_BOOTSTRAP_ADMIN_KEY: '', TEMPORAL_API_KEY: '' });
    expect(config.api.port).toBe(3000);
    expect(config.databaseUrl).toBeNull();
    expect(config.bootstrapAdminKey).toBeNull();
    expect(config.temporal.tls.enabled).toBe(false);
  });

  it.each(['abc', '-1', '3000.5'])('refuses PORT=%s and names the variable', (port) => {
    expect(() => loadConfig({ PORT: port })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: port })).toThrow(/PORT/);
  });

  it('refuses a flag that is neither true nor false and names the variable', () => {
    expect(() => loadConfig({ CRM_START_TEMPORAL: 'maybe' })).toThrow(ConfigError);
    expect(() => loadConfig({ CRM_START_TEMPORAL: 'maybe' })).toThrow(/CRM_START_TEMPORAL/);
  });
});

describe('taskQueue', () => {
  it('names the queue after the process', () => {
    expect(taskQueue(loadConfig({}), 'tickets')).toBe('crm-tickets');
  });

  it('puts CRM_TASK_QUEUE_PREFIX in front, so test runs and stacks do not share queues', () => {
    expect(taskQueue(loadConfig({ CRM_TASK_QUEUE_PREFIX: 'stack-b-' }), 'tickets')).toBe('stack-b-crm-tickets');
  });
});

describe('safe network defaults', () => {
  it('listens on loopback unless HOST says otherwise', () => {
    expect(loadConfig({}).api.host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).api.host).toBe('0.0.0.0');
  });

  it('seeds demo users on loopback only, unless CRM_DEMO_USERS decides', () => {
    expect(demoUsersDecision(loadConfig({}).api)).toEqual({ seed: true, reason: null });
    expect(demoUsersDecision(loadConfig({ HOST: 'localhost' }).api).seed).toBe(true);
    expect(demoUsersDecision(loadConfig({ HOST: '::1' }).api).seed).toBe(true);
    const exposed = demoUsersDecision(loadConfig({ HOST: '0.0.0.0' }).api);
    expect(exposed.seed).toBe(false);
    expect(exposed.reason).toBe('HOST=0.0.0.0 is reachable from other machines, so no demo users (keys for every role) are seeded; set CRM_DEMO_USERS=true to seed them anyway');
    expect(demoUsersDecision(loadConfig({ HOST: '192.168.1.20', CRM_DEMO_USERS: 'true' }).api)).toEqual({ seed: true, reason: null });
    expect(demoUsersDecision(loadConfig({ CRM_DEMO_USERS: 'false' }).api).seed).toBe(false);
    expect(() => loadConfig({ CRM_DEMO_USERS: 'maybe' })).toThrow(ConfigError);
  });
});
