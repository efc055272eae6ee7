// The app's live regions: one polite (autosave, upload progress milestones, "lien envoyé"),
// one assertive (errors after an action). Always in the page, visually hidden; a message is
// cleared then written so that the same sentence twice is read twice.

import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from "react";

export interface AnnounceOptions {
  /** Interrupts the screen reader: only for errors after an action. */
  assertive?: boolean;
}

type Announce = (message: string, options?: AnnounceOptions) => void;

const AnnounceContext = createContext<Announce>(() => {});

/** `announce("Enregistré.")` reads the sentence to screen-reader users without moving focus. */
export function useAnnounce(): Announce {
  return useContext(AnnounceContext);
}

export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [polite, setPolite] = useState("");
  const [assertive, setAssertive] = useState("");
  const timers = useRef<{ polite?: number; assertive?: number }>({});

  const announce = useCallback<Announce>((message, options = {}) => {
    const which = options.assertive === true ? "assertive" : "polite";
    const set = which === "assertive" ? setAssertive : setPolite;
    set("");
    window.clearTimeout(timers.current[which]);
    timers.current[which] = window.setTimeout(() => set(message), 100);
  }, []);

  const value = useMemo(() => announce, [announce]);
  return (
    <AnnounceContext.Provider value={value}>
      {children}
      <div className="fr-sr-only" aria-live="polite" aria-atomic="true" data-testid="annonces">
        {polite}
      </div>
      <div className="fr-sr-only" aria-live="assertive" aria-atomic="true" data-testid="annonces-urgentes">
        {assertive}
      </div>
    </AnnounceContext.Provider>
  );
}
