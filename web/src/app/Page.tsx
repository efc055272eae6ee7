// Every page renders inside <Page title="…">: it sets document.title, renders the one h1 and,
// after each navigation (not on the first load, where the browser starts at the top and the
// skip links), moves focus to that h1 so screen readers announce the new page.

import { useEffect, useRef, type ReactNode } from "react";
import { useLocation } from "react-router";

export const SITE_NAME = "Certification des intras";

/** « Se connecter — Certification des intras ». */
export function documentTitle(title: string): string {
  return title === "" ? SITE_NAME : `${title} — ${SITE_NAME}`;
}

export interface PageProps {
  /** The page's name, for the tab title (and the h1 unless `heading` is given). */
  title: string;
  /** What the h1 shows when it differs from the title. */
  heading?: ReactNode;
  /** Narrow column for forms and short messages (the default); `false` for full-width pages. */
  narrow?: boolean;
  children?: ReactNode;
}

export function Page({ title, heading, narrow = true, children }: PageProps) {
  const h1 = useRef<HTMLHeadingElement>(null);
  const location = useLocation();

  useEffect(() => {
    document.title = documentTitle(title);
  }, [title]);

  useEffect(() => {
    // "default" is the key of the location the app was opened at.
    if (location.key !== "default") h1.current?.focus();
  }, [location.key]);

  const body = (
    <>
      <h1 ref={h1} tabIndex={-1}>
        {heading ?? title}
      </h1>
      {children}
    </>
  );
  return narrow ? (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-10 fr-col-lg-8">{body}</div>
    </div>
  ) : (
    body
  );
}
