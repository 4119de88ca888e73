import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { baseRoutes, installFakeApi, json, problem } from "@/test/fake-api";
import { renderApp, signIn } from "@/test/render";
import { parseCsv } from "./csv-preview";
import type { ImportJob } from "./types";

const empty = () => json({ items: [], next_cursor: null });

/** jsdom cannot save files: record what the browser would have been asked to save instead. */
function recordDownloads() {
  URL.createObjectURL = () => "blob:export";
  URL.revokeObjectURL = () => {};
  const saved: string[] = [];
  vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
    saved.push(`${this.download} from ${this.href}`);
  });
  return saved;
}

const job = (extra: Partial<ImportJob>): ImportJob => ({
  id: "imp-1", object_type: "contacts", status: "queued", filename: "leads.csv", mapping: {}, total_rows: 3,
  processed_rows: 0, created_count: 0, skipped_count: 0, error_count: 0, errors: [], failure: null,
  created_by_id: "u-rita", created_at: "2026-12-06T08:00:00Z", started_at: null, finished_at: null, ...extra,
});

const LEADS = [
  "First Name,Last Name,Email,Notes",
  'Laura,Becker,laura@becker.example,"met at the fair, wants samples"',
  "Peter,Novak,peter@novak.example,",
  "Jonas,Weber,not-an-email,",
].join("\r\n");

describe("export", () => {
  it("downloads the contacts the list shows, filters included, with the session's token", async () => {
    const api = installFakeApi({
      ...baseRoutes,
      "GET /api/v1/contacts": empty,
      "GET /api/v1/contacts/export.csv": () => ({
        status: 200, body: "id,first_name\n", headers: { "Content-Type": "text/csv", "Content-Disposition": 'attachment; filename="contacts-2026-12-06.csv"' },
      }),
    });
    const saved = recordDownloads();
    await signIn();
    renderApp("/contacts?lifecycle_stage=customer");
    await userEvent.click(await screen.findByRole("button", { name: "Export CSV" }));
    await waitFor(() => expect(saved).toEqual(["contacts-2026-12-06.csv from blob:export"]));
    const call = api.find("GET", "/api/v1/contacts/export.csv")[0];
    expect(call.query.get("lifecycle_stage")).toBe("customer");
    expect(call.headers.get("Authorization")).toBe("Bearer access-1");
  });

  it("says in words why an export was refused, and saves nothing", async () => {
    installFakeApi({
      ...baseRoutes,
      "GET /api/v1/companies": empty,
      "GET /api/v1/companies/export.csv": () => problem(403, "Forbidden", "Not allowed"),
    });
    const saved = recordDownloads();
    await signIn();
    renderApp("/companies");
    await userEvent.click(await screen.findByRole("button", { name: "Export CSV" }));
    expect(await screen.findByText("You don't have permission to do that.")).toBeInTheDocument();
    expect(saved).toEqual([]);
  });
});

describe("import", () => {
  it("previews a CSV, maps its columns, and follows the job to the rows it did not import", async () => {
    let polls = 0;
    const api = installFakeApi({
      ...baseRoutes,
      "GET /api/v1/contacts": empty,
      "POST /api/v1/imports": () => json(job({}), 202),
      "GET /api/v1/imports/imp-1": () => {
        polls += 1;
        if (polls === 1) return json(job({ status: "running", processed_rows: 1, created_count: 1 }));
        return json(job({
          status: "done", processed_rows: 3, created_count: 1, skipped_count: 1, error_count: 1,
          errors: [
            { row: 3, message: "duplicate of contact c-9 (email peter@novak.example)", skipped: true },
            { row: 4, message: "emails.0: value is not a valid email address" },
          ],
        }));
      },
    });
    await signIn();
    renderApp("/contacts");
    await userEvent.click(await screen.findByRole("button", { name: "Import CSV" }));
    const panel = screen.getByRole("region", { name: "Import contacts" });
    expect(within(panel).getByText(/skipped, not merged/)).toBeInTheDocument();
    await userEvent.upload(within(panel).getByLabelText("CSV file"), new File([LEADS], "leads.csv", { type: "text/csv" }));

    const preview = await within(panel).findByRole("table", { name: "Columns and first rows" });
    expect(within(preview).getByRole("columnheader", { name: "Notes" })).toBeInTheDocument();
    expect(within(preview).getByText("met at the fair, wants samples")).toBeInTheDocument();
    expect(within(preview).getByLabelText("Field for First Name")).toHaveValue("first_name");
    expect(within(preview).getByLabelText("Field for Email")).toHaveValue("emails");
    expect(within(preview).getByLabelText("Field for Notes")).toHaveValue("");
    await userEvent.selectOptions(within(preview).getByLabelText("Field for Notes"), "source");
    await userEvent.click(within(panel).getByRole("button", { name: "Start import" }));

    expect(await within(panel).findByText("Importing: 1 of 3 rows done.")).toBeInTheDocument();
    expect(await within(panel).findByText("Import finished: 3 of 3 rows read.", {}, { timeout: 3000 })).toBeInTheDocument();
    expect(within(panel).getByText("1 created · 1 skipped as duplicates · 1 failed")).toBeInTheDocument();
    const rows = within(within(panel).getByRole("table", { name: "Rows not imported" })).getAllByRole("row");
    expect(rows[1]).toHaveTextContent("3Skippedduplicate of contact c-9");
    expect(rows[2]).toHaveTextContent("4Failedemails.0: value is not a valid email address");

    const upload = api.find("POST", "/api/v1/imports")[0];
    expect(upload.headers.get("Authorization")).toBe("Bearer access-1");
    expect(upload.form?.get("object_type")).toBe("contacts");
    expect(JSON.parse(String(upload.form?.get("mapping")))).toEqual({
      "First Name": "first_name", "Last Name": "last_name", Email: "emails", Notes: "source",
    });
  });

  it("shows why the API refused the file and leaves the mapping to fix", async () => {
    installFakeApi({
      ...baseRoutes,
      "GET /api/v1/companies": empty,
      "POST /api/v1/imports": () => problem(422, "This file cannot be imported", "the file is not UTF-8 text; save it as CSV UTF-8", {
        errors: [{ field: "file", in: "body", message: "the file is not UTF-8 text; save it as CSV UTF-8" }],
      }),
    });
    await signIn();
    renderApp("/companies");
    await userEvent.click(await screen.findByRole("button", { name: "Import CSV" }));
    const panel = screen.getByRole("region", { name: "Import companies" });
    await userEvent.upload(within(panel).getByLabelText("CSV file"), new File(["Name,Website\nKiesel Café,kiesel.example\n"], "co.csv"));
    expect(await within(panel).findByLabelText("Field for Name")).toHaveValue("name");
    expect(within(panel).getByLabelText("Field for Website")).toHaveValue("");
    await userEvent.click(within(panel).getByRole("button", { name: "Start import" }));
    expect(await within(panel).findByText("File: the file is not UTF-8 text; save it as CSV UTF-8")).toBeInTheDocument();
    expect(within(panel).getByRole("button", { name: "Start import" })).toBeEnabled();
  });

  it("offers the admin's custom fields and maps a column by the field's label", async () => {
    const api = installFakeApi({
      ...baseRoutes,
      "GET /api/v1/contacts": empty,
      "GET /api/v1/custom-fields": () => json({ items: [{
        id: "cf-1", key: "shoe_size", label: "Shoe size", object_type: "contact", field_type: "text", options: [],
        position: 0, required: false, created_at: "2026-11-01T09:00:00Z",
      }], next_cursor: null }),
      "POST /api/v1/imports": () => json(job({ status: "done", processed_rows: 1, total_rows: 1, created_count: 1 }), 202),
      "GET /api/v1/imports/imp-1": () => json(job({ status: "done", processed_rows: 1, total_rows: 1, created_count: 1 })),
    });
    await signIn();
    renderApp("/contacts");
    await userEvent.click(await screen.findByRole("button", { name: "Import CSV" }));
    const panel = screen.getByRole("region", { name: "Import contacts" });
    await userEvent.upload(within(panel).getByLabelText("CSV file"), new File(["Email,Shoe Size\nmia@example.net,38\n"], "c.csv"));
    expect(await within(panel).findByLabelText("Field for Shoe Size")).toHaveValue("cf.shoe_size");
    await userEvent.click(within(panel).getByRole("button", { name: "Start import" }));
    expect(await within(panel).findByText("1 created · 0 skipped as duplicates · 0 failed")).toBeInTheDocument();
    expect(JSON.parse(String(api.find("POST", "/api/v1/imports")[0].form?.get("mapping")))).toEqual({
      Email: "emails", "Shoe Size": "cf.shoe_size",
    });
  });

  it("will not start while no column is mapped or two columns go to one field", async () => {
    const api = installFakeApi({ ...baseRoutes, "GET /api/v1/companies": empty });
    await signIn();
    renderApp("/companies");
    await userEvent.click(await screen.findByRole("button", { name: "Import CSV" }));
    const panel = screen.getByRole("region", { name: "Import companies" });
    await userEvent.upload(within(panel).getByLabelText("CSV file"), new File(["Firma,Web\nA,a.example\n"], "co.csv"));
    const start = await within(panel).findByRole("button", { name: "Start import" });
    expect(start).toBeDisabled();
    expect(within(panel).getByText("Choose a field for at least one column.")).toBeInTheDocument();
    await userEvent.selectOptions(within(panel).getByLabelText("Field for Firma"), "name");
    await userEvent.selectOptions(within(panel).getByLabelText("Field for Web"), "name");
    expect(within(panel).getByText("Two columns go to “Name”; choose one.")).toBeInTheDocument();
    expect(start).toBeDisabled();
    await userEvent.selectOptions(within(panel).getByLabelText("Field for Web"), "domain");
    expect(start).toBeEnabled();
    expect(api.find("POST", "/api/v1/imports")).toEqual([]);
  });
});

describe("parseCsv", () => {
  it("keeps commas, quotes and line breaks inside quoted cells", () => {
    expect(parseCsv('a,b\n"x, y","say ""hi""\nthere"\n', 10)).toEqual([["a", "b"], ["x, y", 'say "hi"\nthere']]);
  });
});
