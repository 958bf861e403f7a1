/** A class name, or a falsy value to skip (so `cond && "class"` works). */
export type ClassValue = string | false | null | undefined | 0;

/** Joins class names, dropping falsy values. No conflict resolution: see `hasUtility` for overridable defaults. */
export function cn(...classes: ClassValue[]): string {
  return classes.filter(Boolean).join(" ");
}

/**
 * Whether `className` already sets a utility matching `pattern` (tested per class, variants like `sm:` ignored).
 * Components use it to drop a default (e.g. their padding) when the caller passes their own.
 */
export function hasUtility(className: string | undefined, pattern: RegExp): boolean {
  if (!className) return false;
  return className.split(/\s+/).some((c) => pattern.test(c.slice(c.lastIndexOf(":") + 1)));
}

/** Padding utilities: p-*, px-*, py-*, pt-*, pr-*, pb-*, pl-*, ps-*, pe-*. */
export const PADDING = /^-?p[xytrblse]?-/;
/** Font-size utilities: text-xs … text-9xl and arbitrary text-[…] sizes. */
export const FONT_SIZE = /^text-(xs|sm|base|lg|[2-9]?xl|\[\d)/;
