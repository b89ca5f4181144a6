import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { runBench } from '../../bench/run';
import { FIGURES } from '../../bench/figures';
import { machineInfo } from '../../bench/lib/environment';

// The benchmark code at its smallest size against the test run's servers, so it keeps working.
// Timing is never asserted here: only that every figure ran and wrote what it says it measured.
describe('npm run bench (smoke size)', () => {
  it('runs every figure and writes the results, the summary and the plots', async () => {
    const outDir = await mkdtemp(path.join(os.tmpdir(), 'crmflow-bench-'));
    try {
      const environment = { ...inject('crm'), machine: machineInfo(), stop: async () => {} };
      const run = await runBench({ size: 'smoke', outDir, environment, log: () => {} });
      expect(Object.keys(run.figures)).toEqual(FIGURES.map((f) => f.id));
      const written = JSON.parse(await readFile(path.join(outDir, `${run.date}.json`), 'utf8'));
      expect(written.figures).toEqual(JSON.parse(JSON.stringify(run.figures)));
      const summary = await readFile(path.join(outDir, `${run.date}.md`), 'utf8');
      for (const figure of FIGURES) expect(summary).toContain(figure.title);
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  }, 600_000);
});
