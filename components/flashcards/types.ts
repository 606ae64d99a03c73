/** A card as the browser sees it (dates as ISO strings: the API's JSON and the server's first render agree). */
export interface CardView {
  id: string;
  fingerprint: string;
  kind: string;
  severity: "info" | "warning" | "critical";
  state: string;
  title: string;
  why: string;
  runId: string | null;
  jobId: string | null;
  entity: string | null;
  approvalId: string | null;
  evidence: { type: string; id: string; label?: string }[];
  details: Record<string, unknown>;
  count: number;
  firstSeenAt: string;
  lastSeenAt: string;
  snoozedUntil: string | null;
  expiresAt: string | null;
  onExpiry: string | null;
  approvalsRequired: number;
  approvalsGiven: number;
  decidedAt: string | null;
  decidedByLabel: string | null;
  decisionReason: string | null;
}

export interface DecisionView {
  id: string;
  decision: string;
  actorLabel: string;
  authorization: Record<string, unknown>;
  reason: string | null;
  until: string | null;
  diff: unknown;
  createdAt: string;
}

export interface RunExcerpt {
  id: string;
  state: string;
  stateReason: string | null;
  jobId: string;
  jobTitle: string;
  governance: Record<string, unknown>;
  tokensUsed: number;
  budgetTokens: number;
  turnsUsed: number;
  budgetTurns: number;
  budgetWallClockMs: number;
  startedAt: string | null;
  createdAt: string;
  actorLabel: string;
  curve: { turn: number; tokens: number }[];
  lastModelText: string | null;
}

export interface DetailView {
  card: CardView;
  decisions: DecisionView[];
  run: RunExcerpt | null;
}

export interface PageView {
  cards: CardView[];
  nextCursor: string | null;
  openCount: number;
}

export type Decision = "approve" | "reject" | "snooze" | "dismiss";

export interface DecisionBody {
  decision: Decision;
  reason?: string;
  until?: string;
  editedInput?: unknown;
}

export const isApproval = (card: CardView) => card.approvalId !== null;
