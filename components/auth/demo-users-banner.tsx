import { TriangleAlert } from "lucide-react";
import { demoBannerInfo } from "@/lib/auth";

/**
 * Shown while any demo user exists: anyone who reads the README knows these passwords,
 * so the installation must not be mistaken for a secured one.
 */
export async function DemoUsersBanner() {
  const info = await demoBannerInfo();
  if (!info) return null;
  return (
    <section
      aria-label="Demo users"
      className="flex items-start gap-2.5 border-b border-warning/30 bg-warning-soft px-4 py-2 text-[13px] text-warning-text"
    >
      <TriangleAlert aria-hidden className="mt-0.5 size-4 shrink-0" />
      <p>
        <strong className="font-semibold">Demo users are active:</strong>{" "}
        {info.users.map((u, i) => (
          <span key={u.email}>
            {i > 0 ? ", " : null}
            <code className="font-mono text-xs">{u.email}</code> ({u.role})
          </span>
        ))}
        . Their password is the value of <code className="font-mono text-xs">FLIGHTDECK_DEMO_PASSWORD</code>
        {info.defaultPassword ? (
          <>
            , which is unset, so it is <code className="font-mono text-xs">{info.defaultPassword}</code>
          </>
        ) : null}
        . An admin can delete them under Settings → Users.
      </p>
    </section>
  );
}
