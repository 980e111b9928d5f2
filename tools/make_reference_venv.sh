#!/usr/bin/env bash
# Make the reference interpreter for `tf1to2 verify`: Python 3.7 with real TensorFlow 1.15.5.
#
# tox's virtualenv can no longer create Python 3.7 environments, so the standard library's venv does.
# Usage:  tools/make_reference_venv.sh [VENV_DIR]
#   VENV_DIR defaults to $TF1TO2_REFERENCE_VENV, else /tmp/tf1to2-tf115.
#   Python 3.7 is taken from $TF1TO2_PYTHON37, else `python3.7`, else pyenv's 3.7.x.
# On success prints the interpreter's path; point verify at it with
#   export TF1TO2_REFERENCE_PYTHON="$(tools/make_reference_venv.sh)"
# Without Python 3.7 it says so on stderr, prints nothing and exits 0: the reference runs are then skipped.
# An existing VENV_DIR that already has TensorFlow 1.15.5 is reused as is.
set -euo pipefail

venv="${1:-${TF1TO2_REFERENCE_VENV:-/tmp/tf1to2-tf115}}"

is_python37() {
  "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 7))' >/dev/null 2>&1
}

find_python37() {
  local candidate
  for candidate in "${TF1TO2_PYTHON37:-}" python3.7; do
    if [ -n "$candidate" ] && is_python37 "$candidate"; then
      command -v "$candidate"
      return 0
    fi
  done
  # pyenv's python3.7 shim runs only while 3.7 is a selected version; the interpreter itself always runs.
  if command -v pyenv >/dev/null 2>&1; then
    for candidate in "$(pyenv root)"/versions/3.7.*/bin/python3.7; do
      if [ -x "$candidate" ] && is_python37 "$candidate"; then
        echo "$candidate"
        return 0
      fi
    done
  fi
  return 1
}

has_reference_tf() {
  [ -x "$venv/bin/python" ] &&
    "$venv/bin/python" -c 'import tensorflow as tf; assert tf.__version__ == "1.15.5"' >/dev/null 2>&1
}

if has_reference_tf; then
  echo "$venv/bin/python"
  exit 0
fi

if ! python37="$(find_python37)"; then
  echo "make_reference_venv: no Python 3.7 found (set TF1TO2_PYTHON37); TF 1.15 reference runs will be skipped" >&2
  exit 0
fi

echo "make_reference_venv: creating $venv with $python37 and TensorFlow 1.15.5" >&2
"$python37" -m venv --clear "$venv"
# TF 1.15.5 predates numpy 1.19 and protobuf 4; newer releases of either break its import.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  'tensorflow==1.15.5' 'numpy<1.19' 'protobuf<4' >&2
has_reference_tf || { echo "make_reference_venv: TensorFlow 1.15.5 does not import in $venv" >&2; exit 1; }
echo "$venv/bin/python"
