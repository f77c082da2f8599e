/**
 * Generates a C project of N source files that share headers, built by make into a
 * static library and a program: the benchmark's "real multi-file C build".
 * Deterministic: the same N gives the same files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function generateProject(dir, files = 200, headers = 12) {
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
    const body = [
      ...[...new Set(inc)].map((h) => `#include "h${h}.h"`),
      '#include <stdio.h>',
      '#include <stdlib.h>',
      `int f${i}(int x) {`,
      '  int acc = 0;',
      `  for (int k = 0; k < x; k++) acc += (k * ${i + 1}) % 97 + (int)h${inc[0]}_len("abc");`,
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
  writeFileSync(join(dir, 'src', 'main.c'), `#include <stdio.h>\n${decls}\nint main(int argc, char **argv) {\n  (void)argv;\n  long s = 0;\n${calls}\n  printf("%ld\\n", s);\n  return 0;\n}\n`);
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
