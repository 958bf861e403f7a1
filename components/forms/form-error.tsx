import { Alert } from "@/components/ui/alert";

/** The form-level error of a submission (not tied to one field), or nothing. */
export function FormError({ message, title }: { message?: string | null; title?: string }) {
  if (!message) return null;
  return (
    <Alert variant="error" title={title}>
      {message}
    </Alert>
  );
}
