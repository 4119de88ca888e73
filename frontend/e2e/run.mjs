// End-to-end journeys against the real backend: starts `mancrel run` (embedded PostgreSQL and
// Valkey, worker, beat, demo data) on a free port with a throwaway data folder, drives Debian's
// Chromium through playwright-core, saves screenshots, and always stops the backend.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { journeys as allJourneys, REP } from "./journeys.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const frontend = resolve(here, "..");
const root = resolve(frontend, "..");
const mancrel = process.env.MANCREL_BIN ?? join(root, ".venv", "bin", "mancrel");
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const screenshots = join(frontend, "e2e-screenshots");

// E2E_ONLY=<regex> runs only the journeys whose name matches (while working on one).
const journeys = process.env.E2E_ONLY ? allJourneys.filter((j) => new RegExp(process.env.E2E_ONLY, "i").test(j.name)) : allJourneys;

const axeSource = join(frontend, "node_modules", "axe-core", "axe.min.js");

/** WCAG 2 A/AA checks with axe-core on the page as it is now; serious or critical findings fail. */
async function audit(page, name) {
  await page.addScriptTag({ path: axeSource });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] } });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  });
  if (violations.length) throw new Error(`accessibility problems on ${name}:\n  ${violations.join("\n  ")}`);
}

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

const ADMIN = { email: "admin@example.com", password: "e2e-admin-password-1234" };

/** The journeys' own rep, made through the admin API, so they need no particular demo data. */
async function createRep(url) {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(ADMIN),
  });
  if (!login.ok) throw new Error(`admin sign-in failed: ${login.status} ${await login.text()}`);
  const { access_token } = await login.json();
  const created = await fetch(`${url}/api/v1/users`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${access_token}` },
    body: JSON.stringify({ ...REP, full_name: "Erin Journey", role: "rep" }),
  });
  if (!created.ok) throw new Error(`creating the e2e rep failed: ${created.status} ${await created.text()}`);
}

async function waitReady(url, backend, seconds = 180) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (backend.exitCode !== null) throw new Error(`mancrel run exited with ${backend.exitCode}`);
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the backend was not ready after ${seconds} s`);
}

function stop(backend) {
  return new Promise((ok) => {
    if (backend.exitCode !== null || backend.signalCode !== null) return ok();
    // mancrel run stops its children and embedded servers on SIGTERM, within 30 s.
    const killer = setTimeout(() => backend.kill("SIGKILL"), 40_000);
    backend.once("exit", () => {
      clearTimeout(killer);
      ok();
    });
    backend.kill("SIGTERM");
  });
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.startsWith("Z");
  } catch {
    return false;
  }
}

/** Embedded servers of this run still alive after the backend stopped: each is an error, and is stopped. */
function leftovers(dataDir) {
  const left = [];
  for (const [name, pidFile] of [["PostgreSQL", "postgres/pgdata/postmaster.pid"], ["Valkey", "valkey/valkey.pid"]]) {
    const path = join(dataDir, pidFile);
    if (!existsSync(path)) continue;
    const pid = Number.parseInt(readFileSync(path, "utf8").split("\n")[0], 10);
    if (pid > 0 && alive(pid)) {
      left.push(`${name} (pid ${pid})`);
      process.kill(pid, "SIGKILL");
    }
  }
  return left;
}

async function main() {
  if (!existsSync(join(frontend, "dist", "index.html"))) throw new Error("frontend/dist is missing: run `make frontend-build`");
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: run \`make e2e\`, which installs it`);
  mkdirSync(screenshots, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), "mancrel-e2e-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = [];
  const backend = spawn(mancrel, ["run"], {
    cwd: root,
    env: {
      ...process.env,
      MANCREL_DATA_DIR: dataDir,
      MANCREL_PORT: String(port),
      MANCREL_HOST: "127.0.0.1",
      MANCREL_ADMIN_PASSWORD: ADMIN.password,
      MANCREL_DEMO: process.env.MANCREL_DEMO ?? "true",
      MANCREL_FRONTEND_DIST: join(frontend, "dist"),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [backend.stdout, backend.stderr]) stream.on("data", (chunk) => log.push(chunk.toString()));
  // Interrupted (Ctrl-C, a CI timeout): stop the backend before leaving, as after a failure.
  let interrupted = false;
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, () => {
      interrupted = true;
      console.error(`${signal}: stopping the backend`);
      stop(backend).then(() => {
        const left = leftovers(dataDir);
        if (left.length) console.error(`FAIL left running after the run: ${left.join(", ")}`);
        rmSync(dataDir, { recursive: true, force: true });
        process.exit(130);
      });
    });
  }

  let browser;
  let failed = 0;
  let passed = 0;
  try {
    await waitReady(url, backend);
    await createRep(url);
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
    });
    for (const journey of journeys) {
      const context = await browser.newContext({ viewport: journey.viewport ?? { width: 1280, height: 800 } });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      // An uncaught error in the app fails the journey even if the screen looked right.
      const pageErrors = [];
      page.on("pageerror", (error) => pageErrors.push(error.message));
      const started = Date.now();
      try {
        await journey.run({ page, browser, url, dataDir, audit: (name) => audit(page, name), shot: (name) => page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: false }) });
        if (pageErrors.length) throw new Error(`uncaught errors in the page: ${pageErrors.join("; ")}`);
        passed += 1;
        console.log(`ok   ${journey.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      } catch (error) {
        failed += 1;
        console.error(`FAIL ${journey.name}: ${error.stack ?? error}`);
        await page.screenshot({ path: join(screenshots, `failed-${journey.name.replace(/\W+/g, "-")}.png`) }).catch(() => {});
      } finally {
        await context.close();
      }
    }
  } catch (error) {
    failed += 1;
    console.error(`FAIL setup: ${error.stack ?? error}`);
    console.error(log.join("").slice(-4000));
  } finally {
    await browser?.close();
    if (!interrupted) {
      await stop(backend);
      const left = leftovers(dataDir);
      if (left.length) {
        failed += 1;
        console.error(`FAIL left running after mancrel run stopped: ${left.join(", ")}`);
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  console.log(`${passed} of ${journeys.length} journeys passed; screenshots in ${screenshots}`);
  process.exit(failed ? 1 : 0);
}

main();
