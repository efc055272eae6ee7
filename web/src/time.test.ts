import { describe, expect, it } from "vitest";
import { dateTimeWithLocal, localTimeAside, naiveDate, offsetMinutes, parisDate, parisDateTime, parisDayKey, parisTimeRange } from "./time";

describe("time", () => {
  it("writes Paris time the way the emails do", () => {
    expect(parisDateTime("2027-05-18T08:00:00Z")).toBe("mardi 18 mai 2027 à 10 h 00 (heure de Paris)");
    expect(parisDateTime("2026-12-07T08:30:00Z")).toBe("lundi 7 décembre 2026 à 9 h 30 (heure de Paris)");
    expect(parisDate("2027-06-01T10:00:00Z")).toBe("mardi 1er juin 2027");
    expect(parisTimeRange("2027-05-18T08:00:00Z", "2027-05-18T09:30:00Z")).toBe("10 h 00 – 11 h 30 (heure de Paris)");
  });

  it("uses the Paris day, not the UTC one", () => {
    expect(parisDayKey("2027-05-17T22:30:00Z")).toBe("2027-05-18");
    expect(parisDate("2027-05-17T22:30:00Z")).toBe("mardi 18 mai 2027");
  });

  it("knows Paris's offset in winter and summer", () => {
    expect(offsetMinutes("Europe/Paris", "2027-01-15T12:00:00Z")).toBe(60);
    expect(offsetMinutes("Europe/Paris", "2027-07-15T12:00:00Z")).toBe(120);
    expect(offsetMinutes("America/Montreal", "2027-07-15T12:00:00Z")).toBe(-240);
  });

  it("adds the person's own time only when their offset differs at that instant", () => {
    expect(localTimeAside("2027-05-18T08:00:00Z", "Europe/Paris")).toBeNull();
    expect(localTimeAside("2027-05-18T08:00:00Z", "Europe/Brussels")).toBeNull();
    // Another zone name with Paris's offset that day (Lagos is UTC+1 all year): nothing to add in
    // winter, its own time in summer.
    expect(localTimeAside("2027-01-18T08:00:00Z", "Africa/Lagos")).toBeNull();
    expect(localTimeAside("2027-07-18T08:00:00Z", "Africa/Lagos")).toBe("9 h 00 à votre heure locale");
    expect(localTimeAside("2027-05-18T08:00:00Z", "Africa/Johannesburg")).toBeNull();
    expect(localTimeAside("2027-05-18T02:00:00Z", "America/Montreal")).toBe("lundi 17 mai 2027 à 22 h 00 à votre heure locale");
    expect(dateTimeWithLocal("2027-05-18T08:00:00Z", "America/Cayenne")).toBe(
      "mardi 18 mai 2027 à 10 h 00 (heure de Paris), soit 5 h 00 à votre heure locale",
    );
  });

  it("writes calendar dates without shifting them", () => {
    expect(naiveDate("2027-06-01")).toBe("mardi 1er juin 2027");
    expect(naiveDate("2027-06-15", false)).toBe("15 juin 2027");
  });
});
