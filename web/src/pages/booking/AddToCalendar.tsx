// « Ajouter à mon agenda »: the oral's iCalendar file (from the API) offered as a download
// through a Blob URL, so no server route and no token in another URL are needed.

import { useEffect, useState } from "react";
import { CALENDAR_FILE_NAME } from "./format";

export function AddToCalendar({ calendarFile }: { calendarFile: string }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const created = URL.createObjectURL(new Blob([calendarFile], { type: "text/calendar;charset=utf-8" }));
    setUrl(created);
    return () => URL.revokeObjectURL(created);
  }, [calendarFile]);
  if (url === null) return null;
  return (
    <a
      className="fr-btn fr-btn--secondary fr-btn--icon-left fr-icon-calendar-line"
      href={url}
      download={CALENDAR_FILE_NAME}
    >
      Ajouter à mon agenda
    </a>
  );
}
