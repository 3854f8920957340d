// Integration and e2e suites need the real broker and database: start them with the project's
// own scripts (idempotent; a second call returns at once when they are already up).
const { execFileSync } = require('node:child_process');
const { resolve } = require('node:path');

module.exports = async function globalSetup() {
  if (process.env.SKIP_INFRA_START === '1') return;
  const root = resolve(__dirname, '..');
  execFileSync('bash', [resolve(root, 'deploy/kafka/kafka.sh'), 'start'], { stdio: 'inherit' });
  execFileSync('bash', [resolve(root, 'deploy/postgres/ensure.sh')], { stdio: 'inherit' });
};
