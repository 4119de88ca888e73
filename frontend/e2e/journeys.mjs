// The journeys a rep takes every day, each in a fresh browser context (so each signs in).
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REP = { email: "erin.journey@example.com", password: "e2e-rep-password-1234" };
const unique = () => Date.now().toString(36);

async function signIn(page, url, who = REP) {
  await page.goto(`${url}/`);
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Main" }).waitFor();
}

async function createContact(page, url, first, last) {
  await page.goto(`${url}/contacts`);
  await page.getByRole("button", { name: "New contact" }).click();
  const form = page.getByRole("form", { name: "New contact" });
  await form.getByLabel("First name").fill(first);
  await form.getByLabel("Last name").fill(last);
  await form.getByLabel("Email").fill(`${first}.${last}@example.org`.toLowerCase());
  await form.getByRole("button", { name: "Create contact" }).click();
  await page.getByRole("heading", { level: 1, name: `${first} ${last}` }).waitFor();
}

async function addDealFromContact(page, title) {
  await page.getByRole("button", { name: "Add deal" }).click();
  const form = page.getByRole("form", { name: "New deal" });
  await form.getByLabel("Deal title").fill(title);
  await form.getByLabel("Amount", { exact: true }).fill("4200");
  await form.getByRole("button", { name: "Create deal" }).click();
  await page.getByRole("link", { name: title, exact: true }).waitFor();
}

// run.mjs starts the backend with this admin (MANCREL_ADMIN_PASSWORD); the inbox journeys use it
// through the API to point the demo mail channel at a signing key and an SMTP server of their own.
const ADMIN = { email: "admin@example.com", password: "e2e-admin-password-1234" };
// The demo team's manager (user/demo.py), who sets the AI policy.
const DEMO_MANAGER = { email: "maria.manager@example.com", password: "mancrel-demo-2026" };

async function apiAs(url, who) {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(who),
  });
  assert.equal(login.status, 200, `sign-in as ${who.email}`);
  const { access_token } = await login.json();
  const send = (method, path, body) => fetch(`${url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${access_token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return async (method, path, body) => {
    // runScheduledJob blocks this process for seconds: a kept-alive socket the server closed meanwhile
    // fails one fetch ("fetch failed"). A read is simply asked again on a new socket.
    const response = await send(method, path, body).catch((error) => {
      if (method === "GET" && error instanceof TypeError) return send(method, path, body);
      throw error;
    });
    const text = await response.text();
    assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
}

/**
 * A minimal SMTP server (RFC 5321 without extensions) that keeps every mail it is given: the
 * outgoing side of the demo channel, so a reply's "Sent" is checked on the receiving end too.
 */
function startSmtp() {
  const mails = [];
  const server = createServer((socket) => {
    let buffer = "";
    let inData = false;
    let envelope = { to: [] };
    socket.write("220 journey-smtp ready\r\n");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      for (;;) {
        if (inData) {
          const end = buffer.indexOf("\r\n.\r\n");
          if (end < 0) return;
          mails.push({ ...envelope, data: buffer.slice(0, end) });
          buffer = buffer.slice(end + 5);
          inData = false;
          envelope = { to: [] };
          socket.write("250 2.0.0 queued\r\n");
          continue;
        }
        const eol = buffer.indexOf("\r\n");
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO") socket.write("250-journey-smtp\r\n250 8BITMIME\r\n");
        else if (verb === "HELO") socket.write("250 journey-smtp\r\n");
        else if (verb === "MAIL") socket.write("250 2.1.0 ok\r\n");
        else if (verb === "RCPT") { envelope.to.push(line.slice(8)); socket.write("250 2.1.5 ok\r\n"); }
        else if (verb === "DATA") { inData = true; socket.write("354 end with <CRLF>.<CRLF>\r\n"); }
        else if (verb === "QUIT") { socket.end("221 bye\r\n"); return; }
        else socket.write(verb === "RSET" || verb === "NOOP" ? "250 ok\r\n" : "502 not implemented\r\n");
      }
    });
    socket.on("error", () => {});
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok({ port: server.address().port, mails, close: () => server.close() })));
}

/** The demo mail channel, with a signing key the journey knows and (optionally) an SMTP server. */
async function prepareDemoChannel(url, smtpPort) {
  const admin = await apiAs(url, ADMIN);
  const { items } = await admin("GET", "/api/v1/channels?limit=100");
  const demo = items.find((c) => c.name === "Shop mailbox (demo)");
  assert.ok(demo, "the demo data has the channel Shop mailbox (demo)");
  const signingKey = randomBytes(24).toString("hex");
  const settings = smtpPort ? { smtp: { host: "127.0.0.1", port: smtpPort, security: "none", username: null } } : undefined;
  await admin("PATCH", `/api/v1/channels/${demo.id}`, { secrets: { signing_key: signingKey }, settings });
  await workerCaughtUp(admin);
  return { channel: demo, signingKey, admin };
}

/**
 * The worker starts with the demo's backlog (classifying its mail, embedding the catalogue); on a
 * busy machine that takes minutes. A new delivery queues behind it, so wait until the demo mail is
 * classified: from then on, the time to arrive is the inbox's own. The first classification also
 * trains the classifier (about 130 s of CPU on a loaded 2-core machine), hence the long limit.
 */
async function workerCaughtUp(admin, seconds = 600) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const { items } = await admin("GET", "/api/v1/conversations?limit=100");
    const waiting = items.filter((c) => c.intent === null).length;
    if (items.length > 0 && waiting === 0) return;
    if (Date.now() > deadline) throw new Error(`the worker has not classified ${waiting} demo conversation(s) after ${seconds} s`);
    await new Promise((r) => setTimeout(r, 2_000));
  }
}

/** A customer email as Mailgun forwards it: a signed multipart form, with one attachment. */
async function postMailgun(url, { channel, signingKey }, mail) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const token = randomBytes(16).toString("hex");
  const form = new FormData();
  const fields = {
    sender: mail.from, from: `${mail.name} <${mail.from}>`, recipient: channel.settings.address, subject: mail.subject,
    "body-plain": mail.text, "Message-Id": `<${randomBytes(8).toString("hex")}@example.org>`,
    "message-headers": JSON.stringify([["Subject", mail.subject], ["To", channel.settings.address]]),
    timestamp, token, signature: createHmac("sha256", signingKey).update(timestamp + token).digest("hex"),
  };
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  form.append("attachment-1", new Blob(["EU 42: 27 cm\nEU 43: 27.7 cm\n"], { type: "text/plain" }), "size-chart.txt");
  const response = await fetch(`${url}/webhook/email/${channel.id}`, { method: "POST", body: form });
  assert.ok(response.ok, `the webhook took the mail: ${response.status} ${await response.text()}`);
}

/** Letters only: a marker that grounding never reads as a price, count or SKU. */
const letterTag = () => unique().replace(/\d/g, (d) => "abcdefghij"[Number(d)]);

/**
 * Every draft waits for a person (auto-send at 100%, nothing escalated for low confidence), so
 * the journey meets a pending suggestion whatever the classifier's confidence; restored after.
 */
async function everyDraftNeedsApproval(admin) {
  const before = await admin("GET", "/api/v1/ai/policy");
  await admin("PATCH", "/api/v1/ai/policy", { auto_send_threshold: 1, approval_threshold: 0, mode: "live" });
  return () => admin("PATCH", "/api/v1/ai/policy", {
    auto_send_threshold: before.auto_send_threshold, approval_threshold: before.approval_threshold, mode: before.mode,
  });
}

/** A product change as the demo shop would post it: a Standard Webhooks delivery signed with the source's secret. */
async function postCatalogUpdate(url, admin, product) {
  const { items } = await admin("GET", "/api/v1/catalog/sources?limit=50");
  const source = items.find((s) => s.name === "Trailhead Outfitters (demo)");
  assert.ok(source, "the demo data has the catalogue source Trailhead Outfitters (demo)");
  const secret = `whsec_${randomBytes(24).toString("base64")}`;
  await admin("PATCH", `/api/v1/catalog/sources/${source.id}`, { webhook_secret: secret });
  const response = await postSignedProduct(`${url}${source.webhook_path}`, secret, product);
  assert.ok(response.ok, `the catalogue webhook took the update: ${response.status} ${await response.text()}`);
  return source;
}

/** A product change posted to a catalogue webhook URL, signed (Standard Webhooks) with `secret`. */
async function postSignedProduct(webhookUrl, secret, product) {
  const body = JSON.stringify({ type: "product.updated", data: product });
  const id = `msg_${randomBytes(8).toString("hex")}`;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const signature = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  return fetch(webhookUrl, {
    method: "POST", body,
    headers: { "Content-Type": "application/json", "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": `v1,${signature}` },
  });
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * Hands a scheduled job to the run's real worker now, as beat would at its hour: through the
 * run's own Valkey (its port and password are in the data folder), with the app's task routing.
 */
function runScheduledJob(dataDir, task) {
  const folder = join(dataDir, "valkey");
  const password = readFileSync(join(folder, "password"), "utf8").trim();
  const conf = readdirSync(folder).find((name) => name.endsWith(".conf"));
  const port = /^port (\d+)$/m.exec(readFileSync(join(folder, conf), "utf8"))?.[1];
  assert.ok(port, "the run's Valkey port");
  execFileSync(join(repoRoot, ".venv", "bin", "python"), ["-c", `from mancrel.worker.app import celery_app; celery_app.send_task(${JSON.stringify(task)})`], {
    cwd: join(repoRoot, "backend"),
    env: { ...process.env, REDIS_URL: `redis://:${password}@127.0.0.1:${port}/0`, MANCREL_LOG_LEVEL: "WARNING" },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

/** Polls `read` until it returns something, or fails after `seconds`. */
async function eventually(what, read, seconds = 120) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const found = await read();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not after ${seconds} s`);
    await new Promise((r) => setTimeout(r, 1_500));
  }
}

const overflowOf = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

const column = (page, stage) => page.locator("section.stage-column", { has: page.getByRole("heading", { name: stage, exact: true }) });

export const journeys = [
  {
    name: "the demo team's board, a company and its contacts (demo data loaded)",
    async run({ page, url, shot, audit }) {
      await signIn(page, url, { email: "maria.manager@example.com", password: "mancrel-demo-2026" });
      await page.getByRole("heading", { level: 1, name: "Today" }).waitFor(); // home is the landing page
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Deals" }).click();
      await page.getByRole("heading", { level: 1, name: "Deals" }).waitFor();
      await page.locator(".deal-card").first().waitFor();
      assert.ok((await page.locator(".deal-card").count()) >= 5, "the demo pipeline has deals");
      await shot("00-demo-board");
      await audit("the demo board");
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Companies" }).click();
      await page.getByRole("table").getByRole("link").first().click();
      await page.getByRole("region", { name: "Contacts" }).waitFor();
      await page.locator(".spinner").first().waitFor({ state: "detached" });
      await shot("09-company-page");
      await audit("the company page");
    },
  },
  {
    name: "sign in, see the layout, sign out",
    async run({ page, url, shot, audit }) {
      await page.goto(`${url}/contacts`);
      await page.getByRole("button", { name: "Sign in" }).waitFor();
      await shot("01-login");
      await audit("the sign-in page");
      await page.getByLabel("Email").fill(REP.email);
      await page.getByLabel("Password").fill("not-the-password");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("alert").getByText("The email or password is not right.").waitFor();
      await page.getByLabel("Password").fill(REP.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      // Back where the rep was going, with the four main links.
      await page.getByRole("heading", { level: 1, name: "Contacts" }).waitFor();
      const nav = page.getByRole("navigation", { name: "Main" });
      for (const link of ["Deals", "Contacts", "Companies", "Tasks"]) await nav.getByRole("link", { name: link }).waitFor();
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByRole("button", { name: "Sign in" }).waitFor();
      await page.goto(`${url}/deals`);
      await page.getByRole("button", { name: "Sign in" }).waitFor(); // the session really ended
    },
  },
  {
    name: "create a contact and log a call",
    async run({ page, url, shot, audit }) {
      await signIn(page, url);
      const last = `Call${unique()}`;
      await createContact(page, url, "Ada", last);
      await page.getByRole("button", { name: "Log a call" }).click();
      await page.getByLabel("Call summary").fill("Discussed the spring order");
      await page.getByLabel("Notes").fill("Wants 40 units, delivery in March.");
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByRole("status").getByText("Call logged.").waitFor();
      const timeline = page.getByRole("region", { name: "Timeline" });
      await timeline.getByText("Discussed the spring order").waitFor();
      // The call counts as contact made: "Last contacted" is no longer "Never".
      await page.locator("dt", { hasText: "Last contacted" }).locator("xpath=following-sibling::dd[1]")
        .filter({ hasNotText: "Never" }).waitFor();
      await shot("03-contact-page");
      await audit("the contact page");
      // The contact is in the list and found by search.
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Contacts" }).click();
      await page.getByLabel("Search").fill(last);
      await page.getByRole("link", { name: `Ada ${last}` }).waitFor();
      await page.getByLabel("Search").fill("");
      await page.getByRole("table").waitFor();
      await shot("02-contacts");
      await audit("the contacts list");
      await page.reload();
      await page.getByRole("heading", { level: 1, name: "Contacts" }).waitFor(); // still signed in after reload
    },
  },
  {
    name: "import contacts from a CSV, then export the list",
    async run({ page, url, shot, audit }) {
      await signIn(page, url);
      const last = `Import${unique()}`;
      // The second row repeats the first one's email: the importer skips it as a duplicate.
      const csv = `First Name,Last Name,Email\nLaura,${last},laura.${last.toLowerCase()}@example.net\n`
        + `Laura,${last}-again,laura.${last.toLowerCase()}@example.net\n`;
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Contacts" }).click();
      await page.getByRole("button", { name: "Import CSV" }).click();
      const panel = page.getByRole("region", { name: "Import contacts" });
      await panel.getByLabel("CSV file").setInputFiles({ name: "leads.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
      await panel.getByRole("cell", { name: `${last}-again` }).waitFor();
      assert.equal(await panel.getByLabel("Field for Email").inputValue(), "emails");
      await audit("the import preview");
      await panel.getByRole("button", { name: "Start import" }).click();
      // On a fresh demo start the one worker first embeds the demo's contacts (a minute or two),
      // and the import waits its turn behind them.
      await panel.getByText("Import finished: 2 of 2 rows read.").waitFor({ timeout: 240_000 });
      await panel.getByText("1 created · 1 skipped as duplicates · 0 failed").waitFor();
      await panel.getByRole("table", { name: "Rows not imported" }).getByText(/duplicate of contact/).waitFor();
      await shot("03b-contacts-imported");
      await audit("the finished import");
      await panel.getByRole("button", { name: "Close" }).click();
      await page.getByLabel("Search").fill(last);
      // The new contact tops the unfiltered list too: wait for the search to have narrowed it.
      await page.waitForFunction(() => document.querySelectorAll("table.data-table tbody tr").length === 1);
      await page.getByRole("link", { name: `Laura ${last}` }).waitFor();
      // The export holds what the list shows: the search included.
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export CSV" }).click()]);
      const exported = readFileSync(await download.path(), "utf8");
      assert.match(exported, new RegExp(`laura\\.${last.toLowerCase()}@example\\.net`));
      assert.equal(exported.trim().split("\n").length, 2, `header and one contact, got:\n${exported}`);
    },
  },
  {
    name: "move a deal to another stage and it stays there after reload",
    async run({ page, url, shot, audit }) {
      await signIn(page, url);
      const title = `Board deal ${unique()}`;
      await createContact(page, url, "Bo", `Board${unique()}`);
      await addDealFromContact(page, title);
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Deals" }).click();
      const card = page.getByRole("button", { name: new RegExp(title) });
      await column(page, "New").getByRole("button", { name: new RegExp(title) }).waitFor();

      // Drag with the mouse to Qualified.
      const moved = page.waitForResponse((r) => r.url().includes("/move") && r.request().method() === "POST");
      await card.dragTo(column(page, "Qualified").locator(".stage-cards"));
      assert.equal((await moved).status(), 200);
      await column(page, "Qualified").getByRole("button", { name: new RegExp(title) }).waitFor();
      await page.reload();
      await column(page, "Qualified").getByRole("button", { name: new RegExp(title) }).waitFor();

      // And with the keyboard: Space, Right arrow, Space moves it to Proposal.
      const keyed = page.waitForResponse((r) => r.url().includes("/move") && r.request().method() === "POST");
      await card.focus();
      await page.keyboard.press("Space");
      await page.keyboard.press("ArrowRight");
      await page.keyboard.press("Space");
      assert.equal((await keyed).status(), 200);
      await page.reload();
      await column(page, "Proposal").getByRole("button", { name: new RegExp(title) }).waitFor();
      await shot("04-deals-board");
      await audit("the deals board");

      // The drawer: open the deal, mark it won.
      await card.click();
      const drawer = page.getByRole("dialog", { name: title });
      await drawer.getByText("Moved from Qualified to Proposal").waitFor();
      await shot("05-deal-drawer");
      await audit("the deal drawer");
      await drawer.getByRole("button", { name: "Mark as won" }).click();
      await drawer.locator("dd.status-won", { hasText: "Won" }).waitFor();
      await drawer.getByRole("button", { name: "Close" }).click();
      await column(page, "Won").getByRole("button", { name: new RegExp(title) }).waitFor();
    },
  },
  {
    name: "add a task and complete it from the tasks page",
    async run({ page, url, shot, audit }) {
      await signIn(page, url);
      const subject = `Send the quote ${unique()}`;
      await createContact(page, url, "Cy", `Task${unique()}`);
      await page.getByRole("button", { name: "Add a task" }).click();
      await page.getByLabel("What needs doing").fill(subject);
      const due = new Date(Date.now() - 60 * 60 * 1000); // an hour ago: overdue
      const local = new Date(due.getTime() - due.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
      await page.getByLabel("Due").fill(local);
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByRole("status").getByText("Task added.").waitFor();
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tasks" }).click();
      const overdue = page.getByRole("region", { name: /Overdue/ });
      await overdue.getByText(subject).waitFor();
      await shot("06-tasks");
      await audit("the tasks page");
      await page.getByRole("button", { name: `Complete “${subject}”` }).click();
      await page.getByText(`Completed “${subject}”.`).waitFor();
      await page.reload();
      await page.getByRole("heading", { level: 1, name: "My tasks" }).waitFor();
      await page.locator(".spinner").waitFor({ state: "detached" });
      assert.equal(await page.getByText(subject).count(), 0, "the completed task is gone after reload");
    },
  },
  {
    name: "a contact entered twice: merge the pair from Possible duplicates, then undo",
    async run({ page, url, shot, audit }) {
      await signIn(page, url);
      const last = `Twin${unique()}`;
      const email = `eve.${last}@example.org`.toLowerCase();
      await createContact(page, url, "Eve", last);
      // The same email again under another first name: the form asks before saving a duplicate.
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Contacts" }).click();
      await page.getByRole("button", { name: "New contact" }).click();
      const form = page.getByRole("form", { name: "New contact" });
      await form.getByLabel("First name").fill("Evelyn");
      await form.getByLabel("Last name").fill(last);
      await form.getByLabel("Email").fill(email);
      await form.getByRole("button", { name: "Create contact" }).click();
      await form.getByRole("button", { name: "Create anyway" }).click();
      await page.getByRole("heading", { level: 1, name: `Evelyn ${last}` }).waitFor();

      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Contacts" }).click();
      await page.getByRole("link", { name: "Possible duplicates" }).click();
      await page.getByRole("heading", { level: 1, name: "Possible duplicates" }).waitFor();
      const pair = page.getByRole("region", { name: `Same email: ${email}` });
      await pair.getByRole("link", { name: `Eve ${last}`, exact: true }).waitFor();
      await pair.getByRole("link", { name: `Evelyn ${last}` }).waitFor();
      await pair.getByRole("button", { name: "Merge" }).click();
      // Keep the newer record: the older one is merged into it.
      await pair.getByRole("radio", { name: new RegExp(`Evelyn ${last}`) }).check();
      await shot("11-duplicates-merge");
      await audit("the duplicates page with a merge being confirmed");
      const merged = page.waitForResponse((r) => r.url().endsWith("/merge") && r.request().method() === "POST");
      await pair.getByRole("button", { name: `Merge into Evelyn ${last}` }).click();
      assert.equal((await merged).status(), 200);
      const status = page.getByRole("status").filter({ hasText: "Merged" });
      await status.getByText(`Merged Eve ${last} into`).waitFor();
      await pair.waitFor({ state: "detached" });
      await audit("the duplicates page after a merge");

      await status.getByRole("button", { name: "Undo" }).click();
      await page.getByText(`Merge undone: Eve ${last} is a separate contact again.`).waitFor();
      await pair.getByRole("link", { name: `Eve ${last}`, exact: true }).waitFor();
      await page.reload();
      await pair.getByRole("button", { name: "Merge" }).waitFor(); // the pair is really back, on the server
    },
  },
  {
    name: "phone width: board and contacts fit 390 px",
    viewport: { width: 390, height: 844 },
    async run({ page, url, shot }) {
      await signIn(page, url);
      await page.goto(`${url}/deals`);
      await page.getByRole("heading", { level: 1, name: "Deals" }).waitFor();
      await page.locator(".stage-column").first().waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
      await shot("07-phone-deals");
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Contacts" }).click();
      await page.getByRole("heading", { level: 1, name: "Contacts" }).waitFor();
      await page.locator(".spinner").waitFor({ state: "detached" });
      const overflow2 = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow2 <= 1, `the contacts page scrolls sideways by ${overflow2}px`);
      await shot("08-phone-contacts");
    },
  },
  {
    name: "live: a deal moved in another session moves on my board without a reload",
    async run({ page, browser, url, shot }) {
      await signIn(page, url);
      const title = `Live deal ${unique()}`;
      await createContact(page, url, "Di", `Live${unique()}`);
      await addDealFromContact(page, title);
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Deals" }).click();
      await column(page, "New").getByRole("button", { name: new RegExp(title) }).waitFor();

      const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      try {
        const second = await other.newPage();
        await signIn(second, url);
        // Signing in opens Home now; the board is one click away.
        await second.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Deals" }).click();
        const card = column(second, "New").getByRole("button", { name: new RegExp(title) });
        await card.waitFor();
        await card.focus();
        await second.keyboard.press("Space");
        await second.keyboard.press("ArrowRight");
        await second.keyboard.press("ArrowRight");
        await second.keyboard.press("Space");
        await column(second, "Proposal").getByRole("button", { name: new RegExp(title) }).waitFor();
      } finally {
        await other.close();
      }
      // No reload here: the SSE event brings the change.
      await column(page, "Proposal").getByRole("button", { name: new RegExp(title) }).waitFor({ timeout: 20_000 });
      await shot("10-live-board");
    },
  },
  {
    name: "inbox: a customer email arrives live, the rep opens it and replies, and the reply is sent",
    async run({ page, url, shot, audit }) {
      const smtp = await startSmtp();
      try {
        const demo = await prepareDemoChannel(url, smtp.port);
        await signIn(page, url);
        await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Inbox/ }).click();
        await page.getByRole("heading", { level: 1, name: "Inbox" }).waitFor();
        await page.getByRole("list", { name: "Conversations" }).waitFor();

        const id = unique();
        const subject = `Trail shoes for the Dolomites ${id}`;
        await postMailgun(url, demo, {
          from: `nora.${id}@example.org`, name: "Nora Quist", subject,
          text: `Hello, do the Trail Runner shoes come in 43 wide?\n\nOn Mon, the shop wrote:\n> Thanks for your order ${id}.\n> Kind regards`,
        });
        // No reload: the SSE event brings the conversation into the open list.
        const row = page.getByRole("list", { name: "Conversations" }).getByRole("link", { name: new RegExp(subject) });
        // The worker takes the delivery in; the page hears of it over SSE.
        await row.waitFor({ timeout: 60_000 }).catch(async (error) => {
          const found = await demo.admin("GET", `/api/v1/conversations?q=${id}`);
          const health = await demo.admin("GET", `/api/v1/channels/${demo.channel.id}/health`);
          throw new Error(`${error.message}\nthe API has ${found.items.length} conversation(s) for it; channel health: ${JSON.stringify(health)}`);
        });
        await row.getByText("1 unread").waitFor();
        await shot("12-inbox");
        await audit("the inbox");

        await row.click();
        await page.getByRole("heading", { level: 2, name: subject }).waitFor();
        const inbound = page.getByRole("article", { name: "From Nora Quist" });
        await inbound.getByText("do the Trail Runner shoes come in 43 wide?").waitFor();
        assert.equal(await inbound.getByText(`Thanks for your order ${id}`).count(), 0, "the quoted text starts collapsed");
        await inbound.getByRole("button", { name: "Show quoted text" }).click();
        await inbound.getByText(`Thanks for your order ${id}`).waitFor();
        await inbound.getByRole("list", { name: "Attachments" }).getByText("size-chart.txt").waitFor();
        // Opening it marked it read.
        await row.getByText("1 unread").waitFor({ state: "detached" });
        await page.getByRole("complementary", { name: "Contact" }).getByText(`nora.${id}@example.org`).first().waitFor();
        // The worker's classification arrives live as well.
        await inbound.getByLabel("Classification").waitFor({ timeout: 120_000 });

        await page.getByRole("button", { name: "Assign to me" }).click();
        await page.getByText("Assigned to you.").waitFor();
        const reply = `Yes, the Trail Runner comes in 43 wide. ${id}`;
        await page.getByLabel(`Reply to nora.${id}@example.org`).fill(reply);
        await page.getByRole("button", { name: "Send reply" }).click();
        const outbound = page.getByRole("article", { name: "Reply by Erin Journey" }).filter({ hasText: reply });
        await outbound.waitFor();
        await outbound.locator(".delivery-sent").getByText("Sent").waitFor({ timeout: 120_000 });
        const delivered = smtp.mails.find((m) => m.data.includes(id) && m.to.some((to) => to.includes(`nora.${id}@example.org`)));
        assert.ok(delivered, "the SMTP server received the reply, addressed to the customer");
        assert.match(delivered.data, /In-Reply-To: /i, "the reply threads under the customer's mail");
        await shot("13-inbox-conversation");
        await audit("a conversation with a sent reply");
      } finally {
        smtp.close();
      }
    },
  },
  {
    name: "phone width: the inbox shows the list, then the conversation on its own, at 390 px",
    viewport: { width: 390, height: 844 },
    async run({ page, url, shot, audit }) {
      await signIn(page, url);
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Inbox/ }).click();
      const list = page.getByRole("list", { name: "Conversations" });
      await list.waitFor();
      assert.ok((await overflowOf(page)) <= 1, "the inbox list scrolls sideways");
      await shot("14-phone-inbox");
      await audit("the inbox at phone width");
      await list.getByRole("link").first().click();
      await page.getByRole("article").first().waitFor();
      assert.equal(await list.isVisible(), false, "on a phone the conversation replaces the list");
      assert.ok((await overflowOf(page)) <= 1, "the conversation scrolls sideways");
      await shot("15-phone-conversation");
      await audit("a conversation at phone width");
      await page.getByRole("link", { name: "← All conversations" }).click();
      await list.waitFor();
    },
  },
  {
    name: "settings: an admin sees the channels' webhook URL and health, creates a channel and rotates its secret",
    async run({ page, url, shot, audit }) {
      await signIn(page, url, ADMIN);
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
      await page.getByRole("heading", { level: 1, name: "Channels" }).waitFor();
      const demo = page.getByRole("region", { name: "Shop mailbox (demo)" });
      const webhook = await demo.getByLabel("Webhook URL to paste into the provider").inputValue();
      assert.match(webhook, new RegExp(`^${url}/webhook/email/[0-9a-f-]{36}$`));
      await demo.getByText(/^Health: /).waitFor();
      await demo.getByText("Mailgun signing key").waitFor();

      const name = `Support ${unique()}`;
      await page.getByRole("button", { name: "New email channel" }).click();
      const form = page.getByRole("form", { name: "New email channel" });
      await form.getByLabel("Name").fill(name);
      await form.getByLabel("Shop email address").fill("support@trailhead-outfitters.example");
      await form.getByLabel("Mail arrives through").selectOption("postmark");
      await form.getByLabel("Webhook user name").fill("postmark");
      await form.getByLabel("Webhook password").fill("first-password-123");
      await form.getByRole("button", { name: "Create channel" }).click();
      await page.getByText(`Created ${name}.`).waitFor();
      const created = page.getByRole("region", { name });
      assert.match(await created.getByLabel("Webhook URL to paste into the provider").inputValue(), /^http:\/\/postmark:PASSWORD@/);
      await created.getByText("Webhook password", { exact: true }).waitFor();
      await shot("16-settings-channels");
      await audit("Settings > Channels");

      await created.getByRole("button", { name: `Edit ${name}` }).click();
      const edit = page.getByRole("form", { name: `Edit ${name}` });
      await edit.getByText("Set. Type a new one to replace it; leave blank to keep it.").waitFor();
      await edit.getByLabel("Webhook password").fill("rotated-password-456");
      await edit.getByRole("button", { name: "Save channel" }).click();
      await page.getByText(`Saved ${name}.`).waitFor();
    },
  },
  {
    name: "AI suggestion: the rep edits the draft, sees the diff, sends it, and the reply is sent",
    async run({ page, url, shot, audit }) {
      const smtp = await startSmtp();
      const demo = await prepareDemoChannel(url, smtp.port);
      const restore = await everyDraftNeedsApproval(demo.admin);
      try {
        await signIn(page, url);
        await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Inbox/ }).click();
        await page.getByRole("list", { name: "Conversations" }).waitFor();
        const id = unique();
        const tag = letterTag();
        const subject = `Merino socks in M ${id}`;
        await postMailgun(url, demo, {
          from: `otto.${id}@example.org`, name: "Otto Berg", subject,
          text: "Hello, how much are the Merino Hiking Socks in size M, and do you have them in stock?",
        });
        const row = page.getByRole("list", { name: "Conversations" }).getByRole("link", { name: new RegExp(subject) });
        await row.waitFor({ timeout: 60_000 });
        await row.click();
        await page.getByRole("heading", { level: 2, name: subject }).waitFor();
        await page.getByRole("button", { name: "Assign to me" }).click();
        await page.getByText("Assigned to you.").waitFor();
        // Classified, drafted and grounded by the worker; the panel hears of it over SSE.
        const card = page.getByRole("article", { name: "AI suggestion: Waiting for your approval" });
        await card.waitFor({ timeout: 180_000 }).catch(async (error) => {
          const conversations = await demo.admin("GET", `/api/v1/conversations?q=${id}`);
          const found = conversations.items[0] && await demo.admin("GET", `/api/v1/suggestions?conversation_id=${conversations.items[0].id}`);
          throw new Error(`${error.message}\nsuggestions: ${JSON.stringify(found?.items ?? [])}`);
        });
        await card.getByText(/^Confidence: /).waitFor();
        assert.ok(await card.locator("mark.claim-grounded").count() > 0, "the draft's catalogue claims are highlighted");
        await card.getByText(/Facts used/).click();
        await card.getByRole("table", { name: "Facts the draft used" }).getByText("SOCK-MER-M").first().waitFor();
        await shot("17-suggestion");
        await audit("a conversation with an AI suggestion");

        await card.getByRole("button", { name: "Why this decision?" }).click();
        await card.getByRole("list").filter({ hasText: "Decided" }).waitFor();

        await card.getByRole("button", { name: "Edit" }).click();
        const box = card.getByLabel("Edit the reply");
        const draft = await box.inputValue();
        await box.fill(`${draft}\n\nHappy hiking, ${tag}!`);
        await card.getByRole("button", { name: "Review changes" }).click();
        await card.getByLabel("Your changes").locator("ins").filter({ hasText: tag }).waitFor();
        await shot("18-suggestion-diff");
        await audit("an edited suggestion's diff");
        await card.getByRole("button", { name: "Send edited reply" }).click();
        await page.getByRole("article", { name: "AI suggestion: Edited and sent" }).waitFor({ timeout: 30_000 });
        const outbound = page.getByRole("article", { name: "Reply by Erin Journey" }).filter({ hasText: tag });
        await outbound.waitFor();
        await outbound.locator(".delivery-sent").getByText("Sent").waitFor({ timeout: 120_000 });
        const delivered = smtp.mails.find((m) => m.data.includes(tag) && m.to.some((to) => to.includes(`otto.${id}@example.org`)));
        assert.ok(delivered, "the SMTP server received the edited reply, addressed to the customer");
      } finally {
        await restore();
        smtp.close();
      }
    },
  },
  {
    name: "Settings > AI: a manager changes the policy and sees the calibration chart",
    async run({ page, url, shot, audit }) {
      // The report counts decided messages: wait for the AI to decide the demo mail.
      const api = await apiAs(url, ADMIN);
      await workerCaughtUp(api);
      let report = await api("GET", "/api/v1/ai/calibration");
      for (let tries = 0; report.decided === 0; tries += 1) {
        assert.ok(tries < 60, "no message was decided within two minutes of being classified");
        await new Promise((r) => setTimeout(r, 2_000));
        report = await api("GET", "/api/v1/ai/calibration");
      }
      // Managers answer for what is sent to customers, so they set the policy (the demo team's manager).
      await signIn(page, url, DEMO_MANAGER);
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
      await page.waitForURL(/\/settings\/ai$/);
      const form = page.getByRole("form", { name: "AI policy" });
      await form.waitFor();
      const threshold = form.getByLabel("Auto-send threshold (%)");
      const before = await threshold.inputValue();
      const next = before === "92" ? "93" : "92";
      await threshold.fill(next);
      await form.getByLabel("returns refund").selectOption("never_reply");
      await form.getByRole("button", { name: "Save policy" }).click();
      await form.getByText("AI policy saved. The next message is decided with it.").waitFor();
      const calibration = page.getByRole("region", { name: "Calibration" });
      // Both series drawn as curves on a chart of real size (SVG groups count as hidden to Playwright).
      await calibration.locator("path.recharts-line-curve").first().waitFor({ state: "attached", timeout: 30_000 });
      const drawn = await calibration.evaluate((el) => ({
        curves: [...el.querySelectorAll("path.recharts-line-curve")].filter((p) => p.getAttribute("d")).length,
        width: el.querySelector(".recharts-wrapper")?.getBoundingClientRect().width ?? 0,
        html: el.querySelector(".chart-box")?.outerHTML.slice(0, 600),
      }));
      // Auto-send share is known for every decided message; precision only once someone reviewed a draft
      // (the suggestion journey does, when it runs first).
      const series = report.reviewed > 0 ? 2 : 1;
      assert.ok(drawn.curves >= series && drawn.width > 200, `${series} series drawn: ${JSON.stringify(drawn)}`);
      await calibration.scrollIntoViewIfNeeded();
      await calibration.getByText(new RegExp(`the auto-send threshold is ${next}%`)).waitFor();
      await shot("19-settings-ai");
      await audit("Settings > AI");
      await calibration.getByRole("button", { name: "Show table" }).click();
      await calibration.getByRole("table").getByRole("row", { name: /^90%/ }).waitFor();
      await page.reload();
      assert.equal(await page.getByRole("form", { name: "AI policy" }).getByLabel("Auto-send threshold (%)").inputValue(), next, "the policy was saved on the server");
      assert.equal(await page.getByRole("form", { name: "AI policy" }).getByLabel("returns refund").inputValue(), "never_reply");
      await page.getByRole("form", { name: "AI policy" }).getByLabel("returns refund").selectOption("approval_only");
      await page.getByRole("form", { name: "AI policy" }).getByRole("button", { name: "Save policy" }).click();
      await page.getByText("AI policy saved. The next message is decided with it.").waitFor();
    },
  },
  {
    name: "catalogue: a product update posted by the shop's webhook shows on the page live, faster than the old 10 s poll",
    async run({ page, url, shot, audit }) {
      const stream = page.waitForResponse((r) => r.url().includes("/api/v1/events"), { timeout: 30_000 });
      await signIn(page, url, ADMIN);
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Catalogue" }).click();
      const poles = page.getByRole("article", { name: "Ultralight Trekking Poles" });
      await poles.waitFor();
      const sources = page.getByRole("complementary", { name: "Sync health" });
      await sources.getByRole("region", { name: "Trailhead Outfitters (demo)" }).getByText(/^Sync: /).waitFor();
      await stream; // the live stream is connected
      const admin = await apiAs(url, ADMIN);
      // Timed on a worker done with the demo's start-up work (minutes of it when this journey runs first):
      // what is measured is the live path, webhook -> drain -> event -> refetch.
      await workerCaughtUp(admin);
      const cents = 10 + (Date.now() % 80);
      const price = `1${cents}.00`;
      await postCatalogUpdate(url, admin, {
        id: "1006", updated_at: new Date().toISOString(), title: "Ultralight Trekking Poles", vendor: "Summit Steel", type: "Equipment",
        description: "Carbon poles, 3-section, 240 g each, with cork grips.", status: "active", tags: ["trekking"],
        variants: [{ id: "POLE-UL-PAIR", sku: "POLE-UL-PAIR", price, currency: "EUR", stock: 2, options: {} }],
      });
      // No reload, and no poll while the stream is up: the catalogue's live event refreshes the card.
      const posted = Date.now();
      await poles.getByText(`€${price}`).first().waitFor({ timeout: 8_000 });
      const seconds = (Date.now() - posted) / 1000;
      assert.ok(seconds < 8, `the update showed after ${seconds} s`);
      console.log(`     the webhook's price showed ${seconds.toFixed(2)} s after it was posted`);
      await poles.getByText("2 · Low stock").waitFor();
      await sources.getByText(/product 1006/).first().waitFor({ timeout: 30_000 });
      await shot("20-catalog");
      await audit("the catalogue");
    },
  },
  {
    name: "catalog-sources: an admin creates a catalogue source, copies its webhook URL, rotates its secret (the old one still works) (desktop and phone)",
    async run({ page, url, shot, audit }) {
      await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: url });
      await signIn(page, url, ADMIN);
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
      await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Catalogue sources" }).click();
      await page.getByRole("heading", { level: 1, name: "Catalogue sources" }).waitFor();
      const demo = page.getByRole("region", { name: "Trailhead Outfitters (demo)" });
      await demo.getByText("Webhook secret").waitFor();
      await demo.getByRole("group", { name: "Sync health of Trailhead Outfitters (demo)" }).getByText(/^Sync: /).waitFor();

      const name = `Outlet ${unique()}`;
      await page.getByRole("button", { name: "New catalogue source" }).click();
      const form = page.getByRole("form", { name: "New catalogue source" });
      await form.getByLabel("Name").fill(name);
      await form.getByLabel("Kind").selectOption("standard");
      await form.getByRole("button", { name: "Generate a secret" }).click();
      const secret = await form.getByLabel("Webhook secret").inputValue();
      assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
      await form.getByRole("button", { name: "Create source" }).click();
      await page.getByText(`Created ${name}.`, { exact: false }).waitFor();
      const created = page.getByRole("region", { name });
      await created.getByRole("button", { name: "Copy" }).click();
      await created.getByText("Copied.").waitFor();
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      assert.match(copied, new RegExp(`^${url}/webhook/catalog/[0-9a-f-]{36}$`));
      assert.equal(copied, await created.getByLabel("Webhook URL to paste into the shop").inputValue());
      assert.ok(!(await created.textContent()).includes(secret.slice(6, 20)), "the secret is never shown back");
      // The shop posts to the copied address, signed with the secret: the product arrives.
      const product = (sku, price) => ({ id: sku, updated_at: new Date().toISOString(), title: `Outlet tent ${sku}`, status: "active",
        variants: [{ id: sku, sku, price, currency: "EUR", stock: 4, options: {} }] });
      assert.equal((await postSignedProduct(copied, secret, product(`OUT-${unique()}`, "199.00"))).status, 200);
      await shot("31-settings-catalog-sources");
      await audit("Settings > Catalogue sources");

      await created.getByRole("button", { name: `Rotate the secret of ${name}` }).click();
      const rotate = created.getByRole("form", { name: `Rotate the secret of ${name}` });
      const fresh = await rotate.getByLabel("New webhook secret").inputValue();
      assert.notEqual(fresh, secret);
      await rotate.getByRole("button", { name: "Save new secret" }).click();
      await page.getByText(new RegExp(`^Secret rotated for ${name}\\. The old one stays valid until `)).waitFor();
      await created.getByText(/^Still valid until /).waitFor();
      // Deliveries the shop signed before it got the new secret still land during the grace period.
      assert.equal((await postSignedProduct(copied, secret, product(`OUT-${unique()}`, "189.00"))).status, 200, "the old secret still verifies");
      assert.equal((await postSignedProduct(copied, fresh, product(`OUT-${unique()}`, "179.00"))).status, 200, "the new secret verifies");
      const wrong = `whsec_${randomBytes(32).toString("base64")}`;
      assert.equal((await postSignedProduct(copied, wrong, product(`OUT-${unique()}`, "1.00"))).status, 401, "any other secret is refused");
      await created.getByText(/\b[1-9]\d* applied/).waitFor({ timeout: 30_000 }); // applied, and its health says so

      await page.setViewportSize({ width: 390, height: 844 });
      await page.reload();
      await page.getByRole("region", { name }).waitFor();
      assert.ok((await overflowOf(page)) <= 1, "Settings > Catalogue sources scrolls sideways at 390 px");
      await shot("32-phone-settings-catalog-sources");
      await audit("Settings > Catalogue sources at phone width");
    },
  },
  {
    name: "global search: Ctrl-K finds a product by a paraphrase and opens it",
    async run({ page, url, shot, audit }) {
      await signIn(page, url);
      await page.getByRole("heading", { level: 1 }).first().waitFor();
      await page.keyboard.press("Control+k");
      const dialog = page.getByRole("dialog", { name: "Search everything" });
      const box = dialog.getByRole("combobox");
      await box.fill("flask that keeps drinks cold");
      const hit = dialog.getByRole("option").filter({ hasText: "Insulated Water Bottle" });
      await hit.waitFor({ timeout: 30_000 });
      await shot("21-search");
      await audit("the search palette");
      const options = await dialog.getByRole("option").allTextContents();
      const index = options.findIndex((t) => t.includes("Insulated Water Bottle"));
      for (let i = 0; i < index; i += 1) await box.press("ArrowDown");
      await box.press("Enter");
      await page.getByRole("article", { name: "Insulated Water Bottle 750 ml" }).waitFor();
      assert.match(page.url(), /\/catalog\?q=/);
    },
  },
  {
    name: "escalations: the queue shows what waits, overdue first",
    async run({ page, url, shot, audit }) {
      await signIn(page, url, ADMIN);
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Escalations" }).click();
      await page.getByRole("heading", { level: 1, name: "Escalations" }).waitFor();
      await page.getByRole("list", { name: "Escalated conversations" }).or(page.getByText("Nothing escalated.")).waitFor();
      await shot("22-escalations");
      await audit("the escalations queue");
    },
  },
  {
    name: "phone width: suggestions, escalations, catalogue, search and settings fit 390 px",
    viewport: { width: 390, height: 844 },
    async run({ page, url, shot, audit }) {
      await signIn(page, url, ADMIN);
      const screens = [
        ["/escalations", page.getByRole("heading", { level: 1, name: "Escalations" }), "23-phone-escalations"],
        ["/catalog", page.getByRole("article").first(), "24-phone-catalog"],
        ["/settings/ai", page.locator(".recharts-surface, .empty-state").first(), "25-phone-settings-ai"],
        ["/settings/system", page.getByRole("region", { name: "Summary" }), "26-phone-system"],
        ["/settings/dead-letters", page.getByRole("heading", { level: 1, name: "Dead letters" }), "27-phone-dead-letters"],
        ["/settings/users", page.getByRole("table"), "28-phone-users"],
      ];
      for (const [path, ready, name] of screens) {
        await page.goto(`${url}${path}`);
        await ready.waitFor({ timeout: 30_000 });
        assert.ok((await overflowOf(page)) <= 1, `${path} scrolls sideways at 390 px`);
        await shot(name);
        await audit(`${path} at phone width`);
      }
      // A conversation with an AI suggestion (the suggestion journey leaves one; the demo mail may too).
      const admin = await apiAs(url, ADMIN);
      const { items: suggested } = await admin("GET", "/api/v1/suggestions?limit=20");
      const withDraft = suggested.find((s) => s.draft_text) ?? suggested[0];
      assert.ok(withDraft, "there is an AI suggestion to show");
      await page.goto(`${url}/inbox/${withDraft.conversation_id}`);
      await page.getByRole("region", { name: "AI suggestions" }).waitFor({ timeout: 30_000 });
      assert.ok((await overflowOf(page)) <= 1, "a conversation with a suggestion scrolls sideways at 390 px");
      await shot("29-phone-suggestion");
      await audit("a suggestion at phone width");
      await page.getByRole("button", { name: "Search" }).click();
      await page.getByRole("dialog", { name: "Search everything" }).getByRole("combobox").fill("socks");
      await page.getByRole("dialog", { name: "Search everything" }).getByRole("option").first().waitFor({ timeout: 30_000 });
      assert.ok((await overflowOf(page)) <= 1, "the search palette scrolls sideways at 390 px");
      await shot("30-phone-search");
      await audit("the search palette at phone width");
    },
  },
  {
    name: "analytics: every chart renders (or says its range is empty), each with a table view",
    async run({ page, url, dataDir, shot, audit }) {
      // Rollups refresh every five minutes: run the job now, and wait for the demo's messages and AI
      // decisions to be counted (the worker may still be busy with the demo's embedding jobs).
      const admin = await apiAs(url, ADMIN);
      runScheduledJob(dataDir, "analytics.refresh");
      let refreshed = Date.now();
      await eventually("the demo's messages and AI decisions in the rollups", async () => {
        const [messages, automation] = await Promise.all([
          admin("GET", "/api/v1/analytics/messages"), admin("GET", "/api/v1/analytics/automation")]);
        if (messages.total > 0 && automation.decided > 0) return true;
        if (Date.now() - refreshed > 30_000) { // decisions made since: count them too (one job at a time)
          runScheduledJob(dataDir, "analytics.refresh");
          refreshed = Date.now();
        }
        return false;
      }, 300);
      await signIn(page, url, ADMIN);
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Analytics" }).click();
      await page.getByRole("heading", { level: 1, name: "Analytics" }).waitFor();
      const charts = ["Pipeline", "Win rate", "Revenue by product", "Response times", "Messages", "AI automation", "Rep activity"];
      // Each chart drawn (or its range said to be empty), then its table view, then the chart again.
      const everyChartAndTable = async () => {
        for (const name of charts) {
          const card = page.getByRole("region", { name, exact: true });
          await card.locator(".recharts-wrapper, .empty-state").first().waitFor({ timeout: 30_000 });
          if (await card.locator(".recharts-wrapper").count()) {
            await card.getByRole("button", { name: "Show table" }).click();
            await card.getByRole("table").first().waitFor();
            await card.getByRole("button", { name: "Show chart" }).click();
          }
        }
      };
      await everyChartAndTable();
      // The demo inbox has messages and AI decisions: those two charts are drawn.
      // (Bars are SVG paths, which Playwright never counts as visible: wait for them to be drawn with a size.)
      for (const name of ["Messages", "AI automation"]) {
        const bar = page.getByRole("region", { name, exact: true }).locator("path.recharts-rectangle").first();
        await bar.waitFor({ state: "attached", timeout: 30_000 });
        const box = await bar.evaluate((el) => el.getBoundingClientRect().toJSON());
        assert.ok(box.width > 0 && box.height > 0, `${name}: a bar is drawn (${JSON.stringify(box)})`);
      }
      await shot("31-analytics");
      await audit("analytics");
      await page.setViewportSize({ width: 390, height: 844 });
      // Charts re-measure on resize (ResizeObserver): wait for the page to settle at the new width.
      await page.waitForFunction(() => document.documentElement.scrollWidth <= window.innerWidth + 1, null, { timeout: 5_000 })
        .catch(() => assert.fail("analytics scrolls sideways at 390 px"));
      await shot("32-phone-analytics");
      await audit("analytics at phone width");
      await everyChartAndTable();
      // A table view at phone width: its rows stack, nothing scrolls sideways.
      const messages = page.getByRole("region", { name: "Messages", exact: true });
      await messages.getByRole("button", { name: "Show table" }).click();
      await messages.getByRole("table").first().waitFor();
      assert.ok((await overflowOf(page)) <= 1, "the messages table scrolls sideways at 390 px");
      await shot("32b-phone-analytics-table");
      await audit("an analytics table at phone width");
    },
  },
  {
    name: "whatsapp in the inbox: a customer's message arrives by signed webhook and reads as chat bubbles beside the lead score and recommendations (desktop and phone)",
    async run({ page, url, shot, audit }) {
      const admin = await apiAs(url, ADMIN);
      const appSecret = `e2e-app-secret-${letterTag()}`;
      const phoneNumberId = String(Date.now());
      const channel = await admin("POST", "/api/v1/channels", {
        kind: "whatsapp", name: `WhatsApp ${phoneNumberId}`,
        settings: { phone_number_id: phoneNumberId, display_phone_number: "+49 30 1234567" },
        secrets: { app_secret: appSecret, access_token: "e2e-token", verify_token: "e2e-verify" },
      });
      const waId = `49151${String(Date.now()).slice(-8)}`;
      const text = "Hello, are the Merino Hiking Socks in stock in size L?";
      const body = JSON.stringify({ object: "whatsapp_business_account", entry: [{ id: "WABA-E2E", changes: [{ field: "messages", value: {
        messaging_product: "whatsapp", metadata: { display_phone_number: "49301234567", phone_number_id: phoneNumberId },
        contacts: [{ profile: { name: "Wanda Chat" }, wa_id: waId }],
        messages: [{ from: waId, id: `wamid.e2e${Date.now()}`, timestamp: String(Math.floor(Date.now() / 1000)), type: "text", text: { body: text } }],
      } }] }] });
      // Signed as Meta signs: HMAC-SHA256 of the raw body with the app secret.
      const signature = `sha256=${createHmac("sha256", appSecret).update(body).digest("hex")}`;
      const posted = await fetch(`${url}/webhook/meta/${channel.id}`, {
        method: "POST", headers: { "Content-Type": "application/json", "X-Hub-Signature-256": signature }, body,
      });
      assert.ok(posted.ok, `the signed WhatsApp delivery is accepted: ${posted.status}`);
      const conversation = await eventually("the WhatsApp conversation", async () => {  // the demo's embedding jobs queue first
        const { items } = await admin("GET", `/api/v1/conversations?limit=50&channel_id=${channel.id}`);
        return items.find((c) => c.counterpart === waId);
      }, 240);
      assert.equal(conversation.channel_kind, "whatsapp");

      await signIn(page, url, ADMIN);
      await page.goto(`${url}/inbox/${conversation.id}`);
      const bubble = page.getByRole("article", { name: "From Wanda Chat" });
      await bubble.waitFor({ timeout: 30_000 });
      assert.ok(await bubble.evaluate((el) => el.classList.contains("chat-bubble-inbound")), "the message is a chat bubble");
      await bubble.getByText(text).waitFor();
      // Inside the 24-hour window: the composer is on, and no closed-window note.
      // The number reads grouped ("+49 1514 7171314"), as on the card.
      assert.ok(await page.getByLabel(/^Reply to \+49 \d{4} \d+$/).isEnabled(), "the composer is on inside the window");
      assert.equal(await page.getByRole("note", { name: "Reply window closed" }).count(), 0);
      const card = page.getByRole("complementary", { name: "Contact" });
      await card.getByRole("heading", { name: "Lead score" }).waitFor();
      await card.getByRole("heading", { name: "Recommended products" }).waitFor();
      await card.locator(".contact-card-score :is(.lead-score-value, p.muted)").first().waitFor({ timeout: 30_000 });
      await card.locator(".contact-card-recommendations :is(ol, p.muted)").first().waitFor({ timeout: 30_000 });
      await shot("32c-whatsapp-conversation");
      await audit("a WhatsApp conversation");
      await page.setViewportSize({ width: 390, height: 844 });
      await bubble.waitFor();
      assert.ok((await overflowOf(page)) <= 1, "a WhatsApp conversation scrolls sideways at 390 px");
      await shot("32d-phone-whatsapp-conversation");
      await audit("a WhatsApp conversation at phone width");
    },
  },
  {
    name: "home: a buying question becomes an opportunity, and its deal is made in one click",
    async run({ page, url, dataDir, shot, audit }) {
      const demo = await prepareDemoChannel(url);
      const tag = letterTag();
      const subject = `Price for twenty pairs of merino socks ${tag}`;
      await postMailgun(url, demo, {
        from: `ida.${tag}@example.org`, name: `Ida ${tag}`, subject,
        text: "Hello, how much do the Merino Hiking Socks cost? We would like to buy twenty pairs for our club.\n\nIda",
      });
      const conversation = await eventually("the buying question classified", async () => {
        const { items } = await demo.admin("GET", "/api/v1/conversations?limit=100");
        return items.find((c) => c.subject === subject && c.intent);
      });
      assert.ok(["pricing", "purchase_intent"].includes(conversation.intent), `classified as ${conversation.intent}`);
      runScheduledJob(dataDir, "ai.find_opportunities");
      await eventually("the opportunity raised", async () => {
        const { items } = await demo.admin("GET", "/api/v1/insights/opportunities?limit=100");
        return items.find((o) => o.title.includes(tag));
      });

      await signIn(page, url, ADMIN);
      await page.getByRole("heading", { level: 1, name: "Today" }).waitFor();
      const section = page.getByRole("region", { name: "Opportunities" });
      const create = section.getByRole("button", { name: new RegExp(`^Create deal: .*${tag}`) });
      await create.waitFor();
      await page.locator(".spinner").first().waitFor({ state: "detached" });
      await shot("31-home");
      await audit("the home page");
      await create.click();
      await section.getByRole("status").getByText(/Deal created for/).waitFor();
      assert.equal(await create.count(), 0, "the opportunity left the list");
      await section.getByRole("link", { name: "Open the deal" }).click();
      const drawer = page.getByRole("dialog", { name: new RegExp(tag) });
      await drawer.waitFor();
      await drawer.getByRole("link", { name: "Open contact" }).waitFor();
      await shot("32-home-deal-created");

      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${url}/`);
      await page.getByRole("heading", { level: 1, name: "Today" }).waitFor();
      await page.locator(".spinner").first().waitFor({ state: "detached" });
      assert.ok((await overflowOf(page)) <= 1, "home scrolls sideways at 390 px");
      await shot("33-phone-home");
      await audit("the home page at phone width");
    },
  },
  {
    name: "custom fields: an admin defines one in settings, and it is edited on a contact (desktop and phone)",
    async run({ page, url, shot, audit }) {
      const tag = letterTag();
      const label = `Preferred shop ${tag}`;
      await signIn(page, url, ADMIN);
      await page.goto(`${url}/settings/custom-fields`);
      await page.getByRole("button", { name: "New field" }).click();
      const form = page.getByRole("form", { name: "New custom field" });
      await form.getByLabel("Label").fill(label);
      await form.getByLabel("Type").selectOption("select");
      await form.getByLabel("Options").fill("Berlin\nVienna");
      await form.getByRole("button", { name: "Create field" }).click();
      await page.getByRole("status").getByText(`Created ${label}.`).waitFor();
      await page.getByText(`key preferred_shop_${tag}`).waitFor();
      await shot("34-settings-custom-fields");
      await audit("Settings > Custom fields");

      await createContact(page, url, "Runa", `Field${tag}`);
      const card = page.getByRole("region", { name: "Custom fields" });
      await card.getByRole("button", { name: "Edit custom fields" }).click();
      const edit = page.getByRole("form", { name: "Custom fields" });
      await edit.getByLabel(label).selectOption("Vienna");
      await edit.getByRole("button", { name: "Save" }).click();
      await card.getByText("Saved.").waitFor();
      await page.reload();
      await page.getByRole("region", { name: "Custom fields" }).getByText("Vienna").waitFor(); // stored on the server

      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByRole("region", { name: "Custom fields" }).getByRole("button", { name: "Edit custom fields" }).click();
      const phoneEdit = page.getByRole("form", { name: "Custom fields" });
      await phoneEdit.getByLabel(label).selectOption("Berlin");
      assert.ok((await overflowOf(page)) <= 1, "the custom fields form scrolls sideways at 390 px");
      await shot("35-phone-custom-fields");
      await audit("custom fields at phone width");
      await phoneEdit.getByRole("button", { name: "Save" }).click();
      await page.getByRole("region", { name: "Custom fields" }).getByText("Berlin").waitFor();
      const contactId = new URL(page.url()).pathname.split("/").pop();
      const admin = await apiAs(url, ADMIN);
      const saved = await admin("GET", `/api/v1/contacts/${contactId}`);
      assert.equal(saved.custom_fields[`preferred_shop_${tag}`], "Berlin");
    },
  },
  {
    name: "deal line items and teams: a product picked by keyboard drives the deal's amount; Settings > Teams (desktop and phone)",
    async run({ page, url, shot, audit }) {
      const tag = letterTag();
      await signIn(page, url, ADMIN);
      await createContact(page, url, "Lina", `Items${tag}`);
      const title = `Club order ${tag}`;
      await addDealFromContact(page, title);
      await page.getByRole("link", { name: title, exact: true }).click();
      const drawer = page.getByRole("dialog", { name: title });
      const items = drawer.getByRole("region", { name: "Line items" });
      await items.getByText("No products on this deal yet.").waitFor();
      const picker = items.getByRole("combobox", { name: "Product" });
      await picker.fill("merino hiking socks");
      await items.getByRole("option", { name: /Merino Hiking Socks/ }).first().waitFor({ timeout: 30_000 });
      await picker.press("ArrowDown");
      await picker.press("ArrowUp");
      await picker.press("Enter");
      const picked = await picker.inputValue();
      assert.match(picked, /Merino/, `picked ${picked}`);
      await items.getByLabel("Quantity", { exact: true }).fill("3");
      await items.getByRole("button", { name: "Add line item" }).click();
      await items.getByRole("row", { name: new RegExp(picked.split(" — ")[0]) }).waitFor();
      const total = await items.getByLabel("Line items total").textContent();
      await items.getByRole("checkbox", { name: "Total drives the deal's amount" }).check();
      // The deal's amount, as the API now stores it, is the line items' total (rounded for the details).
      const euros = Math.round(Number(total.replace(/[^0-9.]/g, "")));
      await drawer.locator("dl.details").getByText(`€${euros.toLocaleString("en-GB")}`).first().waitFor();
      await shot("36-deal-line-items");
      await audit("a deal with line items");

      await page.goto(`${url}/settings/teams`);
      await page.getByRole("heading", { level: 1, name: "Teams" }).waitFor();
      await page.getByRole("button", { name: "New team" }).click();
      const form = page.getByRole("form", { name: "New team" });
      await form.getByLabel("Name").fill(`Desk ${tag}`);
      await form.getByRole("checkbox", { name: "Erin Journey" }).check();
      await form.getByRole("button", { name: "Create team" }).click();
      await page.getByRole("region", { name: `Desk ${tag}` }).waitFor();
      await shot("37-settings-teams");
      await audit("Settings > Teams");

      await page.setViewportSize({ width: 390, height: 844 });
      await page.reload();
      await page.getByRole("region", { name: `Desk ${tag}` }).waitFor();
      assert.ok((await overflowOf(page)) <= 1, "Settings > Teams scrolls sideways at 390 px");
      await shot("38-phone-teams");
      await audit("Settings > Teams at phone width");
      await page.goto(`${url}/settings/channels`);
      await page.getByRole("button", { name: "New WhatsApp, Messenger or Lead Ads channel" }).click();
      await page.getByRole("form", { name: "New Meta channel" }).waitFor();
      assert.ok((await overflowOf(page)) <= 1, "the Meta channel form scrolls sideways at 390 px");
      await shot("39-phone-meta-channel");
      await audit("the Meta channel form at phone width");
      await page.goto(`${url}/contacts`);
      await page.getByRole("link", { name: `Lina Items${tag}` }).click();
      await page.getByRole("heading", { level: 1, name: `Lina Items${tag}` }).waitFor();
      await page.getByRole("link", { name: title, exact: true }).click(); // not the timeline's "<title>: started in New"
      await page.getByRole("dialog", { name: title }).getByRole("region", { name: "Line items" }).getByRole("row", { name: /Merino/ }).waitFor();
      assert.ok((await overflowOf(page)) <= 1, "a deal with line items scrolls sideways at 390 px");
      await shot("40-phone-line-items");
      await audit("line items at phone width");
    },
  },
];
