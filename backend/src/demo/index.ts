export { QUIZ_DIMENSIONS } from "./constants.ts";
export { Rng } from "./random.ts";
export {
  DatabaseNotEmptyError,
  SEEDED_TABLES,
  type SeededTable,
  type SeedOptions,
  type SeedSummary,
  seedDemoData,
} from "./seed.ts";
export { CITIES, TAGS } from "./vocabulary.ts";
