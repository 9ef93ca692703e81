import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.ts';

describe('renderMarkdown', () => {
  it('renders what TAs write: emphasis, lists, code, tables of contents as links', () => {
    expect(renderMarkdown('Predict **tested_positive**.\n\n- one\n- two\n\n`pred.csv`')).toBe(
      '<p>Predict <strong>tested_positive</strong>.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<p><code>pred.csv</code></p>\n',
    );
  });

  it('keeps raw HTML as text', () => {
    const html = renderMarkdown('<script>alert(1)</script> <img src=x onerror=alert(1)>');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;');
  });

  it('opens links safely and refuses script links', () => {
    expect(renderMarkdown('[slides](https://speech.ee.ntu.edu.tw/~hylee/ml/2023-spring.php)')).toBe(
      '<p><a href="https://speech.ee.ntu.edu.tw/~hylee/ml/2023-spring.php" target="_blank" rel="noopener noreferrer nofollow">slides</a></p>\n',
    );
    for (const evil of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'vbscript:x', 'data:text/html,<b>x</b>'])
      expect(renderMarkdown(`[click](${evil})`)).not.toContain('href=');
  });

  it('shows an image as a link instead of loading it', () => {
    expect(renderMarkdown('![the data](https://example.com/a.png)')).toBe(
      '<p><a href="https://example.com/a.png" target="_blank" rel="noopener noreferrer nofollow">the data</a></p>\n',
    );
  });
});
