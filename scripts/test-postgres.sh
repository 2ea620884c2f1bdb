#!/usr/bin/env bash
# Runs the integration suite against a real PostgreSQL server started on loopback for the
# duration of the run (TEST_DATABASE_URL set: every test file gets its own database on it).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d /tmp/feed-jobs-pg.XXXXXX)
port=${PGPORT_FOR_TESTS:-54339}
url=$(bash scripts/pg-server.sh start "$dir" "$port")
trap 'bash scripts/pg-server.sh stop "$dir"; rm -rf "$dir"' EXIT
echo "PostgreSQL test server: $url ($(psql "$url" -Atc 'show server_version' 2>/dev/null || echo '?'))"
# The pure scoring package reads no database: its tests ran once already.
TEST_DATABASE_URL="$url" pnpm exec turbo run test --concurrency=2 --force --filter='!@feed-jobs/scoring'
