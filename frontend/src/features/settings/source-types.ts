import type { components } from "@/lib/api/schema";

export type CatalogSource = components["schemas"]["SourceRead"];
export type SourceCreate = components["schemas"]["SourceCreate"];
export type SourceUpdate = components["schemas"]["SourceUpdate"];
export type SourceKind = components["schemas"]["SourceKind"];
