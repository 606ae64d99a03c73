import type { FlashcardEvidence, FlashcardKind, FlashcardSeverity, flashcards } from "@/db/schema";

export type FlashcardRow = typeof flashcards.$inferSelect;

/** What a detector hands to raiseFlashcard. */
export interface RaiseInput {
  kind: FlashcardKind;
  /** Cards with the same fingerprint while open or snoozed are one card (count + 1). */
  fingerprint: string;
  severity: FlashcardSeverity;
  title: string;
  why: string;
  runId?: string | null;
  jobId?: string | null;
  entity?: string | null;
  approvalId?: string | null;
  evidence?: FlashcardEvidence[];
  details?: Record<string, unknown>;
  expiresAt?: Date | null;
  onExpiry?: "approve" | "reject" | null;
  approvalsRequired?: number;
}

export interface RaiseResult {
  id: string;
  /** false: an open card with this fingerprint existed and was counted again. */
  created: boolean;
  count: number;
}
