/** The action's entry (dist/index.js): takes SIGUSR1 from Node's debugger, then runs main. */
import { run } from './action/main.js';
import { closeInspectorSignal } from './host/inspector.js';

closeInspectorSignal();
void run();
