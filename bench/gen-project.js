/**
 * Generates a C project of N source files that share headers, built by make into a
 * static library and a program: the benchmark's "real multi-file C build".
 * Deterministic: the same N gives the same files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @param weight functions per file: 1 gives tiny compile units (the worst case for a
 *   tracer: process start-up dominates); 25 gives units that take a compiler about as
 *   long as ordinary hand-written C files do.
 */
export function generateProject(dir, files = 200, headers = 12, weight = 1) {
  mkdirSync(join(dir, 'src'), { recursive: true });
  mkdirSync(join(dir, 'include'), { recursive: true });
  for (let h = 0; h < headers; h++) {
    writeFileSync(
      join(dir, 'include', `h${h}.h`),
      `#ifndef H${h}_H\n#define H${h}_H\n#include <stddef.h>\n#include <string.h>\nstatic inline size_t h${h}_len(const char *s) { return strlen(s) + ${h}; }\n#endif\n`,
    );
  }
  const objs = [];
  for (let i = 0; i < files; i++) {
    const inc = [i % headers, (i * 7 + 3) % headers, (i * 13 + 5) % headers];
    const helpers = [];
    for (let w = 1; w < weight; w++) {
      helpers.push(
        `static int g${i}_${w}(const int *v, int n) {`,
        '  int acc = 0;',
        `  for (int k = 0; k < n; k++) { acc ^= v[k] * ${w + 3}; if (acc % ${w + 7} == 0) acc += k; else acc -= v[(k + ${w}) % n]; }`,
        `  switch (acc & 7) { case 0: return acc + ${w}; case 1: return acc - ${w}; case 2: return acc * 3; default: return acc ^ ${w * 11}; }`,
        '}',
      );
    }
    const calls = Array.from({ length: weight - 1 }, (_, w) => `  acc += g${i}_${w + 1}(buf, 16);`);
    const body = [
      ...[...new Set(inc)].map((h) => `#include "h${h}.h"`),
      '#include <stdio.h>',
      '#include <stdlib.h>',
      ...helpers,
      `int f${i}(int x) {`,
      '  int acc = 0;',
      '  int buf[16];',
      '  for (int k = 0; k < 16; k++) buf[k] = k * x;',
      `  for (int k = 0; k < x; k++) acc += (k * ${i + 1}) % 97 + (int)h${inc[0]}_len("abc");`,
      ...calls,
      `  if (acc < 0) { fprintf(stderr, "f${i}\\n"); abort(); }`,
      '  return acc;',
      '}',
      '',
    ];
    writeFileSync(join(dir, 'src', `f${i}.c`), body.join('\n'));
    objs.push(`build/f${i}.o`);
  }
  const calls = Array.from({ length: files }, (_, i) => `  s += f${i}(argc);`).join('\n');
  const decls = Array.from({ length: files }, (_, i) => `int f${i}(int);`).join('\n');
  writeFileSync(
    join(dir, 'src', 'main.c'),
    `#include <stdio.h>\n${decls}\nint main(int argc, char **argv) {\n  (void)argv;\n  long s = 0;\n${calls}\n  printf("%ld\\n", s);\n  return 0;\n}\n`,
  );
  writeFileSync(
    join(dir, 'Makefile'),
    [
      'CC ?= cc',
      'CFLAGS ?= -O1',
      'OBJS := ' + objs.join(' '),
      'all: build/app',
      'build:\n\tmkdir -p build',
      'build/%.o: src/%.c | build\n\t$(CC) -Iinclude $(CFLAGS) -c $< -o $@',
      'build/libgen.a: $(OBJS)\n\t$(AR) rcs $@ $^',
      'build/app: build/main.o build/libgen.a\n\t$(CC) $(CFLAGS) -o $@ build/main.o build/libgen.a',
      'clean:\n\trm -rf build',
      '.PHONY: all clean',
      '',
    ].join('\n'),
  );
}
