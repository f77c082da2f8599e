/** The action's entry (dist/index.js): only runs main. */
import { run } from './action/main.js';

void run();
