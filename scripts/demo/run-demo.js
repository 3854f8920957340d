// `npm run demo`: installs what is missing, starts Kafka and PostgreSQL with the project's scripts, builds the
// services, then plays a month of a realistic enterprise through them (scripts/demo/demo.ts). Plain JavaScript
// because it must run before the dependencies that compile TypeScript are installed.
const { execFileSync, spawn } = require('node:child_process');
const { existsSync } = require('node:fs');
const { resolve } = require('node:path');

const root = resolve(__dirname, '../..');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

if (!existsSync(resolve(root, 'node_modules'))) run('bash', ['scripts/install.sh']);
run('bash', ['deploy/kafka/kafka.sh', 'start']);
run('bash', ['deploy/postgres/ensure.sh']);
console.log('Building the services…');
run('npm', ['run', '--silent', 'build']);

const demo = spawn(
  process.execPath,
  [
    '-r',
    resolve(root, 'test/support/ts-register.js'),
    resolve(root, 'scripts/demo/demo.ts'),
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit' },
);
process.on('SIGINT', () => demo.kill('SIGINT'));
demo.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
