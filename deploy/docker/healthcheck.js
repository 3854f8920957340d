// Container health check: healthy when every path answers 2xx on the service's port. Services check /healthz (the
// process is alive) and /readyz (its dependencies answer) on PORT; the console listens on CONSOLE_PORT (default 3004)
// instead; the sandbox overrides both (HEALTHCHECK_PORT, HEALTHCHECK_PATHS). No curl in the slim image, so Node's fetch
// does it.
'use strict';

const servicePort =
  process.env.APP === 'console' ? process.env.CONSOLE_PORT || '3004' : process.env.PORT || '3000';
const port = process.env.HEALTHCHECK_PORT || servicePort;
const paths = (process.env.HEALTHCHECK_PATHS || '/healthz,/readyz').split(',').filter(Boolean);
const timeoutMs = Number(process.env.HEALTHCHECK_TIMEOUT_MS || 3000);

async function check(path) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
}

paths
  .reduce((previous, path) => previous.then(() => check(path)), Promise.resolve())
  .then(
    () => process.exit(0),
    (error) => {
      console.error(`unhealthy: ${error.message}`);
      process.exit(1);
    },
  );
