import type { components } from "@/lib/api/schema";

export type Contact = components["schemas"]["ContactRead"];
export type ContactCreate = components["schemas"]["ContactCreate"];
export type ContactUpdate = components["schemas"]["ContactUpdate"];
export type Lifecycle = Contact["lifecycle_stage"];

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
