/**
 * Task descriptions are Markdown written by TAs. markdown-it renders them with raw HTML off (a `<script>`
 * or `<img onerror>` in a description comes out as text), its own check refusing javascript:, vbscript:
 * and data: links, and every link opening in a new tab with no access to this page (noopener) and no
 * referrer. Images are links to other sites under this site's Content-Security-Policy, so they are
 * shown as links, not loaded.
 */
import MarkdownIt from 'markdown-it';

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

const defaultLinkOpen =
  markdown.renderer.rules.link_open ??
  ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options));

markdown.renderer.rules.link_open = (tokens, index, options, env, self) => {
  const token = tokens[index]!;
  token.attrSet('target', '_blank');
  token.attrSet('rel', 'noopener noreferrer nofollow');
  return defaultLinkOpen(tokens, index, options, env, self);
};

// An image becomes a link to it: the page's CSP would not load it, and a TA's image host should not
// learn who reads the task.
markdown.renderer.rules.image = (tokens, index) => {
  const token = tokens[index]!;
  const src = markdown.utils.escapeHtml(String(token.attrGet('src') ?? ''));
  const alt = markdown.utils.escapeHtml(token.content || 'image');
  return `<a href="${src}" target="_blank" rel="noopener noreferrer nofollow">${alt}</a>`;
};

/** Safe HTML for a description. */
export function renderMarkdown(text: string): string {
  return markdown.render(text);
}
