import type { ConnectionLike } from '@temporalio/client';
import { status } from '@grpc/grpc-js';
import proto from '@temporalio/proto';
import { CRM_SEARCH_ATTRIBUTES } from '../domain/search-attributes';

/**
 * Registers SPEC §7's custom search attributes in the namespace, adding only the missing ones, so it
 * runs on every start against the dev server and a cluster alike. (Temporal Cloud namespaces are
 * configured through the cloud console or tcld; there the operator call is refused, and we say so
 * instead of failing.)
 */
export async function registerSearchAttributes(connection: ConnectionLike, namespace: string, log: (line: string) => void = console.warn): Promise<string[]> {
  let existing;
  try {
    existing = await connection.operatorService.listSearchAttributes({ namespace });
  } catch (error) {
    // Temporal Cloud refuses the operator API; its namespaces get their attributes through the cloud console or tcld.
    if (isRefused(error)) {
      log(`[crmflow] cannot list search attributes in ${namespace} (${(error as Error).message}); register ${CRM_SEARCH_ATTRIBUTES.map((k) => k.name).join(', ')} with tcld`);
      return [];
    }
    throw error;
  }
  const known = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = CRM_SEARCH_ATTRIBUTES.filter((key) => !known.has(key.name));
  if (missing.length === 0) return [];
  const searchAttributes = Object.fromEntries(missing.map((key) => [key.name, proto.temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${key.type}`]]));
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  await waitUntilVisible(connection, namespace, missing.map((key) => key.name));
  return missing.map((key) => key.name);
}

async function waitUntilVisible(connection: ConnectionLike, namespace: string, names: string[]): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const listed = await connection.operatorService.listSearchAttributes({ namespace });
    if (names.every((name) => name in (listed.customAttributes ?? {}))) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`search attributes ${names.join(', ')} were added but did not become visible`);
}

function isRefused(error: unknown): boolean {
  const code = (error as { code?: number }).code;
  return code === status.PERMISSION_DENIED || code === status.UNIMPLEMENTED || code === status.UNAUTHENTICATED;
}
