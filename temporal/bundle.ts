import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflows } from './worker';

// Production workers load this pre-built bundle (CRM_WORKFLOW_BUNDLE) instead of bundling at start.
const out = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, await bundleWorkflows());
console.log(`workflow bundle written to ${out}`);
