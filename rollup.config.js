import commonjs from '@rollup/plugin-commonjs';
import json from '@rollup/plugin-json';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';

// Two entries share one bundle configuration: the action (dist/index.js) and the
// CLI (dist/cli.js). Both are ESM, as package.json says ("type": "module").
const entry = (input, file, banner) => ({
  input,
  output: { file, format: 'es', sourcemap: false, banner, inlineDynamicImports: true },
  plugins: [
    typescript({
      tsconfig: './tsconfig.build.json',
      outDir: 'dist',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      noEmitOnError: true,
    }),
    nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }),
    commonjs(),
    json(),
  ],
  onwarn(warning, warn) {
    // Dependencies (@actions/*) use `this` at module level and have import cycles;
    // neither affects the bundle, and printing them hides the warnings that matter.
    if (warning.code === 'THIS_IS_UNDEFINED' || warning.code === 'CIRCULAR_DEPENDENCY') return;
    warn(warning);
  },
});

export default [entry('src/index.ts', 'dist/index.js'), entry('src/cli.ts', 'dist/cli.js', '#!/usr/bin/env node')];
