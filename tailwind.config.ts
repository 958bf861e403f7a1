import type { Config } from "tailwindcss";

// The design tokens (brand colours, fonts) live in app/globals.css, in Tailwind 4's `@theme` block: only tokens defined
// there exist as CSS variables at run time (var(--color-brand-600)), which the focus outline and other plain CSS rules
// read. A JS theme here would make utilities but no variables, so this file keeps no theme; it stays as the reference
// for tools that look for a Tailwind config. Sources are detected automatically by @tailwindcss/postcss.
export default {
  content: ["./app/**/*.{ts,tsx}", "./components/**/*.{ts,tsx}"],
} satisfies Config;
