export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFormat = "pretty" | "json";
export type LogSettings = { format: LogFormat; color: boolean; threshold: LogLevel };
export type LogRecord = { level: LogLevel; msg: string; fields?: Record<string, unknown>; time?: Date };

export const logLevels: readonly LogLevel[];
export function resolveLogFormat(value: string | undefined, isTTY: boolean): LogFormat;
export function levelEnabled(level: LogLevel, threshold?: LogLevel): boolean;
export function stripAnsi(text: string): string;
export function formatLogLine(format: LogFormat, record: LogRecord, options?: { color?: boolean }): string;
export function logSettings(env?: Record<string, string | undefined>, stream?: { isTTY?: boolean }): LogSettings;
export function writeLogLine(
  settings: LogSettings,
  level: LogLevel,
  msg: string,
  fields?: Record<string, unknown>,
): void;
export function routeConsole(settings: LogSettings, fields?: Record<string, unknown>): void;
