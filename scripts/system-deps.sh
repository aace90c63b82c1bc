#!/usr/bin/env bash
# Install the system services the tests need, if they are missing (Debian).
# PostgreSQL 15: the test session initialises and starts its own cluster in a
# temporary directory and stops it afterwards; here we only make sure the
# server binaries exist.
set -euo pipefail

need_pg=1
for d in /usr/lib/postgresql/*/bin; do
  if [ -x "$d/initdb" ]; then need_pg=0; fi
done
if [ "$need_pg" = 1 ]; then
  echo "installing the PostgreSQL server (Debian package postgresql)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi
