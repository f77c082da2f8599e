#include "greet.h"

const char *greeting(void) { return "hello from ioana's example"; }
