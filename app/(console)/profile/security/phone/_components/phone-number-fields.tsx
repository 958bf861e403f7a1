"use client";

import type { UseFormRegisterReturn } from "react-hook-form";
import { FormField } from "@/components/forms";
import { Input, Select } from "@/components/ui";

export type CountryOption = { code: string; name: string; dial: string };

/** The country picker and the number: the number may also start with + and the country code. */
export function PhoneNumberFields({
  countries,
  country,
  number,
  errors,
  numberLabel = "Mobile number",
}: {
  countries: CountryOption[];
  country: UseFormRegisterReturn;
  number: UseFormRegisterReturn;
  errors: { country?: string; number?: string };
  numberLabel?: string;
}) {
  return (
    <div className="grid gap-4 sm:grid-cols-[minmax(0,14rem)_minmax(0,1fr)]">
      <FormField label="Country" htmlFor="phone-country" error={errors.country}>
        <Select id="phone-country" autoComplete="tel-country-code" {...country}>
          {countries.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name} ({c.dial})
            </option>
          ))}
        </Select>
      </FormField>
      <FormField
        label={numberLabel}
        htmlFor="phone-number"
        error={errors.number}
        description="Mobile numbers only: codes come by text message."
      >
        <Input id="phone-number" type="tel" inputMode="tel" autoComplete="tel-national" {...number} />
      </FormField>
    </div>
  );
}
