import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ADVISORY_LOCK_CLASSES } from './advisory-lock-classes';

const ROOT = join(__dirname, '../../..');

/** Files that cannot take their class from the registry, with the registry entry their literal must equal (none). */
const LITERAL_ALLOWED: Record<string, keyof typeof ADVISORY_LOCK_CLASSES> = {};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(path);
    return /\.ts$/.test(entry.name) && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** `SOMETHING_LOCK_CLASS = 7_300_101` or a number written straight into pg_advisory_*lock(...). */
function literalClasses(text: string): number[] {
  const found = [
    ...text.matchAll(/LOCK_CLASS\s*=\s*([\d_]+)/g),
    ...text.matchAll(/advisory_\w*lock\(\s*([\d_]+)/g),
  ];
  return found.map((m) => Number(m[1].replace(/_/g, '')));
}

describe('advisory lock classes', () => {
  it('gives every use its own class', () => {
    const classes = Object.values(ADVISORY_LOCK_CLASSES);
    expect(new Set(classes).size).toBe(classes.length);
  });

  it('is where every service takes its class from (no class written as a number anywhere else)', () => {
    const strays: string[] = [];
    for (const file of [...sources(join(ROOT, 'libs')), ...sources(join(ROOT, 'apps'))]) {
      const path = relative(ROOT, file);
      if (path === 'libs/persistence/src/advisory-lock-classes.ts') continue;
      for (const value of literalClasses(readFileSync(file, 'utf8'))) {
        const allowed = LITERAL_ALLOWED[path];
        if (!allowed || ADVISORY_LOCK_CLASSES[allowed] !== value) strays.push(`${path}: ${value}`);
      }
    }
    expect(strays).toEqual([]);
  });
});
