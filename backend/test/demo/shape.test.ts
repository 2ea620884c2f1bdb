import { describe, expect, it } from "vitest";
import { HOUR } from "../../src/demo/constants.ts";
import type { Person } from "../../src/demo/population.ts";
import { Rng } from "../../src/demo/random.ts";
import { generatePopulation } from "../../src/demo/seed.ts";
import { METRO_SHARE } from "../../src/demo/shape.ts";
import { CITIES } from "../../src/demo/vocabulary.ts";

const now = new Date("2026-03-01T12:00:00.000Z").getTime();
const USERS = 2000;
const spread = generatePopulation(new Rng(5), USERS, now);
const metro = generatePopulation(new Rng(5), USERS, now, { shape: "metro" });

const inFirstCity = (people: readonly Person[]) =>
  people.filter((p) => p.city === 0).length / people.length;

/** Kilometres from the city centre (equirectangular: fine within a city). */
function kmFromCentre(p: Person): number {
  const home = CITIES[p.city] as (typeof CITIES)[number];
  const dLat = ((p.lat ?? home.lat) - home.lat) * 111.32;
  const dLon = ((p.lon ?? home.lon) - home.lon) * 111.32 * Math.cos((home.lat * Math.PI) / 180);
  return Math.hypot(dLat, dLon);
}

describe("population shapes", () => {
  it("metro puts most users within one city's radius; spread keeps the cities' weights", () => {
    expect(inFirstCity(metro.people)).toBeGreaterThan(METRO_SHARE);
    expect(inFirstCity(spread.people)).toBeLessThan(0.35);
    const located = metro.people.filter((p) => p.city === 0 && p.lat !== null);
    expect(located.every((p) => kmFromCentre(p) <= 30.01)).toBe(true);
  });

  it("changes only where people live: every other trait is drawn the same", () => {
    const traits = ({ city: _c, lat: _a, lon: _o, ...rest }: Person) => rest;
    expect(metro.people.map(traits)).toEqual(spread.people.map(traits));
  });
});

describe("recent posts", () => {
  const window = { posts: 1500, hours: 48 };
  const busy = generatePopulation(new Rng(5), USERS, now, { recentPosts: window });
  const inWindow = (posts: typeof busy.posts) =>
    posts.filter((p) => p.createdAt > now - window.hours * HOUR).length;

  it("lifts the window to the asked number of posts, by people active then", () => {
    expect(inWindow(spread.posts)).toBeLessThan(window.posts);
    expect(inWindow(busy.posts)).toBe(window.posts);
    expect(busy.posts.length - spread.posts.length).toBe(window.posts - inWindow(spread.posts));
    for (const post of busy.posts) {
      const author = busy.people[post.author] as Person;
      expect(post.createdAt).toBeGreaterThanOrEqual(author.createdAt);
      expect(post.createdAt).toBeLessThanOrEqual(author.lastActiveAt ?? -1);
    }
  });

  it("gives ids in creation order", () => {
    const ids = busy.posts.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    const times = busy.posts.map((p) => p.createdAt);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("adds nothing when the window already holds that many", () => {
    const quiet = generatePopulation(new Rng(5), USERS, now, {
      recentPosts: { posts: 1, hours: 48 },
    });
    expect(quiet.posts).toEqual(spread.posts);
  });
});
