#!/usr/bin/env node
import '../dist/sim/cli/main.js';
