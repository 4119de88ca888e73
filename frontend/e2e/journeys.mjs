// The journeys a rep takes every day, each in a fresh browser context (so each signs in).
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { createServer } from "node:net";

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
  await form.getByLabel("Amount").fill("4200");
  await form.getByRole("button", { name: "Create deal" }).click();
  await page.getByRole("link", { name: title }).waitFor();
}

// run.mjs starts the backend with this admin (MANCREL_ADMIN_PASSWORD); the inbox journeys use it
// through the API to point the demo mail channel at a signing key and an SMTP server of their own.
const ADMIN = { email: "admin@example.com", password: "e2e-admin-password-1234" };

async function apiAs(url, who) {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(who),
  });
  assert.equal(login.status, 200, `sign-in as ${who.email}`);
  const { access_token } = await login.json();
  return async (method, path, body) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${access_token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
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
 * classified: from then on, the time to arrive is the inbox's own.
 */
async function workerCaughtUp(admin, seconds = 300) {
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

const overflowOf = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

const column = (page, stage) => page.locator("section.stage-column", { has: page.getByRole("heading", { name: stage, exact: true }) });

export const journeys = [
  {
    name: "the demo team's board, a company and its contacts (demo data loaded)",
    async run({ page, url, shot, audit }) {
      await signIn(page, url, { email: "maria.manager@example.com", password: "mancrel-demo-2026" });
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
];
