"use client";

import { createContext, type ReactNode, useContext, useEffect, useState } from "react";
import { PageHeader } from "@/components/ui";

// Whether the setup on this page just succeeded, shared by the page's heading (and browser title) and the form: after
// success the page says that 2FA is on (issue 10 item 6), and the notes that led to the setup step aside.

const SetupDone = createContext<{ done: boolean; setDone: (done: boolean) => void }>({
  done: false,
  setDone: () => {},
});

export function SetupStateProvider({ children }: { children: ReactNode }) {
  const [done, setDone] = useState(false);
  return <SetupDone.Provider value={{ done, setDone }}>{children}</SetupDone.Provider>;
}

export const useSetupDone = () => useContext(SetupDone);

/** The page heading: what the page is for, then — once the setup succeeded — that 2FA is on (also the tab's title). */
export function SetupPageHeader({
  title,
  doneTitle,
  description,
}: {
  title: string;
  doneTitle: string;
  description: string;
}) {
  const { done } = useSetupDone();
  useEffect(() => {
    if (done) document.title = `${doneTitle} · Twofold`;
  }, [done, doneTitle]);
  return done ? (
    <PageHeader title={doneTitle} description="Save your recovery codes: they are shown only this once." />
  ) : (
    <PageHeader title={title} description={description} />
  );
}

/** Content that only matters before the setup succeeded (the requirement notices). */
export function BeforeSetupDone({ children }: { children: ReactNode }) {
  return useSetupDone().done ? null : children;
}
