export { Alert, type AlertVariant } from "./alert";
export { Badge, type BadgeVariant } from "./badge";
export {
  Button,
  ButtonLink,
  type ButtonLinkProps,
  type ButtonProps,
  type ButtonSize,
  type ButtonVariant,
  buttonClasses,
} from "./button";
export { Card, CardBody, CardHeader } from "./card";
export { cn } from "./cn";
export { ConfirmDialog, type ConfirmDialogProps } from "./confirm-dialog";
export { DangerIcon, Dialog, openDialog } from "./dialog";
export { EmptyState } from "./empty-state";
export { Input } from "./input";
export { LocalTime, type TimeFormat, TimeZoneProvider, useTimeZone } from "./local-time";
export { PageHeader } from "./page-header";
export { ScrollArea } from "./scroll-area";
export { Select } from "./select";
export { PageSkeleton, Skeleton } from "./skeleton";
export { Spinner } from "./spinner";
export { Table, TBody, Td, THead, Th, Tr } from "./table";
