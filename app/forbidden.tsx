import Link from "next/link";

export default function Forbidden() {
  return (
    <main
      id="main"
      className="mx-auto flex min-h-[60vh] max-w-lg flex-col items-center justify-center gap-4 px-6 text-center"
    >
      <p className="text-sm font-semibold text-brand-700">403</p>
      <h1 className="text-2xl font-semibold text-slate-900">You do not have access to this page</h1>
      <p className="text-slate-700">
        Only the owner and administrators of your organization can open it. Ask one of them if you need something
        changed.
      </p>
      <Link href="/dashboard" className="font-medium text-brand-700 underline-offset-4 hover:underline">
        Back to the dashboard
      </Link>
    </main>
  );
}
