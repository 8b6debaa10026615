// Copies the static files n8n loads next to the compiled nodes: icons and codex files.
const { src, dest } = require('gulp');

function copyStaticFiles() {
	return src(
		[
			'nodes/**/*.{png,svg}',
			'nodes/**/*.node.json',
			'credentials/**/*.{png,svg}',
			'icons/**/*.{png,svg}',
		],
		{
			base: '.',
			encoding: false,
		},
	).pipe(dest('dist'));
}

exports['build:icons'] = copyStaticFiles;
