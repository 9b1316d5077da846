#!/usr/bin/env node
/**
 * Generates src/adapters/fix/fix44-tables.ts from the QuickFIX FIX 4.4 data dictionary.
 *
 *   node scripts/generate-fix44-tables.mjs [FIX44.xml] [out.ts]
 *
 * No dependencies: FIX44.xml is well-formed, attribute-only XML, so a small tag scanner suffices.
 * The output is then formatted with prettier (the test that compares a fresh run with the checked-in
 * file formats the fresh output the same way).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const xmlPath = path.resolve(
  process.argv[2] ?? path.join(root, '../shared/vectors/quickfix/spec/FIX44.xml'),
);
const outPath = path.resolve(
  process.argv[3] ?? path.join(root, 'src/adapters/fix/fix44-tables.ts'),
);

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decodeEntities = (s) => s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e) => ENTITIES[e]);

/** Parses the XML into { name, attrs, children } nodes; text content is not needed. */
function parseXml(text) {
  const top = { name: '#root', attrs: {}, children: [] };
  const stack = [top];
  const tagRe =
    /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+\s*=\s*(?:'[^']*'|"[^"]*"))*)\s*(\/?)>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>/g;
  for (const m of text.matchAll(tagRe)) {
    if (m[2] === undefined) continue;
    const [, closing, name, attrText, selfClosing] = m;
    if (closing) {
      const open = stack.pop();
      if (open?.name !== name) throw new Error(`mismatched </${name}>`);
      continue;
    }
    const attrs = {};
    for (const a of attrText.matchAll(/([\w:.-]+)\s*=\s*(?:'([^']*)'|"([^"]*)")/g)) {
      attrs[a[1]] = decodeEntities(a[2] ?? a[3]);
    }
    const node = { name, attrs, children: [] };
    stack.at(-1).children.push(node);
    if (!selfClosing) stack.push(node);
  }
  if (stack.length !== 1) throw new Error('unclosed elements');
  return top;
}

const child = (node, name) => {
  const found = node.children.find((c) => c.name === name);
  if (!found) throw new Error(`missing <${name}> in <${node.name}>`);
  return found;
};

const fix = child(parseXml(readFileSync(xmlPath, 'utf8')), 'fix');

const fieldsByName = new Map();
const fields = child(fix, 'fields').children.map((f) => {
  const tag = Number(f.attrs.number);
  fieldsByName.set(f.attrs.name, tag);
  const enums = f.children.filter((v) => v.name === 'value').map((v) => v.attrs.enum);
  return enums.length > 0
    ? [tag, f.attrs.name, f.attrs.type, enums]
    : [tag, f.attrs.name, f.attrs.type];
});
const components = new Map(child(fix, 'components').children.map((c) => [c.attrs.name, c]));

const tagOf = (name) => {
  const tag = fieldsByName.get(name);
  if (tag === undefined) throw new Error(`unknown field ${name}`);
  return tag;
};

/**
 * Flattens fields, components and groups of one level. `required` collects tags that must be
 * present whenever this level is present: a required component contributes its own required tags,
 * a required group contributes its count tag.
 */
function expand(items, acc = { tags: [], required: [], groups: [] }, levelRequired = true) {
  for (const item of items) {
    const required = levelRequired && item.attrs.required === 'Y';
    if (item.name === 'field') {
      const tag = tagOf(item.attrs.name);
      acc.tags.push(tag);
      if (required) acc.required.push(tag);
    } else if (item.name === 'component') {
      const comp = components.get(item.attrs.name);
      if (!comp) throw new Error(`unknown component ${item.attrs.name}`);
      expand(comp.children, acc, required);
    } else if (item.name === 'group') {
      const countTag = tagOf(item.attrs.name);
      acc.tags.push(countTag);
      if (required) acc.required.push(countTag);
      const inner = expand(item.children);
      const group = { countTag, memberTags: inner.tags };
      if (inner.groups.length > 0) group.groups = inner.groups;
      acc.groups.push(group);
    }
  }
  return acc;
}

const messages = child(fix, 'messages').children.map((m) => {
  const body = expand(m.children);
  const entry = {
    msgType: m.attrs.msgtype,
    name: m.attrs.name,
    category: m.attrs.msgcat,
    required: body.required,
    tags: body.tags,
  };
  if (body.groups.length > 0) entry.groups = body.groups;
  return entry;
});
const header = expand(child(fix, 'header').children);
const trailer = expand(child(fix, 'trailer').children);
const headerTags = [...header.tags, ...header.groups.flatMap((g) => g.memberTags)];

const json = (value) => JSON.stringify(value);
const out = `// Generated from FIX44.xml (QuickFIX FIX 4.4 data dictionary) by scripts/generate-fix44-tables.mjs.
// Do not edit by hand: re-run the script, then prettier.
import type { FixFieldEntry, FixGroupDef, FixMessageDef } from './dictionary-types.js';

/** Every FIX 4.4 field: [tag, name, type, enum values?]. */
export const FIX44_FIELDS: readonly FixFieldEntry[] = ${json(fields)};

/**
 * Every FIX 4.4 message, components expanded; \`required\` lists body tags only, \`tags\` every tag
 * the body may hold outside its repeating groups (count tags included).
 */
export const FIX44_MESSAGES: readonly FixMessageDef[] = ${json(messages)};

/** StandardHeader tags, NoHops (627) members included. */
export const FIX44_HEADER_TAGS: readonly number[] = ${json(headerTags)};

/** StandardHeader tags that must be present. */
export const FIX44_HEADER_REQUIRED: readonly number[] = ${json(header.required)};

/** StandardHeader repeating groups. */
export const FIX44_HEADER_GROUPS: readonly FixGroupDef[] = ${json(header.groups)};

/** StandardTrailer tags. */
export const FIX44_TRAILER_TAGS: readonly number[] = ${json(trailer.tags)};
`;
writeFileSync(outPath, out);
process.stdout.write(
  `wrote ${path.relative(process.cwd(), outPath)}: ${messages.length} messages, ${fields.length} fields\n`,
);
