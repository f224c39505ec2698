// tsc compiles the TypeScript only; n8n also needs each node's icon and codex file
// (<Node>.node.json) beside the compiled JavaScript in dist/.
const { src, dest } = require('gulp');

function copyAssets() {
	return src(
		['icons/**/*.{svg,png}', 'nodes/**/*.{svg,png,json}', 'credentials/**/*.{svg,png,json}'],
		{
			base: '.',
			encoding: false,
		},
	).pipe(dest('dist'));
}

exports['build:assets'] = copyAssets;
