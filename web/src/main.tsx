import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { Link } from "react-router";
import { startReactDsfr } from "@codegouvfr/react-dsfr/spa";
import { AnnouncerProvider } from "./app/announcer";
import { SessionProvider } from "./app/viewer";
import { AppRouter } from "./router";

// The DSFR's styles are linked from index.html (public/dsfr, copied by `react-dsfr
// copy-static-assets`); this starts its JavaScript and makes its components use the router's Link.
startReactDsfr({ defaultColorScheme: "system", Link });

declare module "@codegouvfr/react-dsfr/spa" {
  interface RegisterLink {
    Link: typeof Link;
  }
}

const root = document.getElementById("root");
if (root === null) throw new Error("index.html has no #root");

createRoot(root).render(
  <StrictMode>
    <AnnouncerProvider>
      <SessionProvider>
        <AppRouter />
      </SessionProvider>
    </AnnouncerProvider>
  </StrictMode>,
);
