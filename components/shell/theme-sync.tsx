"use client";

import { useLayoutEffect } from "react";
import { applyThemePreference, readThemePreference, subscribeToTheme } from "./theme-store";

/**
 * Keeps the `dark` class in step with the stored preference after the first paint: when
 * the OS switches while on "system", when another tab changes it, and after React's dev
 * remount resets <html> attributes. Renders nothing.
 */
export function ThemeSync() {
  useLayoutEffect(() => {
    const sync = () => applyThemePreference(readThemePreference());
    sync();
    return subscribeToTheme(sync);
  }, []);
  return null;
}
