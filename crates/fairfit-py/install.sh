#!/usr/bin/env bash
# Builds fairfit's Python package and installs it into a virtual environment (default: .venv at
# the repository root; FAIRFIT_VENV overrides), with the pinned build and test tools.
#   bash crates/fairfit-py/install.sh            # then: .venv/bin/python -c "import fairfit"
#   bash crates/fairfit-py/install.sh --test     # also runs the pytest suite
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${FAIRFIT_VENV:-$root/.venv}"
python="${PYTHON:-python3}"

[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet -r "$here/requirements-dev.txt"
# maturin develop needs VIRTUAL_ENV to know where to install.
(cd "$here" && VIRTUAL_ENV="$venv" PATH="$venv/bin:$PATH" maturin develop --release --quiet)
"$venv/bin/python" -c "import fairfit; print('fairfit', fairfit.__version__, 'installed in', '$venv')"
if [ "${1:-}" = "--test" ]; then
    (cd "$here" && "$venv/bin/python" -m pytest -q tests)
fi
