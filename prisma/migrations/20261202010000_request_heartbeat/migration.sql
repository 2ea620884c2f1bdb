-- A claimed request's worker beats this while the run goes on; a claim is abandoned only when
-- its heartbeat is stale (and nobody holds its job's lock), never because it is old.
ALTER TABLE "job_requests" ADD COLUMN "heartbeat_at" TIMESTAMP(3);
UPDATE "job_requests" SET "heartbeat_at" = "started_at" WHERE "status" = 'RUNNING';
