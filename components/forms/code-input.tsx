import type { ComponentProps } from "react";
import { cn } from "../ui/cn";
import { Input } from "../ui/input";

/**
 * The input for a 6-digit authenticator code: numeric keyboard, one-time-code autofill, room for the spaces people
 * type ("123 456"). Forwards every prop (including `ref`), so `{...register("code")}` works.
 */
export function CodeInput({ className, ...props }: ComponentProps<"input">) {
  return (
    <Input
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={9}
      className={cn("font-mono tracking-[0.3em]", className)}
      {...props}
    />
  );
}
