#!/usr/bin/env node
// Checks that package-lock.json can be installed with `npm ci` on any platform: every optional dependency that a
// locked package declares (the per-platform binaries of @swc/core, @unrs/resolver-binding, ...) has its own entry.
// npm ci refuses a lock that lacks them (EUSAGE "Missing: ... from lock file") on every machine, even one that would
// never install them, and a registry that did not serve them when the lock was written leaves such holes.
// Exit 0: complete; 1: holes, listed; 2: no readable lock. `--json` prints the result as JSON.
'use strict';
const { readFileSync } = require('node:fs');
const { join, dirname } = require('node:path');

function resolveEntry(packages, fromPath, name) {
  // Node's resolution over the lock's flat paths: node_modules/a/node_modules/b, then node_modules/b.
  let dir = fromPath;
  for (;;) {
    const candidate = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!dir) return undefined;
    const parent = dir.lastIndexOf('/node_modules/');
    dir = parent < 0 ? '' : dir.slice(0, parent);
  }
}

function findHoles(lock) {
  const packages = lock.packages ?? {};
  const holes = [];
  for (const [path, entry] of Object.entries(packages)) {
    if (entry.link) continue;
    for (const name of Object.keys(entry.optionalDependencies ?? {})) {
      if (!resolveEntry(packages, path, name)) holes.push({ from: path || '(root)', missing: name });
    }
  }
  return holes;
}

function main() {
  const root = process.argv.find((a, i) => i > 1 && !a.startsWith('--')) ?? join(dirname(__filename), '..');
  let lock;
  try {
    lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  } catch (error) {
    console.error(`check-lock: cannot read ${join(root, 'package-lock.json')}: ${error.message}`);
    process.exit(2);
  }
  const holes = findHoles(lock);
  if (process.argv.includes('--json')) console.log(JSON.stringify({ complete: holes.length === 0, holes }));
  if (holes.length === 0) return;
  console.error(`check-lock: package-lock.json lacks ${holes.length} optional package(s) that npm ci requires:`);
  for (const h of holes.slice(0, 20)) console.error(`  ${h.missing} (optional dependency of ${h.from})`);
  if (holes.length > 20) console.error(`  ... and ${holes.length - 20} more`);
  console.error(
    'check-lock: on a machine that reaches the full npm registry run `npm install --package-lock-only`, ' +
      'then `node scripts/check-lock.js`, and commit package-lock.json.',
  );
  process.exit(1);
}

if (require.main === module) main();
module.exports = { findHoles };
