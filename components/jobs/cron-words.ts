import cronstrue from "cronstrue";

/**
 * A cron expression as a person reads it ("At 03:00, only on Monday"), 24-hour clock, in the
 * trigger's own time zone; the expression itself when the describer cannot read it (the
 * runtime's parser, croner, accepts a few forms it does not).
 */
export function cronInWords(cron: string): string {
  try {
    return cronstrue.toString(cron, { use24HourTimeFormat: true, throwExceptionOnParseError: true });
  } catch {
    return cron;
  }
}
