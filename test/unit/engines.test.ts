import { readFileSync } from 'node:fs';
import inject from 'light-my-request';
import { describe, expect, it } from 'vitest';

// `npm install` warns (EBADENGINE) about every installed package whose engines.node range excludes the
// Node version in use. package.json's engines.node is the oldest Node the project promises to run on, so
// every package of the lock file must admit it: a dependency that wants more is pinned back by an
// override (package.json "overrides") or the floor is raised.

type Version = [number, number, number];

const parse = (text: string): Version => {
  const [major = 0, minor = 0, patch = 0] = text.replace(/^v/, '').split('.').map((part) => Number.parseInt(part, 10) || 0);
  return [major, minor, patch];
};
const compare = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Whether `version` satisfies one comparator of a node-semver range (`>=20.9.0`, `^20.19`, `20`, `<24`). */
function satisfiesComparator(version: Version, comparator: string): boolean {
  if (comparator === '*' || comparator === 'x') return true;
  // "10.x" and "6.*" name a whole line, like "10" and "6".
  const match = /^(\^|~|>=|<=|>|<|=)?\s*v?(\d+(?:\.\d+){0,2})(?:\.[x*])*$/.exec(comparator);
  if (!match) throw new Error(`engines comparator not understood: ${comparator}`);
  const [, op = '', text] = match;
  const parts = text!.split('.').length;
  const bound = parse(text!);
  const c = compare(version, bound);
  switch (op) {
    case '>=': return c >= 0;
    case '>': return c > 0;
    case '<=': return c <= 0;
    case '<': return c < 0;
    case '^': return c >= 0 && version[0] === bound[0];
    case '~': return c >= 0 && version[0] === bound[0] && version[1] === bound[1];
    default: // "20" is 20.x.x, "20.19" is 20.19.x
      return version[0] === bound[0] && (parts < 2 || version[1] === bound[1]) && (parts < 3 || version[2] === bound[2]);
  }
}

export function satisfies(version: string, range: string): boolean {
  return range.split('||').some((alternative) => {
    const comparators = alternative.trim().replace(/(>=|<=|>|<|\^|~)\s+/g, '$1').split(/\s+/).filter(Boolean);
    return comparators.length === 0 || comparators.every((c) => satisfiesComparator(parse(version), c));
  });
}

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[]; optional?: boolean }>;
};

describe('the Node version floor', () => {
  const floor = /^>=\s*(\d+\.\d+(?:\.\d+)?)$/.exec(manifest.engines.node)?.[1];

  it('is a plain ">=" range', () => {
    expect(floor, manifest.engines.node).toBeDefined();
  });

  it('reads engines ranges the way npm does', () => {
    expect(satisfies('20.19.0', '^20.19.0 || >=22.12.0')).toBe(true);
    expect(satisfies('20.18.3', '^20.19.0 || >=22.12.0')).toBe(false);
    expect(satisfies('20.19.0', '>=22')).toBe(false);
    expect(satisfies('20.19.0', '^20.12||^22||>=24')).toBe(true);
    expect(satisfies('20.19.0', '18 || 20 || >=22')).toBe(true);
    expect(satisfies('20.19.0', '>= 18')).toBe(true);
    expect(satisfies('20.3.0', '^18.18.0 || ^20.9.0 || >=21.1.0')).toBe(false);
    expect(satisfies('20.19.0', '6.* || 8.* || >= 10.*')).toBe(true);
    expect(satisfies('20.19.0', '*')).toBe(true);
    expect(satisfies('20.19.0', '>=16 || 14 >=14.17')).toBe(true);
  });

  it('is admitted by every package npm installs, so `npm install` on that Node prints no engine warning', () => {
    const refusing = Object.entries(lock.packages)
      .filter(([path, pkg]) => path !== '' && !pkg.optional && pkg.engines && !Array.isArray(pkg.engines) && pkg.engines.node)
      .filter(([, pkg]) => !satisfies(floor!, (pkg.engines as { node: string }).node))
      .map(([path, pkg]) => `${path.replace(/^.*node_modules\//, '')}@${pkg.version} wants node ${(pkg.engines as { node: string }).node}`);
    expect(refusing, `package.json says node ${manifest.engines.node}`).toEqual([]);
  });
});

describe('the cookie override (light-my-request, which app.inject uses, on cookie 1.x)', () => {
  it('still sends the cookies a test gives it', async () => {
    const res = await inject((request, response) => response.end(request.headers.cookie), { url: '/', cookies: { session: 'a b', other: '1' } });
    expect(res.payload).toBe('session=a%20b; other=1');
  });
});
