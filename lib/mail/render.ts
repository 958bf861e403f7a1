import { render, toPlainText } from "@react-email/render";
import { type MailTemplates, registry, type TemplateDefinition, type TemplateName } from "./templates";

export type { MailTemplates, TemplateName } from "./templates";

// Headings keep their case in the text part (html-to-text upper-cases them by default).
const htmlToTextOptions = {
  selectors: ["h1", "h2"].map((selector) => ({ selector, options: { uppercase: false } })),
};

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

export function isTemplateName(name: string): name is TemplateName {
  return Object.hasOwn(registry, name);
}

/** A subject is one header line: no control characters (CR/LF would be header injection), bounded length. */
function cleanSubject(subject: string): string {
  const oneLine = subject
    .replace(/\p{Cc}+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  return oneLine.length > 150 ? `${oneLine.slice(0, 149)}…` : oneLine;
}

/** Renders a template to subject, HTML and a plain-text alternative. User values are escaped by React. */
export async function renderMail<K extends TemplateName>(template: K, data: MailTemplates[K]): Promise<RenderedMail> {
  const def = registry[template] as TemplateDefinition<MailTemplates[K]>;
  const element = def.element(data);
  const html = await render(element);
  return { subject: cleanSubject(def.subject(data)), html, text: toPlainText(html, htmlToTextOptions) };
}

/** Renders a stored outbox row (template name and JSON payload from the database). */
export async function renderStoredMail(template: string, payload: unknown): Promise<RenderedMail> {
  if (!isTemplateName(template)) throw new Error(`unknown mail template "${template}"`);
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
    throw new Error(`mail template "${template}": payload is not an object`);
  }
  return renderMail(template, payload as MailTemplates[typeof template]);
}
