-- CreateTable
CREATE TABLE "operator_actions" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actor" TEXT NOT NULL,
    "via" TEXT NOT NULL,
    "address" TEXT,
    "action" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "detail" JSONB,
    "outcome" TEXT NOT NULL,
    "run_id" TEXT,

    CONSTRAINT "operator_actions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "operator_actions_at_idx" ON "operator_actions"("at");
