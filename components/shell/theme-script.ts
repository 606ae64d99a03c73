export type ThemePreference = "light" | "dark" | "system";

export const THEME_STORAGE_KEY = "flightdeck-theme";

/**
 * Runs in <head> before first paint: applies the stored preference (or the OS setting for
 * "system") as the `dark` class, so a dark-mode user never sees a white flash.
 */
export const themeScript = `(function(){try{var p=localStorage.getItem(${JSON.stringify(
  THEME_STORAGE_KEY,
)});var d=p==="dark"||(p!=="light"&&window.matchMedia("(prefers-color-scheme: dark)").matches);document.documentElement.classList.toggle("dark",d)}catch(e){}})()`;
