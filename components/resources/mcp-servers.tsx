import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { McpServerStatus } from "@/lib/mcp";

const tone = { connected: "success", connecting: "info", down: "danger" } as const;

/**
 * The configured MCP servers as this app process sees them: connection state, the last
 * error, the tools discovered (gateway names) and the tools skipped with the reason.
 * Rendered only when servers are configured (the page decides).
 */
export function McpServersTable({ servers }: { servers: McpServerStatus[] }) {
  return (
    <Table aria-label="MCP servers">
      <TableHeader>
        <TableRow>
          <TableHead>Server</TableHead>
          <TableHead>State</TableHead>
          <TableHead>Tools</TableHead>
          <TableHead>Last checked</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {servers.map((s) => (
          <TableRow key={s.name}>
            <TableCell className="align-top">
              <div className="font-medium">{s.name}</div>
              <div className="text-xs text-muted">
                {s.transport === "http" ? "Streamable HTTP" : "stdio"}:{" "}
                <code className="font-mono break-all">{s.target}</code>
              </div>
            </TableCell>
            <TableCell className="align-top">
              <Badge tone={tone[s.state]} dot>
                {s.state}
              </Badge>
              {s.lastError ? <p className="mt-1 max-w-md text-xs break-words text-danger-text">{s.lastError}</p> : null}
            </TableCell>
            <TableCell className="align-top">
              {s.tools.length === 0 ? (
                <span className="text-xs text-muted">none discovered</span>
              ) : (
                <ul className="flex flex-col gap-0.5">
                  {s.tools.map((t) => (
                    <li key={t}>
                      <code className="font-mono text-xs">{t}</code>
                    </li>
                  ))}
                </ul>
              )}
              {s.skipped.length > 0 ? (
                <ul className="mt-2 flex flex-col gap-0.5" aria-label={`Tools skipped on ${s.name}`}>
                  {s.skipped.map((k) => (
                    <li key={k.tool} className="text-xs text-warning-text">
                      Skipped <code className="font-mono">{k.tool}</code>: {k.reason}
                    </li>
                  ))}
                </ul>
              ) : null}
            </TableCell>
            <TableCell className="align-top text-xs">
              <RelativeTime date={s.lastChecked} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
