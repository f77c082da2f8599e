/** The action's entry (dist/index.js): only runs main. */
import { run } from './main.js';

void run();
