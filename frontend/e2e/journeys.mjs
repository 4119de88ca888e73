// The journeys a rep takes every day, each in a fresh browser context (so each signs in).
import assert from "node:assert/strict";

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
    async run({ page, url, shot, audit }) {
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
];
