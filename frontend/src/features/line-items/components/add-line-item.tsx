import { useState, type FormEvent } from "react";
import { Combobox } from "@/components/ui/combobox";
import { ErrorMessage } from "@/components/ui/error-message";
import { Field } from "@/components/ui/field";
import { useAddLineItem } from "../api/line-items";
import { useProductOptions, type ProductChoice } from "../api/product-options";
import { itemErrors } from "../line-items-logic";
import type { DealRef } from "../types";

const EMPTY = { title: "", quantity: "1", unit_price: "", discount_percent: "0" };

/** Add a catalogue product (price from the catalogue unless typed) or a custom line. */
export function AddLineItem({ deal }: { deal: DealRef }) {
  const add = useAddLineItem(deal.id);
  const [product, setProduct] = useState<ProductChoice | null>(null);
  const [search, setSearch] = useState<string | null>(null);
  const [values, setValues] = useState(EMPTY);
  const [tried, setTried] = useState(false);
  const options = useProductOptions(search ?? "", search !== null);
  const errors = itemErrors(values);
  const titleError = !product && !values.title.trim() ? "Pick a product, or name a custom item." : undefined;
  // The catalogue's price only counts in the deal's currency; otherwise the rep must type one.
  const priceNeeded = !values.unit_price.trim() && (!product || product.price === null || product.currency !== deal.currency);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (titleError || Object.keys(errors).length || priceNeeded) return;
    add.mutate({
      product_id: product?.productId ?? null, variant_id: product?.variantId ?? null,
      title: product ? null : values.title.trim(), quantity: Number(values.quantity),
      unit_price: values.unit_price.trim() || null, discount_percent: values.discount_percent.trim() || "0",
    }, {
      onSuccess: () => {
        setProduct(null);
        setValues(EMPTY);
        setTried(false);
      },
    });
  };
  const set = (key: keyof typeof EMPTY) => (e: { target: { value: string } }) => setValues({ ...values, [key]: e.target.value });

  return (
    <form className="record-form" onSubmit={submit} noValidate aria-label="Add a line item">
      <div className="form-grid">
        <Combobox label="Product" placeholder="Search the catalogue" selected={product}
          onSelect={(o) => setProduct(o as ProductChoice | null)}
          options={options.options} onSearch={setSearch} loading={options.loading} />
        {!product && (
          <Field label="Or a custom item" error={tried ? titleError : undefined}>
            <input type="text" maxLength={500} value={values.title} onChange={set("title")} />
          </Field>
        )}
        <Field label="Quantity" error={tried ? errors.quantity : undefined}>
          <input type="text" inputMode="numeric" value={values.quantity} onChange={set("quantity")} />
        </Field>
        <Field label={`Unit price (${deal.currency})`} error={tried ? (errors.unit_price ?? (priceNeeded ? "Give a price in the deal's currency." : undefined)) : undefined}
          hint={product?.price && product.currency === deal.currency ? `Blank: the catalogue's ${product.price}.` : undefined}>
          <input type="text" inputMode="decimal" value={values.unit_price} onChange={set("unit_price")} />
        </Field>
        <Field label="Discount %" error={tried ? errors.discount_percent : undefined}>
          <input type="text" inputMode="decimal" value={values.discount_percent} onChange={set("discount_percent")} />
        </Field>
      </div>
      {add.error && <ErrorMessage error={add.error} />}
      <div className="button-row">
        <button type="submit" className="button button-secondary" disabled={add.isPending}>Add line item</button>
      </div>
    </form>
  );
}
