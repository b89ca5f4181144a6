import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parsePayloadKeys, type Config } from '../config';

/** Where `npm start` keeps the payload key it generated when none was configured. */
export const payloadKeyFile = (config: Config) => path.join(config.dataDir, 'payload-keys');

/**
 * The configuration with payload encryption keys: CRM_PAYLOAD_KEYS when set, else the key file under
 * the data directory. With `create` (npm start, one machine) a missing file is generated, readable by
 * its owner only; separate API and worker processes (docker compose) must share CRM_PAYLOAD_KEYS, since
 * each generating its own key would leave them unable to read each other's payloads.
 */
export async function withPayloadKeys(config: Config, options: { create: boolean }): Promise<Config> {
  if (config.temporal.payloadKeys.length > 0) return config;
  const file = payloadKeyFile(config);
  let content = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (content === null) {
    if (!options.create) return config;
    content = `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}:${randomBytes(32).toString('base64')}\n`;
    await writeFile(file, content, { mode: 0o600, flag: 'wx' });
  }
  const keys = parsePayloadKeys(content.split('\n').join(','), file);
  // The last line is current, so a rotation appends a line.
  return { ...config, temporal: { ...config.temporal, payloadKeys: keys, payloadKeyId: keys.at(-1)?.id ?? null } };
}
