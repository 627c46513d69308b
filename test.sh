#!/usr/bin/env bash
# Runs every test of the portal: unit tests (tests/Unit), API/integration tests (tests/Integration, with a local moto SSM server and a
# throwaway PostgreSQL server) and
# browser tests (tests/E2E, Debian Chromium). Prints "N passed, N failed" as its last line.
set -uo pipefail
cd "$(dirname "$0")"

started=$SECONDS
results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

summary() {
    echo "$1 passed, $2 failed"
}

# Browser tests need Debian's Chromium (Playwright's own browsers cannot be downloaded here).
if [[ ! -x /usr/bin/chromium ]]; then
    echo "==> Installing Chromium"
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }; then
        echo "Could not install Chromium (apt-get install -y chromium)." >&2
        summary 0 0
        exit 1
    fi
fi

# The PostgreSQL suites start a throwaway server (initdb/pg_ctl from Debian's postgresql package).
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    echo "==> Installing PostgreSQL"
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; }; then
        echo "Could not install PostgreSQL (apt-get install -y postgresql); the PostgreSQL tests need it." >&2
        summary 0 0
        exit 1
    fi
fi

# The SSM credential store tests run against moto_server.
find_moto() {
    [[ -n "${MOTO_SERVER_PATH:-}" && -x "${MOTO_SERVER_PATH}" ]] || command -v moto_server >/dev/null ||
        [[ -x "$HOME/.pyenv/shims/moto_server" ]]
}
if ! find_moto; then
    echo "==> moto_server not found: installing moto[server]==5.2.1"
    pip install -q 'moto[server]==5.2.1' || pip3 install -q 'moto[server]==5.2.1' || true
    hash -r
    if ! find_moto; then
        echo "moto_server is missing and could not be installed; the SSM tests need it." >&2
        summary 0 0
        exit 1
    fi
fi

# The Azure Blob checks run against Azurite (npm), kept outside the repository.
AZURITE_DIR="$HOME/.cache/dataraven/azurite"
if [[ ! -x "$AZURITE_DIR/node_modules/.bin/azurite-blob" ]]; then
    echo "==> Installing Azurite 3.37.0 into $AZURITE_DIR"
    if ! { command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }; } ||
        ! { mkdir -p "$AZURITE_DIR" && npm install --prefix "$AZURITE_DIR" --no-audit --no-fund -s azurite@3.37.0 >/dev/null; }; then
        echo "Azurite could not be installed (npm install azurite@3.37.0); the Azure Blob check tests need it." >&2
        summary 0 0
        exit 1
    fi
fi

# The accessibility browser tests inject axe-core (npm), kept outside the repository like Azurite.
AXE_DIR="$HOME/.cache/dataraven/axe-core"
if [[ ! -f "$AXE_DIR/node_modules/axe-core/axe.min.js" ]]; then
    echo "==> Installing axe-core 4.14.1 into $AXE_DIR"
    if ! { mkdir -p "$AXE_DIR" && npm install --prefix "$AXE_DIR" --no-audit --no-fund -s axe-core@4.14.1 >/dev/null; }; then
        echo "axe-core could not be installed (npm install axe-core@4.14.1); the accessibility tests need it." >&2
        summary 0 0
        exit 1
    fi
fi

# The OpenAPI document's lint and generated client (OpenApiLintTests) use npm tools, kept outside the repository.
REDOCLY_DIR="$HOME/.cache/dataraven/redocly"
if [[ ! -x "$REDOCLY_DIR/node_modules/.bin/redocly" || ! -x "$REDOCLY_DIR/node_modules/.bin/openapi-typescript" ]]; then
    echo "==> Installing @redocly/cli 2.77.0 and openapi-typescript 7.13.0 into $REDOCLY_DIR"
    if ! { mkdir -p "$REDOCLY_DIR" && npm install --prefix "$REDOCLY_DIR" --no-audit --no-fund -s @redocly/cli@2.77.0 openapi-typescript@7.13.0 >/dev/null; }; then
        echo "The OpenAPI tools could not be installed (npm install @redocly/cli@2.77.0 openapi-typescript@7.13.0); OpenApiLintTests need them." >&2
        summary 0 0
        exit 1
    fi
fi

echo "==> Restoring dotnet tools (.config/dotnet-tools.json)"
dotnet tool restore >/dev/null || echo "dotnet tool restore failed (dotnet-ef is only needed to add migrations)." >&2

echo "==> Building"
if ! dotnet build Dataraven.Portal.sln -nologo -v quiet -clp:ErrorsOnly; then
    echo "Build failed." >&2
    summary 0 0
    exit 1
fi

passed=0
failed=0
status=0

# One test project; its console output goes to $results/<project>.log.
run_project() {
    local project="$1"
    dotnet test "tests/$project" --no-build --nologo \
        --results-directory "$results" --logger "trx;LogFileName=$project.trx" --logger "console;verbosity=minimal" \
        >"$results/$project.log" 2>&1
}

# Adds a project's counts from its .trx; says so when it has none.
count_project() {
    local project="$1" counters p f
    counters="$(grep -o '<Counters [^>]*>' "$results/$project.trx" 2>/dev/null || true)"
    if [[ -z "$counters" ]]; then
        echo "tests/$project produced no results (the test host crashed?)." >&2
        status=1
        return
    fi
    p="$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")"
    f="$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")"
    passed=$((passed + p))
    failed=$((failed + f))
}

# The unit tests first (seconds), then the integration tests, then the browser tests. One after the other: the browser
# tests alone keep both cores busy (four Chromium collections), so side by side the integration tests only waited for
# CPU (measured here: 210 s + 357 s one after the other, 608 s side by side) and their timing checks ran starved.
# DR_TEST_SIDE_BY_SIDE=1 runs the integration and browser tests side by side.
echo "==> Testing tests/Unit"
run_project Unit || status=1
cat "$results/Unit.log"
count_project Unit
if [[ "${DR_TEST_SIDE_BY_SIDE:-}" != 1 ]]; then
    for project in Integration E2E; do
        echo "==> Testing tests/$project"
        run_project "$project" || status=1
        echo "==> tests/$project (done after $((SECONDS - started))s)"
        cat "$results/$project.log"
        count_project "$project"
    done
else
    echo "==> Testing tests/Integration and tests/E2E side by side"
    pids=()
    for project in Integration E2E; do
        run_project "$project" &
        pids+=("$!")
    done
    for i in 0 1; do
        project=$([[ $i == 0 ]] && echo Integration || echo E2E)
        wait "${pids[$i]}" || status=1
        echo "==> tests/$project (done after $((SECONDS - started))s)"
        cat "$results/$project.log"
        count_project "$project"
    done
fi

if ((failed > 0)); then
    status=1
fi
echo "==> Done in $((SECONDS - started))s"
summary "$passed" "$failed"
exit "$status"
