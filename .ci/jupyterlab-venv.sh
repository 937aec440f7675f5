#!/usr/bin/env bash
# Prints the folder of a virtualenv holding JupyterLab for the browser tests, building it when missing.
# The venv is cached outside the clone (CI runs on the same machine, so it persists between runs) and keyed
# by JupyterLab's version and the Python's, so a change of either builds a fresh one. pip uses the machine's
# configured indexes; --retries 0 keeps an unreachable index from costing minutes of retries per package.
set -euo pipefail
JUPYTERLAB_VERSION=4.6.4
PYTHON=${JUPYTERLAB_PYTHON:-python3}
CACHE=${KERNEL_LIB_CACHE:-/var/cache/kernel-lib}
PY_VERSION=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
VENV="$CACHE/jupyterlab-$JUPYTERLAB_VERSION-py$PY_VERSION"
if [ ! -f "$VENV/.complete" ]; then
  echo "building $VENV (JupyterLab $JUPYTERLAB_VERSION)" >&2
  rm -rf "$VENV"
  mkdir -p "$CACHE"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --retries 0 --timeout 15 "jupyterlab==$JUPYTERLAB_VERSION" >&2
  "$VENV/bin/jupyter-lab" --version >/dev/null
  touch "$VENV/.complete"
fi
echo "$VENV"
