import type { components } from "@/lib/api/schema";

export type Company = components["schemas"]["CompanyRead"];
export type CompanyCreate = components["schemas"]["CompanyCreate"];
export type CompanyUpdate = components["schemas"]["CompanyUpdate"];
