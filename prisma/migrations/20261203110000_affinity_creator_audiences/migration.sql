-- A full affinity run's creator audiences, aggregated once per run and read by its shards.
-- CreateTable
CREATE TABLE "affinity_creator_audiences" (
    "creator_id" TEXT NOT NULL,
    "available" BOOLEAN NOT NULL,
    "audience" INTEGER NOT NULL,
    "events" INTEGER NOT NULL,
    "ineligible_events" INTEGER NOT NULL,

    CONSTRAINT "affinity_creator_audiences_pkey" PRIMARY KEY ("creator_id")
);
