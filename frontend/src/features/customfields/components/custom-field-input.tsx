import type { UseFormRegisterReturn } from "react-hook-form";
import type { CustomField } from "../types";

/** The control for one field's type; "" always means "not set". */
export function CustomFieldInput({ field, registration, ...aria }: { field: CustomField; registration: UseFormRegisterReturn }) {
  switch (field.field_type) {
    case "number":
      return <input type="text" inputMode="decimal" {...aria} {...registration} />;
    case "date":
      return <input type="date" {...aria} {...registration} />;
    case "boolean":
      return (
        <select {...aria} {...registration}>
          <option value="">Not set</option>
          <option value="true">Yes</option>
          <option value="false">No</option>
        </select>
      );
    case "select":
      return (
        <select {...aria} {...registration}>
          <option value="">Not set</option>
          {field.options.map((o) => <option key={String(o)} value={String(o)}>{String(o)}</option>)}
        </select>
      );
    default:
      return <input type="text" maxLength={2000} {...aria} {...registration} />;
  }
}
