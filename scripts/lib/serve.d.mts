import type { Server } from "node:http";

export const peerAddressHeader: string;
export function decodablePath(url: string): boolean;
export function publicUrl(options: { host: string; port: number; baseUrl?: string }): { url: string; note: string };
export function readyLine(options: {
  url: string;
  note: string;
  demo: { email: string; password: string | null } | null | undefined;
  elapsedMs: number;
}): string;
export function serve(options: { root: string; port: number; host: string }): Promise<Server>;
