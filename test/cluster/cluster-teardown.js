// Stops the cluster cluster-setup.js started (never the single node, which other suites use).
const { execFileSync } = require('node:child_process');
const { resolve } = require('node:path');

module.exports = async function clusterTeardown() {
  execFileSync('bash', [resolve(__dirname, '../../deploy/kafka/kafka.sh'), 'cluster', 'stop'], {
    stdio: 'inherit',
  });
};
