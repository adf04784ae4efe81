/**
 * ESLint rule `rapport/import-zones`: api/, bot/, tabs/ and server/ are packages with front
 * doors (STYLE.md point 21). A file in a package may import its own files, npm modules, and the
 * entry points it is declared to use (`uses`, repo-relative files); any other relative import
 * that lands in another top-level folder of the repository is an error. `allowFolders` names
 * folders outside every package that may be imported too (unit tests beside the code may use
 * the shared fakes in tests/).
 *
 * Why a local rule rather than `no-restricted-imports` patterns: patterns match the import string,
 * not the file it resolves to, so `../api/segments` (the tab's own feature folder) and
 * `../../api/src/errors` (the API's internals) cannot be told apart without knowing where the
 * importing file sits. This rule resolves each relative import against the importing file, as
 * eslint-plugin-import's `no-restricted-paths` does, without adding that dependency.
 * Files outside every package (tests/, scripts/, root configs) are not checked.
 */
import path from 'node:path';

const EXTENSIONS = /\.(?:[cm]?[jt]sx?|json)$/;

/** Repo-relative, forward slashes, no extension, no trailing `/index`. */
function modulePath(root, absolute) {
  const rel = path.relative(root, absolute).split(path.sep).join('/');
  return rel.replace(EXTENSIONS, '').replace(/\/index$/, '');
}

function topFolder(rel) {
  return rel.split('/')[0];
}

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'problem',
    docs: { description: 'Packages import each other only through their public entry points.' },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          allowFolders: { type: 'array', items: { type: 'string' } },
          packages: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                dir: { type: 'string' },
                uses: { type: 'array', items: { type: 'string' } },
              },
              required: ['dir'],
              additionalProperties: false,
            },
          },
        },
        required: ['root', 'packages'],
        additionalProperties: false,
      },
    ],
    messages: {
      notAllowed: "{{from}}/ may not import from {{to}}/ ('{{source}}'). {{hint}}",
      deepImport: "{{from}}/ may use {{to}}/ only through {{entry}}, not '{{source}}'. Export what you need from {{entry}} and import that.",
    },
  },
  create(context) {
    const { root, packages, allowFolders = [] } = context.options[0];
    const byDir = new Map(packages.map((p) => [p.dir, p]));
    const filename = context.filename;
    const own = byDir.get(topFolder(modulePath(root, filename)));
    if (!own) return {};

    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = modulePath(root, path.resolve(path.dirname(filename), source));
      if (target.startsWith('..')) return;
      const folder = topFolder(target);
      if (folder === own.dir) return;
      if (allowFolders.includes(folder)) return;
      const other = byDir.get(folder);
      const data = { from: own.dir, to: folder, source };
      const entries = (own.uses ?? []).filter((entry) => topFolder(entry) === folder);
      if (other && entries.length > 0) {
        if (entries.some((entry) => target === modulePath(root, path.join(root, entry)))) return;
        context.report({ node, messageId: 'deepImport', data: { ...data, entry: entries.join(' or ') } });
        return;
      }
      const uses = (own.uses ?? []).join(' and ') || 'npm modules';
      const hint = other
        ? `Outside its own folder it may import only ${uses}; what it needs from another package comes through a port it owns, wired in server/src/main.ts.`
        : `${folder}/ is not part of any package.`;
      context.report({ node, messageId: 'notAllowed', data: { ...data, hint } });
    };
    const literal = (node) => (node && node.type === 'Literal' ? node.value : undefined);

    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => check(node.source, literal(node.source)),
      TSImportType: (node) => check(node, literal(node.argument?.literal ?? node.argument)),
      TSExternalModuleReference: (node) => check(node.expression, literal(node.expression)),
      'CallExpression[callee.type="Identifier"][callee.name="require"]': (node) => check(node, literal(node.arguments[0])),
    };
  },
};
