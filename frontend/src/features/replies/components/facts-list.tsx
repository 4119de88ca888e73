import { formatDateTime } from "@/lib/format";
import type { Fact } from "../types";

const FIELD_LABELS: Record<string, string> = { title: "Product", price: "Price", stock: "Stock" };

/** The facts the draft was written from: product fields as synced, and knowledge entries. */
export function FactsList({ facts }: { facts: Fact[] }) {
  if (facts.length === 0) return <p className="muted">No catalogue facts: the draft states none.</p>;
  const titles = new Map(facts.filter((f) => f.field === "title" && f.product_id).map((f) => [f.product_id, String(f.value)]));
  return (
    <div className="table-wrap">
      <table className="data-table facts-table">
        <caption className="visually-hidden">Facts the draft used</caption>
        <thead>
          <tr><th scope="col">Product</th><th scope="col">SKU</th><th scope="col">Field</th><th scope="col">Value</th><th scope="col">Synced</th></tr>
        </thead>
        <tbody>
          {facts.filter((f) => f.field !== "title").map((f, i) => (
            <tr key={i}>
              <td data-label="Product">{f.knowledge_id ? "Seller knowledge" : titles.get(f.product_id) ?? ""}</td>
              <td data-label="SKU">{f.sku ?? ""}</td>
              <td data-label="Field">{FIELD_LABELS[f.field] ?? f.field}</td>
              <td data-label="Value">{f.value === null || f.value === undefined ? "not tracked" : String(f.value)}</td>
              <td data-label="Synced">{f.source_updated_at ? formatDateTime(f.source_updated_at) : f.version ? `version ${f.version}` : ""}</td>
            </tr>
          ))}
          {facts.every((f) => f.field === "title") && [...titles.entries()].map(([id, title]) => (
            <tr key={id}><td data-label="Product">{title}</td><td /><td data-label="Field">Product</td><td data-label="Value">{title}</td><td /></tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
