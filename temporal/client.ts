import { readFile } from 'node:fs/promises';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { Config } from '../config';
import { dataConverter } from './codec';

// One Client and one NativeConnection per process; TLS and API key settings reach Temporal Cloud.
async function tlsOptions(config: Config): Promise<ConnectionOptions['tls']> {
  const { tls } = config.temporal;
  if (!tls.enabled) return undefined;
  const clientCertPair = tls.clientCertPath && tls.clientKeyPath
    ? { crt: await readFile(tls.clientCertPath), key: await readFile(tls.clientKeyPath) }
    : undefined;
  return {
    serverNameOverride: tls.serverName ?? undefined,
    serverRootCACertificate: tls.caPath ? await readFile(tls.caPath) : undefined,
    clientCertPair,
  };
}

export async function connectClient(config: Config): Promise<Client> {
  const connection = await Connection.connect({
    address: config.temporal.address,
    tls: await tlsOptions(config),
    apiKey: config.temporal.apiKey ?? undefined,
  });
  return new Client({ connection, namespace: config.temporal.namespace, dataConverter: dataConverter(config) });
}

export async function connectWorker(config: Config): Promise<NativeConnection> {
  const options: NativeConnectionOptions = {
    address: config.temporal.address,
    tls: (await tlsOptions(config)) as NativeConnectionOptions['tls'],
    apiKey: config.temporal.apiKey ?? undefined,
  };
  return NativeConnection.connect(options);
}
