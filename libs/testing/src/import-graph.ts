import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';

/** One relative import between two source files of an app, both as paths from the app's `src` without extension. */
export interface ImportEdge {
  from: string;
  to: string;
}

/** Every `.ts` source file below `dir` (specs excluded), by its path from `dir` with `/` separators. */
export function sourceFilesOf(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!entry.endsWith('.ts') || /\.(int-|e2e-)?spec\.ts$/.test(entry)) continue;
    files.set(relative(dir, join(dir, entry)).split(sep).join('/'), readFileSync(join(dir, entry), 'utf8'));
  }
  return files;
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

/** Every relative import (`import … from`, `export … from`, `import()`, `require()`) of the files, resolved within their root. */
export function importsOf(files: ReadonlyMap<string, string>): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const [file, text] of files) {
    for (const match of text.matchAll(IMPORT)) {
      const to = posix.normalize(posix.join(posix.dirname(file), match[1]));
      if (!to.startsWith('..')) edges.push({ from: file, to });
    }
  }
  return edges;
}

/** The top folder of a path inside src, or null for a file at src's root. */
export function folderOf(path: string): string | null {
  return path.includes('/') ? path.slice(0, path.indexOf('/')) : null;
}

export interface LayerRule {
  /**
   * The app's folders from the first to the last: a folder may import the folders before it, never one after it nor
   * one of its own rank. A rank is a folder or a list of folders that do not import each other.
   */
  order: ReadonlyArray<string | readonly string[]>;
  /** Root files that compose the app (its module, main): no folder imports them. */
  compositionRoots: readonly string[];
}

/**
 * Files that are the edge or compose it wherever their feature keeps them: an HTTP controller calls its use cases, a
 * Nest module wires its folder's providers with them. They may import any folder but the composition roots.
 */
const EDGE_FILE = /\.(controller|module)\.ts$/;

/**
 * The imports that break an app's one-way order, as `from → to`, plus `unplaced: folder` for a folder the order does
 * not name (a new folder must be given its place). Controllers and Nest modules may import any folder (EDGE_FILE);
 * nothing may import the composition roots.
 */
export function layerViolations(edges: readonly ImportEdge[], rule: LayerRule): string[] {
  const rank = new Map<string, number>();
  rule.order.forEach((entry, index) => {
    for (const folder of typeof entry === 'string' ? [entry] : entry) rank.set(folder, index);
  });
  const bad = new Set<string>();
  const isRoot = (to: string) =>
    rule.compositionRoots.some((root) => to === root.replace(/\.ts$/, '') || to === root);
  for (const { from, to } of edges) {
    const source = folderOf(from);
    const target = folderOf(to);
    for (const folder of [source, target])
      if (folder !== null && !rank.has(folder)) bad.add(`unplaced: ${folder}`);
    if (target === null) {
      if (isRoot(to) && source !== null) bad.add(`${from} → ${to}`);
      continue;
    }
    if (source === null || source === target || EDGE_FILE.test(from)) continue;
    const sourceRank = rank.get(source);
    const targetRank = rank.get(target);
    if (sourceRank === undefined || targetRank === undefined) continue;
    if (targetRank >= sourceRank) bad.add(`${from} → ${to}`);
  }
  return [...bad].sort();
}
