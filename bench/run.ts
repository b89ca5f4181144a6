import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { FIGURES } from './figures';
import { startBenchEnvironment, type BenchEnvironment } from './lib/environment';
import type { FigureResult, Size } from './lib/figure';
import { lineChart } from './lib/plot';

export interface BenchRun {
  date: string;
  size: Size;
  machine: BenchEnvironment['machine'];
  figures: Record<string, FigureResult['data'] & { title: string; seconds: number }>;
}

/**
 * Runs the figures one after another (each would disturb the others' timings) and writes
 * `<outDir>/<date>.json`, `<outDir>/<date>.md` and the plots under `<outDir>/<date>/`.
 */
export async function runBench(options: { size: Size; only?: string[]; outDir: string; environment?: BenchEnvironment; log?: (line: string) => void; tag?: string }): Promise<BenchRun> {
  const log = options.log ?? ((line: string) => console.log(line));
  const figures = FIGURES.filter((f) => !options.only?.length || options.only.some((o) => f.id === o || f.id.startsWith(`${o}-`)));
  const environment = options.environment ?? (await startBenchEnvironment());
  // A tag tells apart two runs of one day (before and after a change): results/<date>-<tag>.json.
  const date = new Date().toISOString().slice(0, 10);
  const name = options.tag ? `${date}-${options.tag}` : date;
  const plotDir = path.join(options.outDir, name);
  await mkdir(plotDir, { recursive: true });
  const run: BenchRun = { date, size: options.size, machine: environment.machine, figures: {} };
  const sections: string[] = [];
  try {
    for (const figure of figures) {
      log(`[bench] ${figure.id}: ${figure.title} (${options.size})`);
      const started = performance.now();
      const result = await figure.run(environment, options.size);
      const seconds = Math.round((performance.now() - started) / 100) / 10;
      run.figures[figure.id] = { title: figure.title, seconds, ...result.data };
      const images: string[] = [];
      for (const plot of result.plots ?? []) {
        await writeFile(path.join(plotDir, plot.file), lineChart(plot));
        images.push(`![${plot.title}](${name}/${plot.file})`);
      }
      sections.push(`## ${figure.id.split('-')[0]}. ${figure.title}\n\n${result.markdown.trim()}\n\n${images.join('\n\n')}`.trim());
      log(`[bench] ${figure.id} done in ${seconds}s`);
    }
  } finally {
    if (!options.environment) await environment.stop();
  }
  const m = run.machine;
  const header = `# crmflow benchmarks, ${date}${options.tag ? ` (${options.tag})` : ''} (${options.size})\n\nMachine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}.\n` +
    'Every figure is measured next to its baseline in the same run; read the ratios, not the absolute numbers.';
  await writeFile(path.join(options.outDir, `${name}.json`), `${JSON.stringify(run, null, 2)}\n`);
  await writeFile(path.join(options.outDir, `${name}.md`), `${[header, ...sections].join('\n\n')}\n`);
  return run;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { size: { type: 'string', default: 'full' }, only: { type: 'string', multiple: true }, out: { type: 'string' }, tag: { type: 'string' } } });
  if (values.tag !== undefined && !/^[a-z0-9-]{1,32}$/.test(values.tag)) throw new Error('--tag is 1-32 of a-z, 0-9 and -');
  if (values.size !== 'full' && values.size !== 'smoke') throw new Error('--size is smoke or full');
  const outDir = path.resolve(values.out ?? path.join(import.meta.dirname, 'results'));
  // The workers' state changes would bury the progress lines.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  await runBench({ size: values.size, only: values.only, outDir, tag: values.tag });
  console.log(`[bench] results in ${outDir}`);
  process.exit(0);
}
