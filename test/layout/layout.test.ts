/**
 * The house rules of the source tree (issue 11, "Constructors that do one thing"): no hand-written source file over
 * 400 lines, no constructor over 120 lines. Generated code (constructs/k8s/imports, cdk8s import output) is exempt.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';

const root = join(__dirname, '..', '..');
const ROOMS = ['constructs', 'stacks', 'cli', 'reference-service/src', 'bench'];
const GENERATED = [/^constructs\/k8s\/imports\//];
const MAX_FILE_LINES = 400;
const MAX_CONSTRUCTOR_LINES = 120;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path);
    return /\.ts$/.test(name) && !/\.d\.ts$/.test(name) ? [path] : [];
  });
}

const files = ROOMS.flatMap((room) => sources(join(root, room)))
  .map((path) => relative(root, path))
  .filter((path) => !GENERATED.some((re) => re.test(path)));

/** Lines of every constructor of `file`, as `<file>:<class> <lines>`. */
function constructorLengths(file: string): Array<{ where: string; lines: number }> {
  const text = readFileSync(join(root, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: Array<{ where: string; lines: number }> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isConstructorDeclaration(node) && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const owner = ts.isClassLike(node.parent) && node.parent.name ? node.parent.name.text : '(anonymous)';
      found.push({ where: `${file}:${owner}`, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('source layout', () => {
  test('the rooms hold sources (the walk finds them)', () => {
    expect(files).toEqual(expect.arrayContaining(['constructs/index.ts', 'stacks/main.ts', 'cli/main.ts', 'reference-service/src/server.ts']));
  });

  test(`no hand-written source file is over ${MAX_FILE_LINES} lines`, () => {
    const long = files
      .map((file) => ({ file, lines: readFileSync(join(root, file), 'utf8').split('\n').length }))
      .filter((f) => f.lines > MAX_FILE_LINES);
    expect(long).toEqual([]);
  });

  test(`no constructor is over ${MAX_CONSTRUCTOR_LINES} lines`, () => {
    const long = files.flatMap(constructorLengths).filter((c) => c.lines > MAX_CONSTRUCTOR_LINES);
    expect(long).toEqual([]);
  });

  test('the measure sees a constructor (a long one would fail)', () => {
    const lengths = constructorLengths('constructs/aws/platform-stack.ts');
    expect(lengths.length).toBeGreaterThan(0);
    expect(lengths[0].lines).toBeGreaterThan(3);
  });
});
