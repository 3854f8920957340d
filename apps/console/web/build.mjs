// Bundles the finance console's single-page app into dist/console-web: index.html plus content-hashed, minified
// assets/*.js and *.css. The page has no inline script (the console serves it under `script-src 'self'`).
// `node apps/console/web/build.mjs [--dev]`: --dev keeps names readable and writes sourcemaps.
import { build } from 'esbuild';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const outdir = join(root, 'dist', 'console-web');
const assets = join(outdir, 'assets');
const dev = process.argv.includes('--dev');

await rm(outdir, { recursive: true, force: true });
await mkdir(assets, { recursive: true });

const result = await build({
  entryPoints: { main: join(here, 'src', 'main.tsx') },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
  outdir: assets,
  entryNames: '[name]-[hash]',
  chunkNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  publicPath: '/assets',
  minify: !dev,
  sourcemap: dev,
  legalComments: 'none',
  metafile: true,
  jsx: 'automatic',
  tsconfig: join(here, 'tsconfig.json'),
  define: { 'process.env.NODE_ENV': JSON.stringify(dev ? 'development' : 'production') },
  logLevel: 'warning',
});

const outputs = Object.entries(result.metafile.outputs);
const entry = outputs.find(([, o]) => o.entryPoint && o.entryPoint.endsWith('main.tsx'));
if (!entry) throw new Error('esbuild produced no entry chunk');
const [entryPath, entryOutput] = entry;
const url = (file) => '/assets/' + basename(file);
const css = entryOutput.cssBundle ? `\n    <link rel="stylesheet" href="${url(entryOutput.cssBundle)}" />` : '';

const html = `<!doctype html>
<html lang="zh-CN">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>发票同步与对账 · Invoice console</title>${css}
    <script type="module" src="${url(entryPath)}"></script>
  </head>
  <body>
    <div id="root"></div>
    <noscript>This console needs JavaScript. 本控制台需要启用 JavaScript。</noscript>
  </body>
</html>
`;
await writeFile(join(outdir, 'index.html'), html);

for (const [file, o] of outputs) {
  if (!file.endsWith('.map')) console.log(`${relative(root, file).padEnd(60)} ${(o.bytes / 1024).toFixed(1)} KiB`);
}
