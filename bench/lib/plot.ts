/**
 * A small dependency-free SVG line chart: one or more series over a shared numeric x axis (concurrency,
 * say). Good enough for bench/results; not a charting library.
 */
export interface Series {
  name: string;
  points: Array<[x: number, y: number]>;
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];

export function lineChart(options: { title: string; xLabel: string; yLabel: string; series: Series[]; logX?: boolean; width?: number; height?: number }): string {
  const height = options.height ?? 360;
  // The legend sits to the right of the plot and is as wide as its longest name (about 7 px a character at 12 px).
  const legendWidth = 50 + 7 * Math.max(...options.series.map((s) => s.name.length), 10);
  const width = (options.width ?? 480) + legendWidth;
  const m = { left: 70, right: legendWidth, top: 40, bottom: 50 };
  const points = options.series.flatMap((s) => s.points);
  const fx = (x: number) => (options.logX ? Math.log2(x) : x);
  const xs = points.map(([x]) => fx(x));
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs, xMin + 1);
  const yMax = niceCeiling(Math.max(...points.map(([, y]) => y), 0));
  const px = (x: number) => m.left + ((fx(x) - xMin) / (xMax - xMin)) * (width - m.left - m.right);
  const py = (y: number) => height - m.bottom - (y / yMax) * (height - m.top - m.bottom);
  const xTicks = [...new Set(points.map(([x]) => x))].sort((a, b) => a - b);
  const yTicks = Array.from({ length: 6 }, (_, i) => (yMax * i) / 5);
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2 - m.right / 2 + m.left / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${esc(options.title)}</text>`,
    ...yTicks.map((y) => `<line x1="${m.left}" x2="${width - m.right}" y1="${py(y)}" y2="${py(y)}" stroke="#eee"/><text x="${m.left - 6}" y="${py(y) + 4}" text-anchor="end">${format(y)}</text>`),
    ...xTicks.map((x) => `<text x="${px(x)}" y="${height - m.bottom + 16}" text-anchor="middle">${format(x)}</text>`),
    `<line x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${height - m.bottom}" stroke="black"/>`,
    `<line x1="${m.left}" x2="${width - m.right}" y1="${height - m.bottom}" y2="${height - m.bottom}" stroke="black"/>`,
    `<text x="${(m.left + width - m.right) / 2}" y="${height - 12}" text-anchor="middle">${esc(options.xLabel)}</text>`,
    `<text transform="translate(18 ${(m.top + height - m.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(options.yLabel)}</text>`,
  ];
  options.series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length];
    const sorted = [...s.points].sort((a, b) => a[0] - b[0]);
    parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${sorted.map(([x, y]) => `${px(x)},${py(y)}`).join(' ')}"/>`);
    for (const [x, y] of sorted) parts.push(`<circle cx="${px(x)}" cy="${py(y)}" r="3" fill="${colour}"/>`);
    const ly = m.top + 10 + i * 18;
    parts.push(`<line x1="${width - m.right + 12}" x2="${width - m.right + 32}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="2"/><text x="${width - m.right + 38}" y="${ly + 4}">${esc(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

function niceCeiling(v: number): number {
  if (v <= 0) return 1;
  const step = 10 ** Math.floor(Math.log10(v));
  for (const k of [1, 2, 2.5, 5, 10]) if (k * step >= v) return k * step;
  return 10 * step;
}

const format = (v: number) => (Math.abs(v) >= 1000 ? `${(v / 1000).toFixed(v % 1000 === 0 ? 0 : 1)}k` : Number.isInteger(v) ? String(v) : v.toFixed(1));
