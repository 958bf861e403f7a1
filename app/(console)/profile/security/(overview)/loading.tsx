import { PageSkeleton } from "@/components/ui";

// Shown at once while this page loads (Next.js route loading state).
export default function Loading() {
  return <PageSkeleton title="Security" layout="cards" />;
}
