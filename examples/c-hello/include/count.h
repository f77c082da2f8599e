#ifndef COUNT_H
#define COUNT_H
int count_words(const char *text);
#endif
