// The booking page's operations: what the emailed link opens, the free slots, and booking,
// moving and cancelling with the link. No sign-in: the token is the credential.

import { graphql } from "../../gql";

export const BookingOralFields = graphql(`
  fragment BookingOralFields on CandidateOral {
    bookingId
    startsAt
    endsAt
    mode
    coachName
    videoLink
    phone
    sequence
    changeableUntil
    canReschedule
    calendarFile
  }
`);

export const BookingLinkDocument = graphql(`
  query BookingLink($token: String!) {
    bookingLink(token: $token) {
      candidateName
      application {
        id
        state
        stateLabel
      }
      session {
        id
        label
      }
      oral {
        ...BookingOralFields
      }
    }
  }
`);

export const BookableSlotsDocument = graphql(`
  query BookableSlots($token: String!) {
    bookableSlots(token: $token) {
      date
      label
      slots {
        id
        startsAt
        endsAt
        modes
        coachName
      }
    }
  }
`);

export const BookOralDocument = graphql(`
  mutation BookOral($token: String!, $slotId: ID!, $mode: OralMode!) {
    bookOral(token: $token, slotId: $slotId, mode: $mode) {
      id
      state
      sequence
    }
  }
`);

export const RescheduleOralDocument = graphql(`
  mutation RescheduleOral($token: String!, $slotId: ID!) {
    rescheduleOral(token: $token, slotId: $slotId) {
      id
      state
      sequence
    }
  }
`);

export const CancelOralDocument = graphql(`
  mutation CancelOral($token: String!, $reason: String!) {
    cancelOral(token: $token, reason: $reason) {
      id
      state
      sequence
    }
  }
`);
