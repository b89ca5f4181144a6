import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { CUSTOMER_PREFIX } from '../../domain/ids';
import { MANAGER_FILTERS } from '../../domain/manager-filters';
import { notFound } from '../problem';

/** Where the support console's static files live (plain ES modules and one CSS file, no build step). */
export const CONSOLE_DIR = fileURLToPath(new URL('../../console/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

// The page runs only its own scripts and styles and talks only to this origin; nothing inline, no frames.
const CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "img-src 'self' data:",
  "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'",
].join('; ');

interface Asset { body: Buffer; type: string; etag: string }

const asset = (body: Buffer, type: string): Asset => ({ body, type, etag: `"${createHash('sha1').update(body).digest('base64url')}"` });

/**
 * Third-party browser code the console uses, bundled from node_modules (never a CDN): URL name → file.
 * Chart.js's UMD build is one self-contained script that sets window.Chart.
 */
function vendorFiles(): Record<string, string> {
  let dir: string;
  try {
    dir = path.dirname(createRequire(import.meta.url).resolve('chart.js'));
  } catch {
    // Not installed yet (a checkout before `npm install`): the API still starts; the dashboard says its charts did not load.
    return {};
  }
  return { 'chart.umd.min.js': path.join(dir, 'chart.umd.min.js') };
}

function loadAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(dir)) {
    const type = CONTENT_TYPES[path.extname(name)];
    if (!type) continue;
    assets.set(name, asset(readFileSync(path.join(dir, name)), type));
  }
  for (const [name, file] of Object.entries(vendorFiles())) assets.set(`vendor/${name}`, asset(readFileSync(file), CONTENT_TYPES['.js']!));
  return assets;
}

/**
 * Serves the support console at /console. The files are read once at start-up, so a request never
 * touches the disk and no path from the URL ever reaches the file system. The page is public; every
 * API call it makes carries the user's bearer key.
 */
export const consoleRoutes: FastifyPluginAsync = async (app) => {
  const assets = loadAssets(CONSOLE_DIR);
  // What the dashboard needs to link to the Temporal UI's ready filters (README "For managers"), the business time
  // zone whose days the pages count, and the number prefixes by console page, for the header's Number box; no secrets.
  const prefixes = app.config.idPrefixes;
  assets.set('settings.json', asset(Buffer.from(JSON.stringify({
    temporalUi: { url: app.config.temporal.uiUrl.replace(/\/+$/, ''), namespace: app.config.temporal.namespace },
    managerFilters: MANAGER_FILTERS,
    businessTimeZone: app.config.business.timeZone,
    numberPrefixes: {
      tickets: [prefixes.ticket],
      orders: [prefixes.order],
      contracts: [...new Set([prefixes.contract, ...Object.values(prefixes.contractByType)])],
      customers: [CUSTOMER_PREFIX],
    },
  })), 'application/json; charset=utf-8'));

  function send(name: string, request: FastifyRequest, reply: FastifyReply) {
    const asset = assets.get(name);
    if (!asset) throw notFound('console file', name);
    // Revalidate every time: the files are tiny and a deploy must show at once.
    reply.header('cache-control', 'no-cache').header('etag', asset.etag)
      .header('content-security-policy', CSP).header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer');
    if (request.headers['if-none-match'] === asset.etag) return reply.status(304).send();
    return reply.type(asset.type).send(asset.body);
  }

  const options = { config: { public: true }, schema: { hide: true } };
  app.get('/console', options, (request, reply) => send('index.html', request, reply));
  app.get<{ Params: { '*': string } }>('/console/*', options, (request, reply) => send(request.params['*'] || 'index.html', request, reply));
};
