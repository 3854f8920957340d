// Starts the whole system locally. The scenario that plays a month of invoices arrives with the
// services themselves; until then this brings every service up and shows where to look.
const { execFileSync, spawn } = require('node:child_process');
const { existsSync, mkdirSync, openSync } = require('node:fs');
const { resolve } = require('node:path');

const root = resolve(__dirname, '../..');
const once = process.argv.includes('--once');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

const SERVICES = [
  { app: 'device-gateway', port: 3000 },
  { app: 'sync', port: 3001 },
  { app: 'reconcile', port: 3002 },
  { app: 'notifier', port: 3003 },
];

async function waitReady(url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).status === 200) return true;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}

async function main() {
  if (!existsSync(resolve(root, 'node_modules'))) run('bash', ['scripts/install.sh']);
  run('bash', ['deploy/kafka/kafka.sh', 'start']);
  run('bash', ['deploy/postgres/ensure.sh']);
  run('npm', ['run', '--silent', 'build']);

  const logs = resolve(root, '.cache/demo');
  mkdirSync(logs, { recursive: true });
  const children = SERVICES.map(({ app, port }) =>
    spawn(process.execPath, [resolve(root, `dist/apps/${app}/src/main.js`)], {
      cwd: root,
      env: { ...process.env, PORT: String(port), HTTP_HOST: '127.0.0.1' },
      stdio: ['ignore', openSync(resolve(logs, `${app}.log`), 'a'), openSync(resolve(logs, `${app}.log`), 'a')],
    }),
  );
  const stopAll = () => children.forEach((c) => c.kill('SIGTERM'));
  process.on('SIGINT', () => (stopAll(), process.exit(130)));

  let ok = true;
  for (const { app, port } of SERVICES) {
    const ready = await waitReady(`http://127.0.0.1:${port}/readyz`);
    ok &&= ready;
    console.log(`${ready ? 'ready ' : 'FAILED'}  ${app.padEnd(15)} http://127.0.0.1:${port}  (docs /docs, metrics /metrics, logs .cache/demo/${app}.log)`);
  }
  console.log('\nNext step for this demo: playing a month of a realistic enterprise (devices, invoices, outages, reconciliation, alerts).');
  if (once) {
    stopAll();
    process.exit(ok ? 0 : 1);
  }
  console.log('Services are running; press Ctrl-C to stop them.');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
