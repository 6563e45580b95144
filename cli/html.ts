/**
 * The shell of the reports' HTML pages (drill and game-day reports): one self-contained file (styles inline, pictures
 * as inline SVG, no script that runs, no request to anything), with the report's JSON embedded as data.
 */

/** `text` escaped for HTML text and attribute values. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Seconds as `1h 2m 3s`, `41m 30s`, `0.8s`. */
export function humanSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds * 10) / 10}s`;
  const s = Math.round(seconds);
  const parts = [[Math.floor(s / 3600), 'h'], [Math.floor((s % 3600) / 60), 'm'], [s % 60, 's']] as const;
  return parts.filter(([n]) => n > 0).map(([n, unit]) => `${n}${unit}`).join(' ');
}

/** Colours of a result, shared by both reports. */
export const RESULT_COLOURS = { pass: '#2e7d32', fail: '#c62828', neutral: '#6b7280', warn: '#b26a00' } as const;

const STYLE = `
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 24px; color: #1f2937; max-width: 1280px; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #e5e7eb; }
.result { display: inline-block; padding: 2px 10px; border-radius: 4px; color: #fff; font-weight: bold; }
.result.pass { background: ${RESULT_COLOURS.pass}; } .result.fail { background: ${RESULT_COLOURS.fail}; }
.result.aborted { background: ${RESULT_COLOURS.warn}; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13px; } th, td { border: 1px solid #d1d5db; padding: 4px 8px; text-align: left; }
th { background: #f3f4f6; } td.fail, td.failed, td.timed-out, td.declined, td.cancelled { color: ${RESULT_COLOURS.fail}; font-weight: bold; }
td.pass, td.succeeded, td.ok { color: ${RESULT_COLOURS.pass}; }
.meta { color: #4b5563; font-size: 13px; } svg { display: block; margin: 8px 0; } svg text { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; }
`;

/** A complete HTML document: `title`, the `body` markup, and `data` (the report) as embedded JSON. */
export function htmlPage(title: string, body: string, data: unknown): string {
  // In a script element only `</` could end it early; JSON has no other way to break out.
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${esc(title)}</title>`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    body,
    `<script type="application/json" id="report-data">${json}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
