import type { components } from "@/lib/api/schema";

export type Contact = components["schemas"]["ContactRead"];
export type ContactCreate = components["schemas"]["ContactCreate"];
export type ContactUpdate = components["schemas"]["ContactUpdate"];
export type Lifecycle = Contact["lifecycle_stage"];
export type DuplicatePair = components["schemas"]["DuplicatePair"];
export type DuplicatePage = components["schemas"]["DuplicatePage"];
export type MergeResult = components["schemas"]["MergeResult"];

export const LIFECYCLE_LABELS: Record<Lifecycle, string> = {
  lead: "Lead",
  prospect: "Prospect",
  customer: "Customer",
  churned: "Churned",
};

export interface ContactFilters {
  q?: string;
  lifecycle_stage?: Lifecycle;
  owner_id?: string;
  unassigned?: boolean;
  company_id?: string;
  sort?: string;
}

/** Why the API thinks two contacts are one person. */
export const DUPLICATE_REASON_LABELS: Record<string, string> = {
  email: "Same email",
  phone: "Same phone",
  name: "Same name",
};

/** Each signal two possible duplicates share, as the pair's card words it. */
export const SHARED_SIGNAL_LABELS: Record<string, string> = {
  email: "email",
  phone: "phone",
  name: "name",
  company: "company",
};

/** A merge the rep can still undo from the duplicates screen. */
export interface MergeDone {
  mergeId: string;
  kept: Pick<Contact, "id" | "first_name" | "last_name">;
  merged: Pick<Contact, "id" | "first_name" | "last_name">;
}
