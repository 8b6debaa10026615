// No import cycle among the package's source files (nodes/ and credentials/).
//
// A cycle works, when it works, only because of module load order: the module loaded second sees
// the first one half-initialised (an `undefined` import at top level), and a new import elsewhere
// can change that order. So every cycle fails this test, including one made only of
// `import type` / `export type` edges: those vanish from the compiled JavaScript, but they still
// tie the two files' designs together and turn into a runtime cycle as soon as one of them becomes
// a value import. Type-only edges are marked "(type)" in the failure output.
//
// The imports are read with the TypeScript compiler API (the project's devDependency `typescript`)
// and resolved with the project's compiler options, as tsc resolves them.
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');
const SOURCE_DIRS = ['nodes', 'credentials'];

interface Edge {
	to: string;
	typeOnly: boolean;
}
type Graph = Map<string, Edge[]>;

interface ModuleReference {
	specifier: string;
	typeOnly: boolean;
}

/**
 * The module specifiers a source file refers to: `import ... from`, `import type`, side-effect
 * `import '...'`, `export ... from` / `export * from` (also their `type` forms), `import x =
 * require('...')`, `require('...')`, dynamic `import('...')` and `import('...').T` types.
 */
function moduleReferences(fileName: string, text: string): ModuleReference[] {
	const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
	const found: ModuleReference[] = [];
	const add = (node: ts.Node | undefined, typeOnly: boolean) => {
		if (node && ts.isStringLiteralLike(node)) found.push({ specifier: node.text, typeOnly });
	};
	const visit = (node: ts.Node) => {
		if (ts.isImportDeclaration(node)) {
			const clause = node.importClause;
			// `import { type A, type B } from` is type-only too (it imports no value).
			const onlyTypeSpecifiers =
				!!clause &&
				!clause.name &&
				!!clause.namedBindings &&
				ts.isNamedImports(clause.namedBindings) &&
				clause.namedBindings.elements.length > 0 &&
				clause.namedBindings.elements.every((element) => element.isTypeOnly);
			add(node.moduleSpecifier, !!clause && (clause.isTypeOnly || onlyTypeSpecifiers));
		} else if (ts.isExportDeclaration(node)) {
			const onlyTypeSpecifiers =
				!!node.exportClause &&
				ts.isNamedExports(node.exportClause) &&
				node.exportClause.elements.length > 0 &&
				node.exportClause.elements.every((element) => element.isTypeOnly);
			add(node.moduleSpecifier, node.isTypeOnly || onlyTypeSpecifiers);
		} else if (
			ts.isImportEqualsDeclaration(node) &&
			ts.isExternalModuleReference(node.moduleReference)
		) {
			add(node.moduleReference.expression, node.isTypeOnly);
		} else if (ts.isImportTypeNode(node)) {
			const argument = node.argument;
			if (ts.isLiteralTypeNode(argument)) add(argument.literal, true);
		} else if (
			ts.isCallExpression(node) &&
			node.arguments.length > 0 &&
			(node.expression.kind === ts.SyntaxKind.ImportKeyword ||
				(ts.isIdentifier(node.expression) && node.expression.text === 'require'))
		) {
			add(node.arguments[0], false);
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return found;
}

const compilerOptions = (() => {
	const configFile = path.join(ROOT, 'tsconfig.json');
	const { config, error } = ts.readConfigFile(configFile, ts.sys.readFile);
	if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
	return ts.parseJsonConfigFileContent(config, ts.sys, ROOT, undefined, configFile).options;
})();

const isRelative = (specifier: string) => specifier === '.' || /^\.\.?\//.test(specifier);

/**
 * The relative-import graph of every .ts file under the source folders, following imports that
 * leave those folders too (a cycle through, say, sandbox/ still counts). Files outside the project
 * and JSON files are leaves. `unresolved` lists relative imports tsc could not resolve (each would
 * hide an edge, so the test insists there are none).
 */
function buildGraph(): { graph: Graph; unresolved: string[] } {
	const graph: Graph = new Map();
	const unresolved: string[] = [];
	const pending = SOURCE_DIRS.flatMap((dir) =>
		ts.sys.readDirectory(path.join(ROOT, dir), ['.ts']).map((file) => path.resolve(file)),
	);
	while (pending.length > 0) {
		const file = pending.pop()!;
		if (graph.has(file)) continue;
		const edges: Edge[] = [];
		graph.set(file, edges);
		for (const { specifier, typeOnly } of moduleReferences(file, ts.sys.readFile(file) ?? '')) {
			if (!isRelative(specifier)) continue;
			const resolved = ts.resolveModuleName(specifier, file, compilerOptions, ts.sys).resolvedModule
				?.resolvedFileName;
			if (!resolved) {
				unresolved.push(`${relative(file)}: '${specifier}'`);
				continue;
			}
			const target = path.resolve(resolved);
			if (target.split(path.sep).includes('node_modules') || !/\.tsx?$/.test(target)) continue;
			edges.push({ to: target, typeOnly });
			pending.push(target);
		}
	}
	return { graph, unresolved };
}

/**
 * The cycles of a graph: for every strongly connected component with more than one file (or a
 * file importing itself), the shortest cycle through each of its files, each cycle listed once.
 * Each cycle is its edges, from the one leaving its alphabetically first file back to that file.
 */
function findCycles(graph: Graph): Edge[][] {
	const components = stronglyConnectedComponents(graph);
	const cycles = new Map<string, Edge[]>();
	for (const component of components) {
		const members = new Set(component);
		const selfLoop = graph.get(component[0])?.some((edge) => edge.to === component[0]);
		if (component.length === 1 && !selfLoop) continue;
		for (const start of component) {
			const cycle = shortestCycle(graph, start, members);
			if (!cycle) continue;
			// Rotate to start at the alphabetically first file, so each cycle has one spelling.
			const first = cycle.reduce((best, edge, i) => (edge.to < cycle[best].to ? i : best), 0);
			const rotated = [...cycle.slice(first + 1), ...cycle.slice(0, first + 1)];
			cycles.set(rotated.map((edge) => edge.to).join('\n'), rotated);
		}
	}
	return [...cycles.values()];
}

/** Tarjan's algorithm, iterative (no recursion limit on deep import chains). */
function stronglyConnectedComponents(graph: Graph): string[][] {
	let counter = 0;
	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const components: string[][] = [];
	for (const root of graph.keys()) {
		if (index.has(root)) continue;
		const work: Array<{ node: string; next: number }> = [{ node: root, next: 0 }];
		index.set(root, counter);
		low.set(root, counter++);
		stack.push(root);
		onStack.add(root);
		while (work.length > 0) {
			const frame = work[work.length - 1];
			const edges = graph.get(frame.node) ?? [];
			if (frame.next < edges.length) {
				const to = edges[frame.next++].to;
				if (!index.has(to)) {
					index.set(to, counter);
					low.set(to, counter++);
					stack.push(to);
					onStack.add(to);
					work.push({ node: to, next: 0 });
				} else if (onStack.has(to)) {
					low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
				}
				continue;
			}
			work.pop();
			if (work.length > 0) {
				const parent = work[work.length - 1].node;
				low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
			}
			if (low.get(frame.node) === index.get(frame.node)) {
				const component: string[] = [];
				let member: string;
				do {
					member = stack.pop()!;
					onStack.delete(member);
					component.push(member);
				} while (member !== frame.node);
				components.push(component.sort());
			}
		}
	}
	return components;
}

/** Breadth-first: the fewest edges from `start` back to itself, staying inside `members`. */
function shortestCycle(graph: Graph, start: string, members: Set<string>): Edge[] | undefined {
	const via = new Map<string, { from: string; edge: Edge }>();
	const queue = [start];
	while (queue.length > 0) {
		const node = queue.shift()!;
		for (const edge of graph.get(node) ?? []) {
			if (!members.has(edge.to)) continue;
			if (edge.to === start) {
				const cycle: Edge[] = [edge];
				for (let at = node; at !== start; at = via.get(at)!.from) cycle.unshift(via.get(at)!.edge);
				return cycle;
			}
			if (via.has(edge.to)) continue;
			via.set(edge.to, { from: node, edge });
			queue.push(edge.to);
		}
	}
	return undefined;
}

const relative = (file: string) => path.relative(ROOT, file).split(path.sep).join('/');

/** "a.ts → b.ts → (type) a.ts": the cycle from its first file back to it. */
function spell(cycle: Edge[]): string {
	const start = cycle[cycle.length - 1].to;
	return [
		relative(start),
		...cycle.map((edge) => `${edge.typeOnly ? '(type) ' : ''}${relative(edge.to)}`),
	].join(' → ');
}

const synthetic = (edges: Record<string, string[]>): Graph =>
	new Map(
		Object.entries(edges).map(([from, targets]) => [
			path.join(ROOT, from),
			targets.map((to) => ({ to: path.join(ROOT, to), typeOnly: false })),
		]),
	);

describe('the import-cycle finder itself', () => {
	it('reads every form of module reference, and which of them are type-only', () => {
		const text = [
			"import { a } from './value';",
			"import type { T } from './types';",
			"import { type U, type V } from './onlyTypes';",
			"import { type W, x } from './mixed';",
			"import './sideEffect';",
			"export * from './reexported';",
			"export { b } from './named';",
			"export type { X } from './typeExport';",
			"import legacy = require('./legacy');",
			"const later = () => import('./dynamic');",
			"const old = require('./required');",
			"let y: import('./typeQuery').Y;",
			"import { z } from 'n8n-workflow';",
		].join('\n');
		expect(moduleReferences('example.ts', text)).toEqual([
			{ specifier: './value', typeOnly: false },
			{ specifier: './types', typeOnly: true },
			{ specifier: './onlyTypes', typeOnly: true },
			{ specifier: './mixed', typeOnly: false },
			{ specifier: './sideEffect', typeOnly: false },
			{ specifier: './reexported', typeOnly: false },
			{ specifier: './named', typeOnly: false },
			{ specifier: './typeExport', typeOnly: true },
			{ specifier: './legacy', typeOnly: false },
			{ specifier: './dynamic', typeOnly: false },
			{ specifier: './required', typeOnly: false },
			{ specifier: './typeQuery', typeOnly: true },
			{ specifier: 'n8n-workflow', typeOnly: false },
		]);
	});

	it('finds a two-file cycle, a longer one and a self-import, and nothing in a tree', () => {
		const graph = synthetic({
			'a.ts': ['b.ts', 'c.ts'],
			'b.ts': ['a.ts'],
			'c.ts': ['d.ts'],
			'd.ts': ['e.ts'],
			'e.ts': ['c.ts'],
			'f.ts': ['f.ts'],
			'g.ts': ['a.ts', 'h.ts'],
			'h.ts': [],
		});
		expect(findCycles(graph).map(spell).sort()).toEqual([
			'a.ts → b.ts → a.ts',
			'c.ts → d.ts → e.ts → c.ts',
			'f.ts → f.ts',
		]);
		expect(
			findCycles(synthetic({ 'a.ts': ['b.ts', 'c.ts'], 'b.ts': ['c.ts'], 'c.ts': [] })),
		).toEqual([]);
	});

	it('lists each cycle of a component once, from its alphabetically first file', () => {
		// Two cycles share b.ts: a → b → a and b → c → b.
		const graph = synthetic({ 'a.ts': ['b.ts'], 'b.ts': ['a.ts', 'c.ts'], 'c.ts': ['b.ts'] });
		expect(findCycles(graph).map(spell).sort()).toEqual([
			'a.ts → b.ts → a.ts',
			'b.ts → c.ts → b.ts',
		]);
	});
});

describe('imports of nodes/ and credentials/', () => {
	const { graph, unresolved } = buildGraph();

	it('are all read: the graph is the whole package, and every relative import resolves', () => {
		// Guards against a silent pass on an empty or truncated graph.
		const edges = [...graph.values()].reduce((sum, list) => sum + list.length, 0);
		expect(graph.size).toBeGreaterThan(50);
		expect(edges).toBeGreaterThan(50);
		expect(unresolved).toEqual([]);
	});

	it('form no cycle (type-only imports included)', () => {
		expect(findCycles(graph).map(spell).sort()).toEqual([]);
	});
});
