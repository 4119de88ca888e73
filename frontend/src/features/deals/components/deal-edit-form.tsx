import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { ErrorMessage } from "@/components/ui/error-message";
import { Field } from "@/components/ui/field";
import { useUpdateDeal } from "../api/update-deal";
import type { Deal } from "../types";

const schema = z.object({
  title: z.string().trim().min(1, "Give the deal a title.").max(300),
  amount: z.string().trim().regex(/^\d{1,12}(\.\d{1,2})?$/, "Enter an amount like 1250 or 1250.50."),
  currency: z.string().trim().regex(/^[A-Za-z]{3}$/, "Use a three-letter currency code, e.g. EUR."),
  expected_close_date: z.string(),
});
type Values = z.infer<typeof schema>;

const toValues = (d: Deal): Values => ({
  title: d.title, amount: String(d.amount), currency: d.currency, expected_close_date: d.expected_close_date ?? "",
});

export function DealEditForm({ deal, onDone }: { deal: Deal; onDone: () => void }) {
  const update = useUpdateDeal(deal);
  const form = useForm<Values>({ resolver: zodResolver(schema), values: toValues(deal) });
  const { errors } = form.formState;

  const onSubmit = form.handleSubmit(async (v) => {
    try {
      await update.mutateAsync({
        title: v.title, currency: v.currency.toUpperCase(), expected_close_date: v.expected_close_date || null,
        // While the line items drive the amount, the API refuses one typed in.
        ...(deal.amount_from_line_items ? {} : { amount: v.amount }),
      });
      onDone();
    } catch {
      // update.error is on screen; a 412 has already loaded the other person's version
    }
  });

  return (
    <form className="record-form" onSubmit={onSubmit} noValidate aria-label="Edit deal">
      <div className="form-grid">
        <Field label="Deal title" error={errors.title?.message}><input type="text" {...form.register("title")} /></Field>
        <Field label="Amount" error={errors.amount?.message} hint={deal.amount_from_line_items ? "The total of the line items." : undefined}>
          <input type="text" inputMode="decimal" readOnly={deal.amount_from_line_items} {...form.register("amount")} />
        </Field>
        <Field label="Currency" error={errors.currency?.message}><input type="text" maxLength={3} {...form.register("currency")} /></Field>
        <Field label="Expected close"><input type="date" {...form.register("expected_close_date")} /></Field>
      </div>
      {update.error && <ErrorMessage error={update.error} />}
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={form.formState.isSubmitting}>Save</button>
        <button type="button" className="button button-ghost" onClick={onDone}>Cancel</button>
      </div>
    </form>
  );
}
