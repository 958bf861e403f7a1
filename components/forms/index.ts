export { CodeInput } from "./code-input";
export { ErrorSummary } from "./error-summary";
export { FormError } from "./form-error";
export { FieldError, FormField } from "./form-field";
export { MethodPicker } from "./method-picker";
export { PasswordInput } from "./password-input";
export { SubmitButton } from "./submit-button";
export { type ActionResultLike, useActionForm } from "./use-action-form";
