-- A full compatibility run's topic profiles, aggregated once per run and read by its shards.
-- CreateTable
CREATE TABLE "compatibility_topic_profiles" (
    "user_id" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "engagements" INTEGER NOT NULL,

    CONSTRAINT "compatibility_topic_profiles_pkey" PRIMARY KEY ("user_id","topic")
);
