// scripts/install.sh and scripts/check-lock.js: the install installs exactly the lock or stops with what to do, and
// never rewrites package-lock.json. Each case runs the real scripts in a throwaway project with no dependencies to
// fetch, so it needs no registry; the repository's own lock is checked for the holes that broke a fresh machine.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { findHoles } = require('../../scripts/check-lock.js') as {
  findHoles: (lock: unknown) => { from: string; missing: string }[];
};

const repoRoot = resolve(__dirname, '..', '..');
const SCRIPTS = ['install.sh', 'check-lock.js', 'node-runtime.sh'];

function project(pkg: object, lock: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'install-script-'));
  mkdirSync(join(dir, 'scripts'));
  for (const f of SCRIPTS) copyFileSync(join(repoRoot, 'scripts', f), join(dir, 'scripts', f));
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(lock, null, 2));
  return dir;
}

function install(dir: string) {
  const result = spawnSync('bash', ['scripts/install.sh'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, npm_config_cache: join(dir, '.npm-cache'), npm_config_offline: 'true' },
    timeout: 120_000,
  });
  return { status: result.status, stderr: result.stderr };
}

const emptyLock = (name: string, dependencies?: Record<string, string>) => ({
  name,
  version: '1.0.0',
  lockfileVersion: 3,
  requires: true,
  packages: { '': { name, version: '1.0.0', ...(dependencies ? { dependencies } : {}) } },
});

describe('check-lock', () => {
  it('finds no hole in the repository lock', () => {
    expect(findHoles(JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')))).toEqual([]);
  });

  it('names every optional platform package a locked package declares but the lock lacks', () => {
    const lock = {
      packages: {
        '': { name: 'x' },
        'node_modules/@swc/core': {
          version: '1.0.0',
          optionalDependencies: { '@swc/core-linux-x64-gnu': '1.0.0', '@swc/core-darwin-arm64': '1.0.0' },
        },
        'node_modules/@swc/core-linux-x64-gnu': { version: '1.0.0', optional: true },
      },
    };
    expect(findHoles(lock)).toEqual([{ from: 'node_modules/@swc/core', missing: '@swc/core-darwin-arm64' }]);
  });

  it('resolves an optional dependency nested under its dependant, or hoisted above it', () => {
    const lock = {
      packages: {
        'node_modules/a': { optionalDependencies: { b: '1', c: '1' } },
        'node_modules/a/node_modules/b': {},
        'node_modules/c': {},
      },
    };
    expect(findHoles(lock)).toEqual([]);
  });
});

describe('scripts/install.sh', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('installs a lock that matches package.json', () => {
    const dir = project({ name: 'ok', version: '1.0.0' }, emptyLock('ok'));
    dirs.push(dir);
    const { status, stderr } = install(dir);
    expect({ status, stderr: stderr.replace(/node-runtime:.*\n/g, '') }).toEqual({ status: 0, stderr: '' });
  });

  it('stops on a lock that package.json has outgrown, says what to do, and leaves the lock as it was', () => {
    const lock = emptyLock('stale');
    // A local package: npm ci compares it with the lock without asking a registry.
    const dir = project({ name: 'stale', version: '1.0.0', dependencies: { helper: 'file:./helper' } }, lock);
    dirs.push(dir);
    mkdirSync(join(dir, 'helper'));
    writeFileSync(join(dir, 'helper', 'package.json'), JSON.stringify({ name: 'helper', version: '1.0.0' }));
    const before = readFileSync(join(dir, 'package-lock.json'), 'utf8');
    const { status, stderr } = install(dir);
    expect(status).toBe(1);
    expect(stderr).toContain('package-lock.json does not match package.json');
    expect(stderr).toContain('npm install --package-lock-only');
    expect(readFileSync(join(dir, 'package-lock.json'), 'utf8')).toBe(before);
  });

  it('stops before npm ci on a lock with holes, naming them', () => {
    const lock = emptyLock('holes', { a: '1.0.0' });
    Object.assign(lock.packages, {
      'node_modules/a': { version: '1.0.0', optionalDependencies: { 'a-darwin-arm64': '1.0.0' } },
    });
    const dir = project({ name: 'holes', version: '1.0.0', dependencies: { a: '1.0.0' } }, lock);
    dirs.push(dir);
    const { status, stderr } = install(dir);
    expect(status).toBe(1);
    expect(stderr).toContain('a-darwin-arm64 (optional dependency of node_modules/a)');
    expect(stderr).not.toContain('npm error');
  });
});
