import "server-only";

export { raiseFlashcard, type RaiseOptions } from "./raise";
export {
  decideFlashcard,
  flashcardDecisionBody,
  type FlashcardDecisionBody,
  type FlashcardDecisionResult,
} from "./decide";
export {
  listFlashcards,
  listFlashcardsQuery,
  getFlashcard,
  countOpenFlashcards,
  liveCardIds,
  cardIdForApproval,
  type FlashcardDetail,
  type FlashcardPage,
} from "./queries";
export { createHousekeeper } from "./housekeeping";
export type { FlashcardRow, RaiseInput, RaiseResult } from "./types";
export { TokenNorms } from "./detectors/anomaly";
export { detectBudget } from "./detectors/budget";
