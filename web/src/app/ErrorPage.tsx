// Shown in the main region when a page fails to load or throws: most often a new version was deployed and this
// tab asks for a page file that no longer exists.

import { Button } from "@codegouvfr/react-dsfr/Button";
import { useEffect } from "react";
import { documentTitle } from "./Page";

export function ErrorPage() {
  useEffect(() => {
    document.title = documentTitle("Erreur");
  }, []);
  return (
    <div>
      <h1 tabIndex={-1}>La page n'a pas pu s'afficher</h1>
      <p>Le service a peut-être été mis à jour entre-temps. Rechargez la page ; si le problème continue, réessayez dans un instant.</p>
      <Button onClick={() => window.location.reload()}>Recharger la page</Button>
    </div>
  );
}
