import type { ReactNode } from "react";
import { Button, type ButtonProps, type ButtonVariant } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";

/** The submit button of a form: disabled, busy and showing a spinner while `pending`. */
export function SubmitButton({
  pending,
  children,
  className,
  variant = "primary",
  disabled,
  ...props
}: Omit<ButtonProps, "type" | "children" | "variant"> & {
  pending: boolean;
  children: ReactNode;
  variant?: ButtonVariant;
}) {
  return (
    <Button
      type="submit"
      variant={variant}
      className={className}
      disabled={pending || disabled}
      aria-busy={pending || undefined}
      {...props}
    >
      {pending ? <Spinner /> : null}
      {children}
    </Button>
  );
}
