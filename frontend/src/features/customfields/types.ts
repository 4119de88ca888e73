import type { components } from "@/lib/api/schema";

export type CustomField = components["schemas"]["CustomFieldRead"];
export type CustomFieldCreate = components["schemas"]["CustomFieldCreate"];
export type CustomFieldUpdate = components["schemas"]["CustomFieldUpdate"];
export type FieldType = components["schemas"]["FieldType"];
export type ObjectType = components["schemas"]["ObjectType"];

export const FIELD_TYPE_LABELS: Record<FieldType, string> = {
  text: "Text",
  number: "Number",
  date: "Date",
  boolean: "Yes / no",
  select: "Choice from a list",
};

export const OBJECT_TYPE_LABELS: Record<ObjectType, string> = {
  contact: "Contacts",
  company: "Companies",
  deal: "Deals",
};
