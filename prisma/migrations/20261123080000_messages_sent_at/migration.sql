-- Incremental compatibility runs look up messages sent since the last run.
-- CreateIndex
CREATE INDEX "messages_sent_at_idx" ON "messages"("sent_at");
