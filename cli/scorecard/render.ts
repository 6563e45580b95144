/** The scorecard as a terminal table or markdown (JSON is the data itself). */
import type { Scorecard } from './model';

/** 12-18 production-ready, 6-11 a good foundation, 0-5 significant reliability risks (the seed's bands). */
export function verdict(total: number): string {
  return total >= 12 ? 'production-ready' : total >= 6 ? 'good foundation, focus on automation' : 'significant reliability risks';
}

const firstMissing = (m: readonly { what: string; providedBy: string }[]): string => (m.length ? `${m[0].what} -> ${m[0].providedBy}` : '');

/** Markdown: the areas table, the checklist table, and what is missing with what provides it. */
export function renderMarkdown(card: Scorecard): string {
  const lines = ['| area | level | next step |', '| --- | --- | --- |',
    ...card.areas.map((a) => `| ${a.name} | ${a.level}/${a.max} | ${a.level < a.max ? firstMissing(a.missing.filter((m) => m.level === a.level + 1)) : ''} |`),
    `| **total** | **${card.total}/${card.max}** | ${verdict(card.total)} |`, '',
    '| checklist item | met | missing |', '| --- | --- | --- |',
    ...card.checklist.map((c) => `| ${c.item} | ${c.met ? 'yes' : 'no'} | ${firstMissing(c.missing)} |`), ''];
  return lines.join('\n');
}

/** A plain-text table for the terminal. */
export function renderTable(card: Scorecard): string {
  const areaWidth = Math.max(...card.areas.map((a) => a.name.length), 5);
  const itemWidth = Math.max(...card.checklist.map((c) => c.item.length));
  return [
    `${'area'.padEnd(areaWidth)}  level  next step`,
    ...card.areas.map((a) => `${a.name.padEnd(areaWidth)}  ${a.level}/3    ${a.level < 3 ? firstMissing(a.missing.filter((m) => m.level === a.level + 1)) : '-'}`),
    `${'total'.padEnd(areaWidth)}  ${card.total}/${card.max}  ${verdict(card.total)}`,
    '',
    `${'checklist item'.padEnd(itemWidth)}  met  missing`,
    ...card.checklist.map((c) => `${c.item.padEnd(itemWidth)}  ${c.met ? 'yes' : 'no '}  ${firstMissing(c.missing) || '-'}`),
    '',
  ].join('\n');
}
