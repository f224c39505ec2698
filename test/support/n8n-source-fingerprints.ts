/**
 * Fingerprints of functions in n8n's compiled JavaScript, to notice when a pinned n8n changes code the
 * harness copies (see COPIED_FROM_N8N in n8n-harness-credentials.ts). A fingerprint is a hash of the
 * function's code as TypeScript prints it: a change of code changes it, of layout or comments does not.
 */
import { createHash } from 'node:crypto';
import * as ts from 'typescript';

/** A top-level function (`restrictToCredentialDomains`) or a class's method (`CredentialsHelper.authenticate`). */
export type FunctionName = string;

/** Printed afresh, without comments: the same code gives the same text whatever its layout. */
const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

function findFunction(source: ts.SourceFile, name: FunctionName): ts.Node | undefined {
	const [className, methodName] = name.includes('.') ? name.split('.') : [undefined, name];
	let found: ts.Node | undefined;
	const visit = (node: ts.Node): void => {
		if (found) return;
		if (
			className === undefined &&
			ts.isFunctionDeclaration(node) &&
			node.name?.text === methodName
		) {
			found = node;
			return;
		}
		if (
			className !== undefined &&
			(ts.isClassDeclaration(node) || ts.isClassExpression(node)) &&
			node.name?.text === className
		) {
			found = node.members.find(
				(member) =>
					ts.isMethodDeclaration(member) &&
					ts.isIdentifier(member.name) &&
					member.name.text === methodName,
			);
			return;
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return found;
}

/**
 * The fingerprint of each named function in `text` (a JavaScript file), or `undefined` for one the
 * file does not have.
 */
export function fingerprintFunctions(
	text: string,
	names: readonly FunctionName[],
): Record<FunctionName, string | undefined> {
	const source = ts.createSourceFile(
		'source.js',
		text,
		ts.ScriptTarget.Latest,
		true,
		ts.ScriptKind.JS,
	);
	return Object.fromEntries(
		names.map((name) => {
			const node = findFunction(source, name);
			const fingerprint =
				node &&
				createHash('sha256')
					.update(printer.printNode(ts.EmitHint.Unspecified, node, source))
					.digest('hex')
					.slice(0, 16);
			return [name, fingerprint];
		}),
	);
}
