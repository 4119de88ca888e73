import type { components } from "@/lib/api/schema";

export type ImportJob = components["schemas"]["ImportRead"];
export type ImportObject = "contacts" | "companies" | "deals";

/**
 * The fields a CSV column may be mapped to, as each importer lists them in the backend
 * (`FIELDS` in contact/company/deal importer.py); the API has no endpoint that lists them.
 * Columns named `cf.<key>` go to that custom field.
 */
export const IMPORT_FIELDS: Record<ImportObject, Record<string, string>> = {
  contacts: {
    first_name: "First name", last_name: "Last name", title: "Job title", emails: "Emails", phones: "Phones",
    company: "Company name", company_domain: "Company domain", lifecycle_stage: "Lifecycle stage", tags: "Tags",
    source: "Source", whatsapp_id: "WhatsApp number", messenger_psid: "Messenger id", owner_email: "Owner (email)",
  },
  companies: {
    name: "Name", domain: "Domain", industry: "Industry", size: "Size", address: "Address", tags: "Tags",
    owner_email: "Owner (email)",
  },
  deals: {
    title: "Title", amount: "Amount", currency: "Currency", expected_close_date: "Expected close date",
    pipeline: "Pipeline", stage: "Stage", owner_email: "Owner (email)", contact_email: "Contact (email)",
    company: "Company name", lost_reason: "Lost reason",
  },
};

/** What the importer does with a row that matches a record already there (it never updates it). */
export const DUPLICATE_RULES: Record<ImportObject, string> = {
  contacts: "A row with the email or phone of an existing contact is skipped, not merged; the existing contact stays as it is.",
  companies: "A row with the domain of an existing company is skipped; the existing company stays as it is.",
  deals: "Pipeline and stage are named (empty: the default pipeline, its first stage). A row with the title of a live deal on the same contact and company in that pipeline is skipped.",
};
