#!/usr/bin/env bash
# Sourced by the project's scripts (install, test, demo, bench, CI): puts a supported Node.js LTS first on PATH.
#
# Supported: Node 22, 24 and 26 (opossum 10 needs 22 or later); CI, the Docker image and the Helm chart run 24.
# The machine's `node` is used when its major version is supported (and, with NODE_REQUIRE_MAJOR set, is that
# major). Otherwise Node ${NODE_PINNED} is installed once from the npm registry's `node-<platform>-<arch>` package
# (a binary shipped inside a registry package, nothing downloaded from elsewhere) into .cache/node/ and used from
# there; npm, npx and every process the scripts start then run on it.
#
# Environment: NODE_REQUIRE_MAJOR (e.g. 24: use exactly that major); NODE_RUNTIME_QUIET=1 (no line on stderr).

NODE_PINNED="24.22.3"
NODE_SUPPORTED_MAJORS="22 24 26"

node_runtime_major() { "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null; }

node_runtime_ok() {
  local major
  major="$(node_runtime_major "$1")" || return 1
  if [ -n "${NODE_REQUIRE_MAJOR:-}" ]; then
    [ "${major}" = "${NODE_REQUIRE_MAJOR}" ]
  else
    case " ${NODE_SUPPORTED_MAJORS} " in *" ${major} "*) return 0 ;; *) return 1 ;; esac
  fi
}

node_runtime_use() {
  local root version pkg dir
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  if command -v node >/dev/null 2>&1 && node_runtime_ok node; then return 0; fi
  version="${NODE_PINNED}"
  if [ -n "${NODE_REQUIRE_MAJOR:-}" ] && [ "${NODE_REQUIRE_MAJOR}" != "${version%%.*}" ]; then
    version="${NODE_REQUIRE_MAJOR}"
  fi
  pkg="node-$(uname -s | tr '[:upper:]' '[:lower:]')-$(uname -m | sed -e 's/x86_64/x64/' -e 's/aarch64/arm64/')"
  dir="${root}/.cache/node/${version}"
  if [ ! -x "${dir}/node_modules/${pkg}/bin/node" ]; then
    command -v npm >/dev/null 2>&1 || {
      echo "node-runtime: no supported Node.js (${NODE_SUPPORTED_MAJORS}) and no npm to fetch one" >&2
      return 1
    }
    [ "${NODE_RUNTIME_QUIET:-0}" = 1 ] || echo "node-runtime: installing Node.js ${version} (${pkg}) into .cache/node" >&2
    mkdir -p "${dir}"
    # --ignore-scripts: the package is the binary itself; nothing to run.
    if ! npm install --prefix "${dir}" --no-save --no-package-lock --ignore-scripts --no-audit --no-fund \
      --loglevel=error "${pkg}@${version}" >&2; then
      echo "node-runtime: could not install ${pkg}@${version} from the npm registry" >&2
      return 1
    fi
  fi
  export PATH="${dir}/node_modules/${pkg}/bin:${PATH}"
  hash -r
  node_runtime_ok node || {
    echo "node-runtime: ${dir} does not hold a working Node.js ${version}" >&2
    return 1
  }
  [ "${NODE_RUNTIME_QUIET:-0}" = 1 ] || echo "node-runtime: using Node.js $(node --version) from .cache/node" >&2
}

node_runtime_use
