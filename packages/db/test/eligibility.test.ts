import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../src/database.ts";
import { countIneligibleUsers, eligiblePerson, ineligibleReason } from "../src/eligibility.ts";
import { Prisma } from "../src/generated/prisma/client.ts";
import { createTestDatabase, testDatabaseKind } from "../src/testing.ts";

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});
beforeEach(async () => {
  await db.prisma.$executeRawUnsafe("TRUNCATE users CASCADE");
});

interface Person {
  id: string;
  birthDate?: string | null;
  deactivatedAt?: Date | null;
  deletedAt?: Date | null;
  createdAt?: Date;
}

async function insert(...people: Person[]) {
  await db.prisma.user.createMany({
    data: people.map((p) => ({
      id: p.id,
      displayName: p.id,
      birthDate: p.birthDate === undefined ? new Date("1990-06-15") : toDate(p.birthDate),
      deactivatedAt: p.deactivatedAt ?? null,
      deletedAt: p.deletedAt ?? null,
      createdAt: p.createdAt ?? new Date("2020-01-01T00:00:00Z"),
    })),
  });
}

const toDate = (day: string | null) => (day === null ? null : new Date(`${day}T00:00:00Z`));

/** Each person's reason and eligibility at `now`, as the database computes them. */
async function judged(now: Date) {
  const rows = await db.prisma.$queryRaw<
    { id: string; reason: string | null; eligible: boolean }[]
  >(
    Prisma.sql`SELECT u.id, ${ineligibleReason("u", now)} AS reason,
                      ${eligiblePerson("u", now)} AS eligible
               FROM users u ORDER BY u.id`,
  );
  for (const row of rows) expect(row.eligible).toBe(row.reason === null);
  return Object.fromEntries(rows.map((r) => [r.id, r.reason]));
}

describe(`the eligibility rule at its boundaries (${testDatabaseKind()})`, () => {
  it("is an adult from the 18th birthday on, by the UTC date of the clock", async () => {
    await insert(
      { id: "turns-18-today", birthDate: "2008-03-01" },
      { id: "turns-18-tomorrow", birthDate: "2008-03-02" },
      { id: "leap-day-born", birthDate: "2008-02-29" },
      { id: "adult", birthDate: "1990-06-15" },
      { id: "child", birthDate: "2015-01-01" },
    );
    // Just after midnight UTC on 1 March 2026 (still 28 February in New York).
    expect(await judged(new Date("2026-03-01T00:30:00Z"))).toEqual({
      adult: null,
      child: "minor",
      // Born on 29 February: 18 on 1 March in a common year.
      "leap-day-born": null,
      "turns-18-today": null,
      "turns-18-tomorrow": "minor",
    });
    expect(await judged(new Date("2026-02-28T23:59:59.999Z"))).toMatchObject({
      "leap-day-born": "minor",
      "turns-18-today": "minor",
    });
    // A leap year's 29 February: whoever was born on 28 February 18 years ago is an adult.
    await insert(
      { id: "born-2010-02-28", birthDate: "2010-02-28" },
      { id: "born-2010-03-01", birthDate: "2010-03-01" },
    );
    expect(await judged(new Date("2028-02-29T12:00:00Z"))).toMatchObject({
      "born-2010-02-28": null,
      "born-2010-03-01": "minor",
    });
  });

  it("counts deactivation and deletion from their time on, deletion first, then no birth date", async () => {
    const now = new Date("2026-03-01T12:00:00Z");
    const later = new Date(now.getTime() + 1);
    await insert(
      { id: "deleted-in-future", deletedAt: later },
      { id: "deactivated-in-future", deactivatedAt: later },
      { id: "deleted-now", deletedAt: now },
      { id: "deactivated-before", deactivatedAt: new Date("2026-01-01T00:00:00Z") },
      { id: "deleted-and-deactivated", deletedAt: now, deactivatedAt: now },
      { id: "deleted-minor", birthDate: "2015-01-01", deletedAt: now },
      { id: "deactivated-undated", birthDate: null, deactivatedAt: now },
      { id: "undated", birthDate: null },
      { id: "undated-future-deleted", birthDate: null, deletedAt: later },
    );
    expect(await judged(now)).toEqual({
      "deactivated-before": "deactivated",
      "deactivated-in-future": null,
      "deactivated-undated": "deactivated",
      "deleted-and-deactivated": "deleted",
      "deleted-in-future": null,
      "deleted-minor": "deleted",
      "deleted-now": "deleted",
      undated: "noBirthDate",
      "undated-future-deleted": "noBirthDate",
    });
  });

  it("counts the ineligible users who exist at the clock, by reason", async () => {
    const now = new Date("2026-03-01T12:00:00Z");
    await insert(
      { id: "a", birthDate: "2015-01-01" },
      { id: "b", birthDate: "2014-01-01" },
      { id: "c", birthDate: null },
      { id: "d", deletedAt: now },
      { id: "e" },
      { id: "created-later", birthDate: null, createdAt: new Date(now.getTime() + 1000) },
    );
    expect(await countIneligibleUsers(db, now)).toEqual({ deleted: 1, minor: 2, noBirthDate: 1 });
  });
});
