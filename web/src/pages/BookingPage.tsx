// The booking page, opened from the emailed link without signing in: the oral already booked
// (move it, cancel it), or the days, the times and the recap to book one. Both the link's
// context and the free slots are asked at once on arrival. The API decides every rule (the
// 48 hours, the slots offered); this page shows its answers and its refusals.

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useClient, useMutation, useQuery } from "urql";
import { Link } from "react-router";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Page } from "../app/Page";
import { ErrorAlert, Loading } from "../app/status";
import { useAnnounce } from "../app/announcer";
import { describeError, errorCode, isTokenError, type ErrorLike } from "../api/errors";
import { paths } from "../routes";
import { useTokenFromPath } from "./useTokenFromPath";
import { CancelDialog } from "./booking/CancelDialog";
import { DayList } from "./booking/DayList";
import { flow, initialFlow, type Flow, type FlowEvent } from "./booking/flow";
import { InvalidLink } from "./booking/InvalidLink";
import { OralView } from "./booking/OralView";
import {
  BookableSlotsDocument,
  BookingLinkDocument,
  BookOralDocument,
  RescheduleOralDocument,
} from "./booking/queries";
import { Recap } from "./booking/Recap";
import { TimeList } from "./booking/TimeList";

export const SLOT_TAKEN_MESSAGE =
  "Ce créneau vient d'être pris par une autre personne. Voici les créneaux encore libres.";
export const CANCELLED_MESSAGE = "Votre oral est annulé ; vous pouvez choisir un autre créneau.";

/** Application states at which a booking link books, moves or cancels (others only show). */
const BOOKING_STATES: readonly string[] = ["COMPLETE", "BOOKED"];

interface Notice {
  severity: "error" | "info" | "success" | "warning";
  title: string;
  text: string;
}

interface Done {
  kind: "booked" | "moved";
  bookingId: string;
  sequence: number;
}

const daysWord = (n: number) => (n === 0 ? "aucun jour n'a" : n === 1 ? "1 jour a" : `${n} jours ont`);

export default function BookingPage() {
  const { token, forget } = useTokenFromPath("booking");
  const variables = useMemo(() => ({ token: token ?? "" }), [token]);
  // Both at once on arrival: the slots must show within a second.
  const [link, reexecuteLink] = useQuery({ query: BookingLinkDocument, variables, pause: token === null });
  const [slots, reexecuteSlots] = useQuery({ query: BookableSlotsDocument, variables, pause: token === null });
  const [{ fetching: booking }, bookOral] = useMutation(BookOralDocument);
  const [{ fetching: moving }, rescheduleOral] = useMutation(RescheduleOralDocument);
  const client = useClient();
  const announce = useAnnounce();

  const [chosen, setChosen] = useState<Flow | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [actionError, setActionError] = useState<ErrorLike | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const [refused, setRefused] = useState<ErrorLike | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const acted = useRef(false);

  const info = link.data?.bookingLink;
  const oral = info?.oral ?? null;
  const days = useMemo(() => slots.data?.bookableSlots ?? [], [slots.data]);
  let current = chosen ?? initialFlow(oral !== null);
  if (current.step === "overview" && oral === null) current = { ...current, step: "days", purpose: "book" };

  const tokenError =
    refused ??
    (link.error !== undefined && isTokenError(link.error) ? link.error : null) ??
    (slots.error !== undefined && isTokenError(slots.error) ? slots.error : null);
  useEffect(() => {
    if (tokenError !== null) forget();
  }, [tokenError, forget]);

  const doneReady =
    done !== null && oral !== null && oral.bookingId === done.bookingId && oral.sequence === done.sequence;

  // After each step the focus goes to the new step's heading (not on arrival: <Page> handles it).
  const focusKey = `${current.step}|${current.date ?? ""}|${current.step === "done" ? String(doneReady) : ""}|${oral !== null}`;
  useEffect(() => {
    if (acted.current) heading.current?.focus();
  }, [focusKey]);

  const go = useCallback(
    (event: FlowEvent, keep: { notice?: boolean } = {}) => {
      acted.current = true;
      if (keep.notice !== true) setNotice(null);
      setActionError(null);
      setChosen(flow(current, event));
    },
    [current],
  );

  /** Asks the API again (network only); the page's queries receive the answers. */
  const refresh = useCallback(
    async (what: { link?: boolean; slots?: boolean; announceSlots?: boolean }) => {
      if (token === null) return;
      const jobs: Array<Promise<unknown>> = [];
      if (what.link === true) {
        jobs.push(client.query(BookingLinkDocument, variables, { requestPolicy: "network-only" }).toPromise());
      }
      if (what.slots === true) {
        setRefreshing(true);
        jobs.push(
          client
            .query(BookableSlotsDocument, variables, { requestPolicy: "network-only" })
            .toPromise()
            .then((result) => {
              setRefreshing(false);
              if (result.data !== undefined && what.announceSlots === true) {
                announce(`Liste des créneaux mise à jour : ${daysWord(result.data.bookableSlots.length)} des créneaux libres.`);
              }
            }),
        );
      }
      await Promise.all(jobs);
    },
    [client, variables, token, announce],
  );

  const retryLoad = () => {
    reexecuteLink({ requestPolicy: "network-only" });
    reexecuteSlots({ requestPolicy: "network-only" });
  };

  const confirm = async () => {
    if (token === null || current.slotId === null) return;
    setActionError(null);
    const moving = current.purpose === "reschedule";
    const result = moving
      ? await rescheduleOral({ token, slotId: current.slotId })
      : await bookOral({ token, slotId: current.slotId, mode: current.mode ?? "VIDEO" });
    const error = result.error;
    if (error === undefined) {
      const made = result.data === undefined ? undefined : "bookOral" in result.data ? result.data.bookOral : result.data.rescheduleOral;
      if (made !== undefined) setDone({ kind: moving ? "moved" : "booked", bookingId: made.id, sequence: made.sequence });
      go({ type: "booked" });
      announce(moving ? "Votre oral est déplacé." : "Votre oral est réservé.");
      void refresh({ link: true, slots: true });
      return;
    }
    if (isTokenError(error)) {
      setRefused(error);
      return;
    }
    const { message } = describeError(error);
    switch (errorCode(error)) {
      case "SLOT_TAKEN":
        go({ type: "slotGone" });
        setNotice({ severity: "error", title: "Ce créneau n'est plus libre", text: SLOT_TAKEN_MESSAGE });
        announce(SLOT_TAKEN_MESSAGE, { assertive: true });
        void refresh({ slots: true, announceSlots: true });
        return;
      case "SLOT_UNAVAILABLE": {
        const text = `${message} Voici les créneaux encore libres.`;
        go({ type: "slotGone" });
        setNotice({ severity: "error", title: "Ce créneau n'est plus réservable", text });
        announce(text, { assertive: true });
        void refresh({ slots: true, announceSlots: true });
        return;
      }
      case "ALREADY_BOOKED":
      case "TOO_LATE":
      case "CONFLICT":
        acted.current = true;
        setChosen(null);
        setNotice({
          severity: errorCode(error) === "ALREADY_BOOKED" ? "info" : "error",
          title: errorCode(error) === "ALREADY_BOOKED" ? "Votre oral est déjà réservé" : "Votre oral n'a pas été déplacé",
          text: message,
        });
        announce(message, { assertive: true });
        void refresh({ link: true, slots: true });
        return;
      default:
        setActionError(error);
    }
  };

  const onCancelled = () => {
    setDone(null);
    go({ type: "start", purpose: "book" });
    setNotice({ severity: "success", title: "Annulation enregistrée", text: CANCELLED_MESSAGE });
    announce(CANCELLED_MESSAGE);
    void refresh({ link: true, slots: true });
  };

  if (token === null) return <InvalidLink missing />;
  if (tokenError !== null) return <InvalidLink missing={false} />;
  if (info === undefined) {
    return (
      <Page title="Réserver mon oral">
        {link.error !== undefined ? (
          <>
            <ErrorAlert error={link.error} title="La page n'a pas pu se charger" announce={false} />
            <Button onClick={retryLoad}>Réessayer</Button>
          </>
        ) : (
          <Loading label="Chargement de vos créneaux…" />
        )}
      </Page>
    );
  }

  const actions = BOOKING_STATES.includes(info.application.state);
  const day = days.find((candidate) => candidate.date === current.date);
  const slot = day?.slots.find((candidate) => candidate.id === current.slotId);

  const body = () => {
    if (!actions) {
      return (
        <>
          <Alert
            severity="info"
            as="h2"
            className="fr-mt-4w fr-mb-4w"
            title={`Votre candidature : ${info.application.stateLabel}`}
            description={
              oral === null
                ? "Il n'y a pas d'oral à réserver avec ce lien à ce stade de votre candidature."
                : "Votre oral ne peut plus être déplacé ni annulé avec ce lien."
            }
          />
          {oral !== null && <OralView oral={oral} justDone={null} actions={false} headingRef={heading} onReschedule={() => {}} />}
          <p>
            Pour suivre votre candidature, <Link to={paths.signIn()}>connectez-vous à votre espace</Link>.
          </p>
        </>
      );
    }
    switch (current.step) {
      case "overview":
      case "done":
        if (current.step === "done" && !doneReady) {
          return link.error !== undefined ? (
            <>
              <ErrorAlert error={link.error} title="La confirmation n'a pas pu s'afficher" />
              <Button onClick={() => void refresh({ link: true })}>Réessayer</Button>
            </>
          ) : (
            <Loading label="Confirmation en cours…" />
          );
        }
        return oral === null ? null : (
          <OralView
            oral={oral}
            justDone={current.step === "done" ? (done?.kind ?? null) : null}
            actions
            headingRef={heading}
            onReschedule={() => go({ type: "start", purpose: "reschedule" })}
          />
        );
      case "days":
        if (slots.error !== undefined && slots.data === undefined) {
          return (
            <>
              <ErrorAlert error={slots.error} title="Les créneaux n'ont pas pu se charger" announce={false} />
              <Button onClick={() => reexecuteSlots({ requestPolicy: "network-only" })}>Réessayer</Button>
            </>
          );
        }
        if (slots.data === undefined) return <Loading label="Chargement des créneaux…" />;
        return (
          <DayList
            days={days}
            purpose={current.purpose}
            refreshing={refreshing}
            headingRef={heading}
            onChoose={(date) => go({ type: "chooseDay", date })}
            onBack={() => go({ type: "back" })}
          />
        );
      case "times":
        return (
          <TimeList
            day={day}
            headingRef={heading}
            onChoose={(slotId, modes) => go({ type: "chooseSlot", slotId, modes })}
            onBack={() => go({ type: "back" })}
          />
        );
      case "recap":
        return (
          <Recap
            slot={slot}
            purpose={current.purpose}
            mode={current.mode}
            current={oral}
            submitting={booking || moving}
            error={actionError}
            headingRef={heading}
            onMode={(mode) => go({ type: "chooseMode", mode })}
            onConfirm={() => void confirm()}
            onBack={() => go({ type: "back" })}
          />
        );
    }
  };

  return (
    <Page title="Réserver mon oral">
      <p className="fr-text--lead fr-mb-2w">
        {info.candidateName} — {info.session.label}
      </p>
      {oral === null && actions && (
        <p>Choisissez le jour, puis l'horaire de votre oral de certification. Tous les horaires sont à l'heure de Paris.</p>
      )}
      {current.purpose === "reschedule" && current.step !== "done" && actions && oral !== null && (
        <p>Choisissez le nouveau jour, puis le nouvel horaire de votre oral. Tous les horaires sont à l'heure de Paris.</p>
      )}
      {notice !== null && (
        <Alert severity={notice.severity} as="h2" className="fr-mt-3w" title={notice.title} description={notice.text} />
      )}
      {body()}
      {actions && oral !== null && (
        <CancelDialog token={token} onCancelled={onCancelled} onTokenError={(error) => setRefused(error)} />
      )}
    </Page>
  );
}
