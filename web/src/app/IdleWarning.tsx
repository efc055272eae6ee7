// Warns a signed-in person before the server's idle sign-out (RGAA: a time limit is announced
// and can be extended). "Rester connecté·e" sends a request, which is what keeps a session alive;
// at the end the app signs out for real, so no screen shows data of an ended session.

import { useEffect, useState } from "react";
import { createModal } from "@codegouvfr/react-dsfr/Modal";
import { useIsModalOpen } from "@codegouvfr/react-dsfr/Modal/useIsModalOpen";
import { useNavigate } from "react-router";
import { lastApiActivity, onApiActivity } from "../api/activity";
import { paths } from "../routes";
import { parisTime } from "../time";
import { useAnnounce } from "./announcer";
import { IDLE_TIMEOUT_MINUTES, idlePhase, type IdlePhase } from "./idle";
import { useViewer } from "./viewer";

const modal = createModal({ id: "avertissement-deconnexion", isOpenedByDefault: false });
const CHECK_EVERY_MS = 15_000;

export function IdleWarning() {
  const { viewer, refresh, signOut } = useViewer();
  const signedIn = viewer?.signedIn === true;
  const idleMinutes = viewer?.idleTimeoutMinutes ?? IDLE_TIMEOUT_MINUTES;
  const [state, setState] = useState<IdlePhase>(() => idlePhase(Date.now(), lastApiActivity(), idleMinutes));
  const [ended, setEnded] = useState(false);
  const isOpen = useIsModalOpen(modal);
  const announce = useAnnounce();
  const navigate = useNavigate();

  useEffect(() => {
    if (!signedIn) return;
    setEnded(false);
    const check = () => setState(idlePhase(Date.now(), lastApiActivity(), idleMinutes));
    check();
    const timer = window.setInterval(check, CHECK_EVERY_MS);
    const stop = onApiActivity(check);
    return () => {
      window.clearInterval(timer);
      stop();
    };
  }, [signedIn, idleMinutes]);

  useEffect(() => {
    if (!signedIn) return;
    if (state.phase === "warning" && !isOpen) modal.open();
    if (state.phase === "active" && isOpen && !ended) modal.close();
    if (state.phase === "expired" && !ended) {
      setEnded(true);
      void signOut();
      if (!isOpen) modal.open();
    }
  }, [signedIn, state, isOpen, ended, signOut]);

  const stay = () => {
    refresh();
    announce("Vous restez connecté·e.");
  };
  const signInAgain = () => {
    setEnded(false);
    navigate(paths.signIn());
  };

  if (ended) {
    return (
      <modal.Component
        title="Vous avez été déconnecté·e"
        buttons={[{ children: "Se reconnecter", onClick: signInAgain }]}
      >
        <p>Sans activité de votre part, votre session a pris fin pour protéger vos données.</p>
      </modal.Component>
    );
  }
  return (
    <modal.Component
      title="Vous allez être déconnecté·e"
      buttons={[
        {
          children: "Se déconnecter",
          priority: "secondary",
          onClick: () => void signOut().then(() => navigate(paths.home())),
        },
        { children: "Rester connecté·e", onClick: stay },
      ]}
    >
      <p>
        Sans activité de votre part, vous serez déconnecté·e
        {state.phase === "warning"
          ? ` à ${parisTime(state.endsAt)} (heure de Paris), dans ${state.minutesLeft} minute${state.minutesLeft > 1 ? "s" : ""}`
          : " dans quelques minutes"}
        .
      </p>
    </modal.Component>
  );
}
