-- Stored job settings: versioned config overrides that every run of a job reads (append-only;
-- the highest version of a job is in force). The unique key numbers each job's versions and
-- keeps two concurrent writers from taking the same one.
-- CreateTable
CREATE TABLE "job_settings" (
    "id" TEXT NOT NULL,
    "job_name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "settings" JSONB NOT NULL,
    "note" TEXT,
    "actor" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "job_settings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "job_settings_job_name_version_key" ON "job_settings"("job_name", "version");
