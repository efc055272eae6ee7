// The history: what happened to the current application (its timeline, the API's, oldest
// first), and the candidate's earlier applications.

import { Link } from "react-router";
import type { ApplicationState, MySpaceQuery } from "../../gql/graphql";
import { applicationStateLabels } from "../../labels";
import { paths } from "../../routes";
import { parisDateTime } from "../../time";
import { resultStates } from "./progress";

export type EventView = MySpaceQuery["myApplications"][number]["timeline"][number];

export interface EarlierApplication {
  id: string;
  state: ApplicationState;
  stateLabel: string;
  session: { label: string };
}

export function Timeline({ events }: { events: ReadonlyArray<EventView> }) {
  if (events.length === 0) return null;
  return (
    <>
      <h3 className="fr-h5">Votre candidature</h3>
      <ol>
        {events.map((event, index) => (
          <li key={`${event.occurredAt}-${index}`} className="fr-mb-1w">
            <strong>{event.fromState == null ? "Inscription" : applicationStateLabels[event.toState]}</strong> — le {parisDateTime(event.occurredAt)}, par{" "}
            {event.actor}
            {event.reason != null && event.reason !== "" && <> ({event.reason})</>}
          </li>
        ))}
      </ol>
    </>
  );
}

export function EarlierApplications({ applications }: { applications: ReadonlyArray<EarlierApplication> }) {
  if (applications.length === 0) return null;
  return (
    <>
      <h3 className="fr-h5">Vos candidatures précédentes</h3>
      <ul>
        {applications.map((application) => (
          <li key={application.id}>
            {application.session.label} : {application.stateLabel}
            {resultStates.has(application.state) && (
              <>
                {" "}
                — <Link to={paths.result(application.id)}>voir le résultat</Link>
              </>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
