// The cluster suite's infrastructure: PostgreSQL and the single node as for the integration suites, and the suite's
// own three-node cluster, started once for all its files (a start takes a minute or more on two cores) and stopped by
// cluster-teardown.js. Files still call `kafka.sh cluster start` (at once when it runs) so that one can run alone.
const { execFileSync } = require('node:child_process');
const { resolve } = require('node:path');
const integrationSetup = require('../integration-setup');

module.exports = async function clusterSetup() {
  await integrationSetup();
  execFileSync('bash', [resolve(__dirname, '../../deploy/kafka/kafka.sh'), 'cluster', 'start'], {
    stdio: 'inherit',
  });
};
