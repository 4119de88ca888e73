import type { components } from "@/lib/api/schema";

export type Product = components["schemas"]["ProductRead"];
export type Variant = components["schemas"]["VariantRead"];
export type Source = components["schemas"]["SourceRead"];
export type SourceHealth = components["schemas"]["SourceHealth"];
export type CatalogEvent = components["schemas"]["EventRead"];
export type SearchHit = components["schemas"]["SearchItem"];
