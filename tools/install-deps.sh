#!/usr/bin/env bash
# Installs what building and testing LeadLedger needs on a fresh Debian machine, and nothing
# that is already there. Safe to run repeatedly; `make run` and `make test` call it first.
set -euo pipefail

need_apt=()
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists lmdb; then need_apt+=(liblmdb-dev); fi
if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists libzstd; then need_apt+=(libzstd-dev); fi
# ZIPFoundation (the .xlsx exports) links zlib through pkg-config.
if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists zlib; then need_apt+=(zlib1g-dev); fi
command -v python3 >/dev/null 2>&1 || need_apt+=(python3 python3-pip)

if [ ${#need_apt[@]} -gt 0 ]; then
    echo "install-deps: installing ${need_apt[*]}" >&2
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo_cmd apt-get update -qq
    $sudo_cmd apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# Python tools the tests run: jsonschema validates every event's JSON form against schemas/events (draft 2020-12);
# openpyxl reads .xlsx exports back in the export tests as an independent reader; schemathesis checks a live server against schemas/openapi.yaml; openapi-spec-validator checks that document, and
# pyyaml lets tools/openapi/generate.py --check compare it (and the server's contract tables) with their source.
if [ "${LEADLEDGER_SKIP_PY:-0}" != "1" ]; then
    py_missing=()
    python3 -c 'import jsonschema' >/dev/null 2>&1 || py_missing+=(jsonschema)
    python3 -c 'import yaml' >/dev/null 2>&1 || py_missing+=(pyyaml)
    python3 -c 'import openapi_spec_validator' >/dev/null 2>&1 || py_missing+=(openapi-spec-validator)
    python3 -c 'import openpyxl' >/dev/null 2>&1 || py_missing+=(openpyxl)
    # aiosmtpd is the real SMTP server the mass e-mail tests send to (tools/peers/smtp_peer.py); cryptography makes its
    # self-signed certificate for STARTTLS.
    python3 -c 'import aiosmtpd' >/dev/null 2>&1 || py_missing+=(aiosmtpd)
    python3 -c 'import cryptography' >/dev/null 2>&1 || py_missing+=(cryptography)
    PATH="$HOME/.local/bin:$PATH" command -v schemathesis >/dev/null 2>&1 || py_missing+=(schemathesis)
    if [ ${#py_missing[@]} -gt 0 ]; then
        echo "install-deps: installing python ${py_missing[*]}" >&2
        python3 -m pip install --quiet --disable-pip-version-check "${py_missing[@]}" ||
            python3 -m pip install --quiet --disable-pip-version-check --user "${py_missing[@]}"
    fi
fi
