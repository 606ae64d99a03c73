import type { TicketPriority } from "./schema";
import type { ticketCategories } from "./tools";

type Category = (typeof ticketCategories)[number];

const rules: [Category, RegExp][] = [
  ["billing", /\b(invoice|charge[sd]?|refund|billing|payment|card|price|vat)\b/i],
  ["bug", /\b(error|crash|bug|broken|fails?|500|exception|not working)\b/i],
  ["account", /\b(password|login|log in|sign[- ]?in|2fa|account|locked|email change)\b/i],
  ["how-to", /\b(how (do|can|to)|where (is|can)|export|import|setup|set up|configure)\b/i],
];

/**
 * The simulated model's classifier: keyword rules, so a demo ticket always lands in the
 * same category. (A real model does this from the instructions.)
 */
export function classifyTicket(
  subject: string,
  body: string,
  plan?: string,
): { category: Category; priority: TicketPriority } {
  const text = `${subject}\n${body}`;
  const category = rules.find(([, re]) => re.test(text))?.[0] ?? "other";
  const urgent = /\b(urgent|asap|down|outage|production|immediately)\b/i.test(text);
  const priority: TicketPriority = urgent
    ? plan === "enterprise"
      ? "urgent"
      : "high"
    : category === "bug" || plan === "enterprise"
      ? "high"
      : category === "how-to"
        ? "low"
        : "normal";
  return { category, priority };
}

export function draftReply(name: string, subject: string, category: Category): string {
  const opener: Record<Category, string> = {
    billing:
      "I have looked into the charge you mentioned and our billing team will correct anything that is wrong on your invoice.",
    bug: "Thank you for the detailed report. I have reproduced the problem and passed it to our engineers with your details.",
    account:
      "I have checked your account; you can reset access from the sign-in page, and I have added a note to your profile.",
    "how-to": "Good question — here is how to do it, step by step, and a link to the matching help article.",
    other: "Thanks for getting in touch. I have read your message and will make sure the right person follows up.",
  };
  return [`Hi ${name},`, "", `Re: ${subject}`, "", opener[category], "", "Best regards,", "Acme Support"].join("\n");
}
